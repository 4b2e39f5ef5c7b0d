package org.w4r.kit.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace context in its W3C form ({@code traceparent}, {@code tracestate}), as it waits in an outbox row between the
 * request that wrote the row and the relay that sends it: the relay runs later, on its own thread, so the context has
 * to travel with the row. Ids only: a trace id, a span id and flags (tracestate holds vendors' ids); never personal data.
 */
public record TraceContext(String traceparent, String tracestate) {
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    /** The calling thread's current span; null when there is none (tracing off, or outside a request). */
    public static TraceContext current() {
        return of(Context.current());
    }

    public static TraceContext of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        String traceparent = carrier.get(TRACEPARENT);
        return traceparent == null ? null : new TraceContext(traceparent, carrier.get(TRACESTATE));
    }

    /** A stored context, or null if the row was written without one. */
    public static TraceContext stored(String traceparent, String tracestate) {
        return traceparent == null ? null : new TraceContext(traceparent, tracestate);
    }

    /** This context as the parent of a span started in another thread or process. */
    public Context asParent() {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), this, GETTER);
    }

    private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return carrier.tracestate == null ? List.of(TRACEPARENT) : List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case TRACEPARENT -> carrier.traceparent;
                case TRACESTATE -> carrier.tracestate;
                default -> null;
            };
        }
    };
}

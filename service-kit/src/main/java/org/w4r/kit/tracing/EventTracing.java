package org.w4r.kit.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * The spans of our own Kafka clients (the outbox relay's producer, the reference-data reader), which Quarkus does not
 * instrument: SmallRye's channels trace themselves. Span names and attributes hold topics, ids and offsets only.
 */
@ApplicationScoped
public class EventTracing {
    private final Tracer tracer;

    @Inject
    public EventTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Starts the span of sending one outbox row, as a child of the request that wrote it (not of the relay's batch: a
     * batch carries the events of a thousand requests), and sets that span's context as the record's {@code traceparent}
     * and {@code tracestate} headers. Null, and no header, for a row written without a trace context.
     */
    public Span publishing(ProducerRecord<String, String> record, long outboxId, TraceContext stored) {
        if (stored == null) {
            return null;
        }
        Span span = kafkaSpan(record.topic(), "publish", SpanKind.PRODUCER, "send", stored)
                .setAttribute("w4r.outbox.id", outboxId)
                .startSpan();
        // with tracing off the span is the stored context itself: the header still carries the caller's trace
        TraceContext sent = TraceContext.of(Context.root().with(span));
        write(record.headers(), sent == null ? stored : sent);
        return span;
    }

    /** Ends a span of {@link #publishing} once Kafka has answered; the error's type only (its text may quote values). */
    public static void sent(Span span, Throwable error) {
        if (span == null) {
            return;
        }
        if (error != null) {
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        }
        span.end();
    }

    /** Runs {@code apply} in a consumer span whose parent is the record's {@code traceparent} header, when it has one. */
    public void consuming(ConsumerRecord<String, String> record, Runnable apply) {
        TraceContext received = read(record.headers());
        if (received == null) {
            apply.run();
            return;
        }
        Span span = kafkaSpan(record.topic(), "process", SpanKind.CONSUMER, "process", received)
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            apply.run();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** A span named and described as OpenTelemetry's messaging conventions name a Kafka client's, under {@code parent}. */
    private SpanBuilder kafkaSpan(String topic, String action, SpanKind kind, String operationType, TraceContext parent) {
        return tracer.spanBuilder(topic + " " + action)
                .setParent(parent.asParent())
                .setSpanKind(kind)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.operation.type", operationType);
    }

    static void write(Headers headers, TraceContext context) {
        headers.remove(TraceContext.TRACEPARENT).add(TraceContext.TRACEPARENT, bytes(context.traceparent()));
        headers.remove(TraceContext.TRACESTATE);
        if (context.tracestate() != null && !context.tracestate().isEmpty()) {
            headers.add(TraceContext.TRACESTATE, bytes(context.tracestate()));
        }
    }

    static TraceContext read(Headers headers) {
        Header traceparent = headers.lastHeader(TraceContext.TRACEPARENT);
        Header tracestate = headers.lastHeader(TraceContext.TRACESTATE);
        return traceparent == null || traceparent.value() == null ? null : new TraceContext(text(traceparent),
                tracestate == null || tracestate.value() == null ? null : text(tracestate));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}

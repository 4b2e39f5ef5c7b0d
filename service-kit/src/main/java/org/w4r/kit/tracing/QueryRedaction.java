package org.w4r.kit.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps query strings' values out of HTTP spans: the live stream takes {@code ?access_token=} and {@code ?ticket=}
 * (a browser's EventSource cannot send a header), and the OpenTelemetry semantic conventions record the query as it
 * came. The parameter names stay, so a trace still shows which form of a call it was. Quarkus adds every
 * {@link SpanProcessor} bean to the tracer; the attributes are set when the span starts, before it can be exported.
 */
@ApplicationScoped
public class QueryRedaction implements SpanProcessor {
    static final String REDACTED = "REDACTED";
    private static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> HTTP_TARGET = AttributeKey.stringKey("http.target");
    private static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String query = span.getAttribute(URL_QUERY);
        if (query != null) {
            span.setAttribute(URL_QUERY, valuesRedacted(query));
        }
        for (AttributeKey<String> url : new AttributeKey[]{URL_FULL, HTTP_TARGET, HTTP_URL}) {
            String value = span.getAttribute(url);
            int start = value == null ? -1 : value.indexOf('?');
            if (start >= 0) {
                span.setAttribute(url, value.substring(0, start + 1) + valuesRedacted(value.substring(start + 1)));
            }
        }
    }

    /** {@code a=1&b=2} becomes {@code a=REDACTED&b=REDACTED}. */
    static String valuesRedacted(String query) {
        StringBuilder redacted = new StringBuilder(query.length());
        int fragment = query.indexOf('#');
        String parameters = fragment < 0 ? query : query.substring(0, fragment);
        for (String parameter : parameters.split("&", -1)) {
            if (redacted.length() > 0) {
                redacted.append('&');
            }
            int equals = parameter.indexOf('=');
            redacted.append(equals < 0 ? parameter : parameter.substring(0, equals + 1) + REDACTED);
        }
        return redacted.toString();
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}

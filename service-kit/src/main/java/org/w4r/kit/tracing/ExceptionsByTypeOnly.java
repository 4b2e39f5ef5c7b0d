package org.w4r.kit.tracing;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.internal.ExceptionAttributeResolver;
import io.opentelemetry.sdk.trace.internal.SdkTracerProviderUtil;
import io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer;
import jakarta.inject.Singleton;
import org.w4r.kit.messaging.Failures;

/**
 * An exception recorded on a span keeps its type and its frames, never its message. Messages quote input: Jackson's
 * refusal of a body quotes the value it refused (a message's text with a pasted vertical tab, a signer's name as an
 * unquoted token), and Quarkus REST records every exception of a request on its server span before any exception
 * mapper runs, so the problem+json answer was clean while the trace, kept by the collector and shown by Jaeger, held
 * the text (a read-only audit, 4 December 2026). Covering the recording rather than each message covers every
 * library's exceptions alike; the logs carry the class and SQLSTATE only for the same reason
 * ({@link org.w4r.kit.messaging.Failures#describe}).
 *
 * <p>{@code SdkTracerProviderUtil} is the SDK's internal hook (1.57, as the Quarkus BOM manages it): an SDK that moves
 * it fails this module's compilation, not silently.
 */
@Singleton
public class ExceptionsByTypeOnly implements AutoConfiguredOpenTelemetrySdkBuilderCustomizer {
    @Override
    public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        builder.addTracerProviderCustomizer((tracerProvider, config) -> {
            SdkTracerProviderUtil.setExceptionAttributeResolver(tracerProvider, ExceptionsByTypeOnly::attributes);
            return tracerProvider;
        });
    }

    static void attributes(ExceptionAttributeResolver.AttributeSetter span, Throwable exception, int maxLength) {
        span.setAttribute(ExceptionAttributeResolver.EXCEPTION_TYPE, exception.getClass().getName());
        String frames = Failures.frames(exception);
        span.setAttribute(ExceptionAttributeResolver.EXCEPTION_STACKTRACE,
                maxLength > 0 && frames.length() > maxLength ? frames.substring(0, maxLength) : frames);
    }
}

package org.w4r.testsupport;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTestProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * The spans a {@code @QuarkusTest} exports, kept in memory for the test to look at: with
 * {@code @TestProfile(ExportedSpans.Profile.class)} the application exports traces (a deployment does only where a
 * collector is configured) to an {@link InMemorySpanExporter} the test can {@code @Inject}.
 */
public final class ExportedSpans {
    private ExportedSpans() {
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "PT0.05S",
                    // the application finds the Exporter bean below only if this jar is indexed
                    "quarkus.index-dependency.w4r-test-support.group-id", "org.w4r",
                    "quarkus.index-dependency.w4r-test-support.artifact-id", "test-support");
        }
    }

    /** Quarkus exports to every SpanExporter bean; the OpenTelemetry guide's way to look at spans in a test. */
    @ApplicationScoped
    public static class Exporter {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    /** The first finished span of {@code kind} in {@code traceId}, waited for up to {@code bound}. */
    public static SpanData awaitSpan(InMemorySpanExporter spans, String traceId, SpanKind kind, Duration bound) {
        return await().atMost(bound).until(() -> spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getTraceId().equals(traceId) && s.getKind() == kind).findFirst(), Optional::isPresent)
                .orElseThrow();
    }
}

package org.w4r.kit.tracing;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK is on where a collector is named, off elsewhere, and whatever sets it explicitly decides. */
class TracesNeedAnEndpointTest {
    private static boolean sdkDisabled(Map<String, String> settings, int ordinal) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(settings, "settings", ordinal))
                .withSources(new TracesNeedAnEndpoint())
                // as Quarkus's OtlpExporterConfigBuilder does: a default is not a collector someone named
                .withDefaultValue("quarkus.otel.exporter.otlp.endpoint", "http://localhost:4318/")
                .build();
        return config.getValue(TracesNeedAnEndpoint.SDK_DISABLED, Boolean.class);
    }

    @Test
    void offWithoutAnEndpoint() {
        assertTrue(sdkDisabled(Map.of(), 300));
        assertTrue(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", " "), 300));
    }

    @Test
    void onWhereAnEndpointIsNamed() {
        assertFalse(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317"), 300));
        assertFalse(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4318"), 250));
    }

    @Test
    void anExplicitSettingWinsEvenFromApplicationProperties() {
        assertFalse(sdkDisabled(Map.of(TracesNeedAnEndpoint.SDK_DISABLED, "false"), 250));
        assertTrue(sdkDisabled(Map.of(TracesNeedAnEndpoint.SDK_DISABLED, "true",
                "quarkus.otel.exporter.otlp.endpoint", "http://collector:4317"), 250));
    }
}

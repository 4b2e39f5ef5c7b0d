package org.w4r.kit.tracing;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Traces are exported only where a collector was named. With the extension present Quarkus sends spans to a
 * collector on localhost by default, and on a laptop or in a test run with no collector that is work for nothing and an export
 * that fails every few seconds. So the SDK is off unless {@code quarkus.otel.exporter.otlp.endpoint} (or its traces
 * form) is set, decided when the service starts, from its environment: the same jar traces in a deployment that sets
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} and stays quiet where nothing does. Anything that sets
 * {@code quarkus.otel.sdk.disabled} itself (an environment variable, application.properties, a test profile) wins: this
 * is only a default, below them all. SmallRye Config has no "set or not" expression, hence this class.
 */
public class TracesNeedAnEndpoint implements ConfigSourceFactory {
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint");
    /** Below application.properties (250) and the jars' microprofile-config.properties (100). */
    static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean named = ENDPOINTS.stream().map(context::getValue).anyMatch(TracesNeedAnEndpoint::named);
        // explicit either way: a value read while the application was built is recorded as a default, and must
        // not decide for the environment the jar later runs in
        return List.of(new PropertiesConfigSource(Map.of(SDK_DISABLED, String.valueOf(!named)),
                "w4r traces need an endpoint", ORDINAL));
    }

    /**
     * Set by someone: Quarkus itself gives the endpoint a default (localhost:4318) from a source of the lowest ordinal,
     * and that default must not count; every source a person writes to has a positive one.
     */
    private static boolean named(ConfigValue endpoint) {
        return endpoint.getValue() != null && !endpoint.getValue().isBlank() && endpoint.getSourceOrdinal() > 0;
    }
}

package org.w4r.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.Map;

/**
 * What every raw client of ours (the outbox's producer, the reference-data reader, the topic admin) is given: every
 * {@code kafka.*} setting, as Quarkus messaging gives its channels. On Kubernetes those carry SASL/SCRAM and TLS
 * (deploy/kubernetes); a client given only the address would be refused by a secured cluster.
 */
@ApplicationScoped
public class KafkaSettings {
    private static final String PREFIX = "kafka.";

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    public Map<String, Object> base(String clientId) {
        Map<String, Object> config = new HashMap<>();
        Config all = ConfigProvider.getConfig();
        for (String name : all.getPropertyNames()) {
            // KAFKA_SASL_JAAS_CONFIG from a Kubernetes Secret is sasl.jaas.config, as Quarkus reads it for channels
            String lower = name.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            if (lower.startsWith(PREFIX)) {
                all.getOptionalValue(name, String.class).ifPresent(value -> config.put(lower.substring(PREFIX.length()), value));
            }
        }
        config.put("bootstrap.servers", bootstrapServers);
        config.put("client.id", clientId);
        return config;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}

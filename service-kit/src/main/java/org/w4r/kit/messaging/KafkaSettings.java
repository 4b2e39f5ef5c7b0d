package org.w4r.kit.messaging;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;

/** The broker address every raw client of ours uses: the same {@code kafka.bootstrap.servers} as Quarkus messaging. */
@ApplicationScoped
public class KafkaSettings {
    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    public Map<String, Object> base(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("client.id", clientId);
        return config;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}

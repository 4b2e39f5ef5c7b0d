package org.w4r.kit.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.events.Events;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes events with acks=all and an idempotent producer: a completed future means every in-sync
 * replica has the event. Callers decide what to do on failure (the outbox keeps the row and retries).
 */
@ApplicationScoped
public class EventPublisher {
    @Inject
    KafkaSettings kafka;

    @Inject
    TopicAdmin topics;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "w4r")
    String application;

    private volatile Producer<String, String> producer;

    private Producer<String, String> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    topics.ensureTopics();
                    Map<String, Object> config = kafka.base(application + "-publisher");
                    config.put("acks", "all");
                    config.put("enable.idempotence", "true");
                    config.put("linger.ms", "2");
                    config.put("compression.type", "lz4");
                    config.put("delivery.timeout.ms", "30000");
                    config.put("request.timeout.ms", "10000");
                    config.put("max.block.ms", "10000");
                    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
                }
            }
        }
        return producer;
    }

    public CompletableFuture<RecordMetadata> publish(String topic, String key, Object event) {
        return publishJson(topic, key, Events.toJson(event));
    }

    /** A null {@code json} is a tombstone. */
    public CompletableFuture<RecordMetadata> publishJson(String topic, String key, String json) {
        return send(new ProducerRecord<>(topic, key, json));
    }

    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            producer().send(record, (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    void close(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}

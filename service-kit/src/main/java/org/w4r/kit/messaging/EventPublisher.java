package org.w4r.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.w4r.events.Events;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes events through the service's one producer ({@link KafkaClients#producer()}: acks=all, idempotent), after
 * making sure the platform's topics exist: a completed future means every in-sync replica has the event. Callers
 * decide what to do on failure (the outbox keeps the row and retries).
 */
@ApplicationScoped
public class EventPublisher {
    @Inject
    KafkaClients clients;

    @Inject
    TopicAdmin topics;

    public CompletableFuture<RecordMetadata> publish(String topic, String key, Object event) {
        return publishJson(topic, key, Events.toJson(event));
    }

    /** A null {@code json} is a tombstone. */
    public CompletableFuture<RecordMetadata> publishJson(String topic, String key, String json) {
        return send(new ProducerRecord<>(topic, key, json));
    }

    /**
     * How long after a call to {@link #send} the record may still reach Kafka: {@code send} waits up to {@code
     * max.block.ms} for metadata or buffer space, then the producer tries for up to {@code delivery.timeout.ms}. The
     * outbox relay's fence is built on it ({@code OutboxRelay}): a relay that lost its lock may have sends out that long.
     */
    public java.time.Duration sendBound() {
        java.util.Map<String, Object> config = clients.producerConfig();
        return java.time.Duration.ofMillis(Long.parseLong(String.valueOf(config.get("max.block.ms")))
                + Long.parseLong(String.valueOf(config.get("delivery.timeout.ms"))));
    }

    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            topics.ensureTopics();
            clients.producer().send(record, (metadata, error) -> {
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
}

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
        return setting("max.block.ms").plus(setting("delivery.timeout.ms"));
    }

    /**
     * How long a request the producer gave up on may still have been on its way to a broker ({@code
     * request.timeout.ms}): a failed send is no proof the record was not written (the relay's fence, again).
     */
    public java.time.Duration requestBound() {
        return setting("request.timeout.ms");
    }

    private java.time.Duration setting(String name) {
        return java.time.Duration.ofMillis(Long.parseLong(String.valueOf(clients.producerConfig().get(name))));
    }

    /**
     * The topics made sure of and the producer made, as {@link #send} does first: both can take a while (creating
     * topics, resolving the brokers' names), which the outbox relay waits out before it keeps its attempt, not inside
     * its send window.
     */
    public void readyToSend() {
        topics.ensureTopics();
        clients.producer();
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

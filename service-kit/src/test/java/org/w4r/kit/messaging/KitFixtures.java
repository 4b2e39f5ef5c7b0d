package org.w4r.kit.messaging;

/**
 * The kit's messaging beans wired by hand, as CDI would, for tests that run them without a Quarkus application: the
 * fields are package-private, so this lives in their package.
 */
public final class KitFixtures {
    private KitFixtures() {
    }

    public static KafkaSettings settings(String bootstrapServers) {
        KafkaSettings settings = new KafkaSettings();
        settings.bootstrapServers = bootstrapServers;
        return settings;
    }

    public static TopicAdmin topicAdmin(KafkaSettings settings) {
        TopicAdmin admin = new TopicAdmin();
        admin.kafka = settings;
        admin.actionPartitions = 6;
        admin.replicationFactor = 1;
        return admin;
    }

    public static EventPublisher publisher(String bootstrapServers) {
        return publisher(bootstrapServers, "service-kit-test");
    }

    /** {@code application} names the producer's client id, and so its JMX metrics. */
    public static EventPublisher publisher(String bootstrapServers, String application) {
        KafkaSettings settings = settings(bootstrapServers);
        EventPublisher publisher = new EventPublisher();
        publisher.kafka = settings;
        publisher.topics = topicAdmin(settings);
        publisher.application = application;
        return publisher;
    }

    /** Closes the publisher's producer, as the application's shutdown does. */
    public static void close(EventPublisher publisher) {
        publisher.close(null);
    }

    public static BatchConsumer batchConsumer(EventPublisher publisher, int maxAttempts) {
        BatchConsumer consumer = new BatchConsumer();
        consumer.publisher = publisher;
        consumer.maxAttempts = maxAttempts;
        consumer.maxBackoffMs = 1000;
        consumer.registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        return consumer;
    }
}

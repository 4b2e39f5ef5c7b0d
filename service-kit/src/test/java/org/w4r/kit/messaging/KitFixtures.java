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

    /** {@code application} names the clients' ids, and so their JMX metrics ({@code <application>-publisher}). */
    public static KafkaClients clients(String bootstrapServers, String application) {
        return clients(bootstrapServers, application, java.util.Map.of());
    }

    /** With {@code kafka.*} settings of an operator's ({@code overrides}, without the prefix) on every client. */
    public static KafkaClients clients(String bootstrapServers, String application, java.util.Map<String, Object> overrides) {
        KafkaClients clients = new KafkaClients();
        KafkaSettings settings = new KafkaSettings() {
            @Override
            public java.util.Map<String, Object> base(String clientId) {
                java.util.Map<String, Object> config = super.base(clientId);
                config.putAll(overrides);
                return config;
            }
        };
        settings.bootstrapServers = bootstrapServers;
        clients.settings = settings;
        clients.application = application;
        return clients;
    }

    /** {@code clients}, a subclass of the test's own, given what CDI would give it. */
    public static <C extends KafkaClients> C wire(C clients, String bootstrapServers, String application) {
        clients.settings = settings(bootstrapServers);
        clients.application = application;
        return clients;
    }

    public static TopicAdmin topicAdmin(KafkaClients clients) {
        return topicAdmin(clients, true);
    }

    /** {@code manage} false: the topics are an operator's, as on Kubernetes. */
    public static TopicAdmin topicAdmin(KafkaClients clients, boolean manage) {
        TopicAdmin admin = new TopicAdmin();
        admin.clients = clients;
        admin.settings = new FixedTopicSettings(() -> 6, (short) 1, manage);
        return admin;
    }

    private record FixedTopicSettings(TopicAdmin.Settings.Actions actions, short replicationFactor, boolean manage)
            implements TopicAdmin.Settings {
    }

    public static TopicOffsets offsets(KafkaClients clients) {
        TopicOffsets offsets = new TopicOffsets();
        offsets.clients = clients;
        return offsets;
    }

    public static EventPublisher publisher(String bootstrapServers) {
        return publisher(bootstrapServers, "service-kit-test");
    }

    public static EventPublisher publisher(String bootstrapServers, String application) {
        return publisher(clients(bootstrapServers, application));
    }

    public static EventPublisher publisher(KafkaClients clients) {
        EventPublisher publisher = new EventPublisher();
        publisher.clients = clients;
        publisher.topics = topicAdmin(clients);
        return publisher;
    }

    /** Closes the publisher's clients, as the application's shutdown does. */
    public static void close(EventPublisher publisher) {
        close(publisher.clients);
    }

    public static void close(KafkaClients clients) {
        clients.close(null);
    }

    /** The consumer group of {@link #batchConsumer}'s every channel. */
    public static final String GROUP = "kit-test";

    public static BatchConsumer batchConsumer(EventPublisher publisher, int maxAttempts) {
        BatchConsumer consumer = new BatchConsumer();
        consumer.groups = channel -> GROUP;
        consumer.publisher = publisher;
        consumer.settings = new FixedConsumerSettings(maxAttempts, 1000, 100_000);
        consumer.registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        consumer.lostConnections = org.w4r.kit.problem.LostConnections.of(null); // the appliers bring their own pool
        return consumer;
    }

    private record FixedConsumerSettings(int maxAttempts, long maxBackoffMs, long dedupeWindow)
            implements ConsumerSettings {
    }

    /** {@code size}: records per partition whose event ids are kept ({@code w4r.consumer.dedupe-window}). */
    public static ConsumedBatches consumedBatches(io.agroal.api.AgroalDataSource dataSource, long size) {
        ConsumedBatches batches = new ConsumedBatches();
        batches.dataSource = dataSource;
        batches.settings = new FixedConsumerSettings(3, 5000, size);
        return batches;
    }
}

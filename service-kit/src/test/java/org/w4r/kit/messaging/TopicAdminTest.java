package org.w4r.kit.messaging;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.awaitility.Awaitility.await;

/** The platform's topics, as every service creates them at start-up, on the real broker. */
class TopicAdminTest {
    @Test
    void everyTopicExistsWithItsPartitionsAndSettingsAndASecondStartChangesNothing() throws Exception {
        KafkaClients clients = KitFixtures.clients(KafkaBroker.bootstrapServers(), "kit-topics-test");
        try {
            KitFixtures.topicAdmin(clients).ensureTopics();
            // another instance starting later, on topics that exist
            assertDoesNotThrow(() -> KitFixtures.topicAdmin(clients).ensureTopics());
            List<String> names = Topics.specs(6).stream().map(Topics.Spec::name).toList();
            Map<String, TopicDescription> described = clients.admin().describeTopics(names).allTopicNames().get();
            for (Topics.Spec spec : Topics.specs(6)) {
                assertEquals(spec.partitions(), described.get(spec.name()).partitions().size(), spec.name());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Config config = clients.admin().describeConfigs(List.of(resource)).all().get().get(resource);
                spec.configs().forEach((key, value) -> assertEquals(value, config.get(key).value(), spec.name() + " " + key));
            }
            ConfigResource cases = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CASES);
            assertEquals("compact", clients.admin().describeConfigs(List.of(cases)).all().get().get(cases)
                    .get("cleanup.policy").value(), "a reference topic keeps the latest state of every key");
        } finally {
            KitFixtures.close(clients);
        }
    }

    /**
     * Where an operator owns the topics, a service never asks to create one (its Kafka user may not): here the broker
     * address is unreachable, so any request would fail after the admin's timeout.
     */
    @Test
    void whereAnOperatorOwnsTheTopicsNothingIsAsked() {
        KafkaClients clients = KitFixtures.clients("127.0.0.1:1", "kit-topics-unmanaged");
        try {
            TopicAdmin admin = KitFixtures.topicAdmin(clients, false);
            assertDoesNotThrow(admin::ensureTopics);
        } finally {
            KitFixtures.close(clients);
        }
    }

    /**
     * A topic made before a setting came into its spec kept the broker's default: a reference topic without the 30-day
     * {@code delete.retention.ms} drops a revocation's tombstone after 24 h, unseen by a reader away longer (a
     * read-only review, 6 December 2026). Where the kit manages the topics, a start sets what the spec sets and leaves
     * everything else (an operator's own setting, a partition count); where an operator does, it touches nothing. A
     * broker of this test's own: the JVM's shared one has the topics as the spec makes them.
     */
    @Test
    void aTopicMadeBeforeItsSpecGotASettingIsCorrectedWhereTheKitManagesTopicsAndOnlyThere() throws Exception {
        KafkaBroker.bootstrapServers(); // installs the guard that keeps a failing broker from exiting the JVM
        KafkaClusterTestKit cluster = KafkaBroker.startCluster(
                Files.createDirectories(Path.of("target", "kafka-topic-settings-" + UUID.randomUUID())));
        KafkaClients clients = KitFixtures.clients(cluster.bootstrapServers(), "kit-topic-settings-test");
        try {
            Admin admin = clients.admin();
            // as an older kit made them: compacted, the rest the broker's; an operator's own setting on top; actions
            // with fewer partitions than the spec
            admin.createTopics(List.of(
                    new NewTopic(Topics.CREDENTIALS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
                            "max.message.bytes", "200000")),
                    new NewTopic(Topics.ACTIONS, 3, (short) 1))).all().get();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin
                    .describeTopics(List.of(Topics.CREDENTIALS, Topics.ACTIONS)).allTopicNames().get().values().stream()
                    .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null)));
            Map<String, String> spec = Topics.specs(6).stream().filter(s -> s.name().equals(Topics.CREDENTIALS))
                    .findFirst().orElseThrow().configs();

            KitFixtures.topicAdmin(clients, false).ensureTopics();
            Config untouched = config(admin, Topics.CREDENTIALS);
            assertNotEquals(spec.get("delete.retention.ms"), untouched.get("delete.retention.ms").value(),
                    "the operator's topics are the operator's");

            KitFixtures.topicAdmin(clients, true).ensureTopics();
            Config corrected = config(admin, Topics.CREDENTIALS);
            spec.forEach((key, value) -> assertEquals(value, corrected.get(key).value(), key));
            assertEquals("200000", corrected.get("max.message.bytes").value(), "a setting the spec does not make stays");
            assertEquals(3, admin.describeTopics(List.of(Topics.ACTIONS)).allTopicNames().get().get(Topics.ACTIONS)
                    .partitions().size(), "partitions are never added to a keyed topic by a start (a warning says so)");
        } finally {
            KitFixtures.close(clients);
            cluster.close();
        }
    }

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}

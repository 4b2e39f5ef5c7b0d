package org.w4r.kit.messaging;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBroker;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

package org.w4r.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.CredentialChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Publishes reference data to the real broker exactly as case-service would, so a service under test builds its
 * read model from the stream. Each entity has the key {@code entityKey(id)}; each staff role {@code staffToken(role)}.
 */
public final class ReferenceFixtures {
    public static final String CAMPAIGN = "test-campaign";
    public static final List<String> CASES = List.of("nassima-al-sada", "el-hiblu-3", "paing-phyo-min");
    public static final List<String> ENTITIES = List.of("ai-france", "ai-malta", "international-members");
    public static final List<String> STAFF_ROLES = List.of("coordinator", "case-manager", "delivery", "moderator");

    private ReferenceFixtures() {
    }

    public static String entityKey(String entityId) {
        return "test-key-" + entityId;
    }

    public static String staffToken(String role) {
        return "test-token-" + role;
    }

    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes the test campaign (open now, current), its cases, the entities and staff, and waits for acks. */
    public static void publish(String bootstrapServers) {
        createTopics(bootstrapServers);
        Instant now = Instant.now();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers, "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            send(producer, Topics.CAMPAIGNS, CAMPAIGN, new CampaignChanged(UUID.randomUUID(), CAMPAIGN, "Test campaign",
                    now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), true, List.of(), now));
            for (String caseId : CASES) {
                send(producer, Topics.CASES, caseId, new CaseChanged(UUID.randomUUID(), caseId, CAMPAIGN, caseId, "MT",
                        "Authorities", "global", null, 1000L, "active", true, null, version(), now));
            }
            for (String entityId : ENTITIES) {
                send(producer, Topics.ENTITIES, entityId, new EntityChanged(UUID.randomUUID(), entityId, entityId, null,
                        entityId.startsWith("ai-") ? "section" : "catch-all", now));
                send(producer, Topics.CREDENTIALS, "key_" + entityId, entityCredential("key_" + entityId, entityId,
                        entityKey(entityId)));
            }
            for (String role : STAFF_ROLES) {
                send(producer, Topics.CREDENTIALS, "key_" + role, staffCredential("key_" + role, "test-" + role, role,
                        staffToken(role)));
            }
            producer.flush();
        }
    }

    /**
     * A case version for a fixture: readers keep the highest version of a case they have seen, so a test that
     * republishes a case must give a version no lower than any before it; the clock does that across test classes.
     */
    public static long version() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000; // as case-service counts: microseconds
    }

    /** Publishes an active case of the test campaign, held or not, at a version newer than any before it. */
    public static void publishCase(String bootstrapServers, String caseId, CaseChanged.Hold hold) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), new StringSerializer())) {
            send(producer, Topics.CASES, caseId, new CaseChanged(UUID.randomUUID(), caseId, CAMPAIGN, caseId, "MM",
                    "Authorities", "global", null, 10L, "active", true, hold, version(), Instant.now()));
        }
    }

    /** The event that makes {@code secret} an API key of {@code entityId}, as case-service publishes it. */
    public static CredentialChanged entityCredential(String keyId, String entityId, String secret) {
        return new CredentialChanged(UUID.randomUUID(), keyId, sha256(secret), "entity", entityId, null, null,
                Instant.now());
    }

    /** The event that makes {@code secret} a token of staff member {@code principal} with {@code role}. */
    public static CredentialChanged staffCredential(String keyId, String principal, String role, String secret) {
        return new CredentialChanged(UUID.randomUUID(), keyId, sha256(secret), role, null, principal, null,
                Instant.now());
    }

    /** Creates the platform's topics as the services would, so the broker never auto-creates one wrongly. */
    public static void createTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers))) {
            for (Topics.Spec spec : Topics.specs(6)) {
                try {
                    admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), (short) 1)
                            .configs(spec.configs()))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create " + spec.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void send(KafkaProducer<String, String> producer, String topic, String key, Object event) {
        try {
            producer.send(new ProducerRecord<>(topic, key, Events.toJson(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }
}

package org.w4r.kit.reference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.CredentialChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.KafkaClients;
import org.w4r.kit.messaging.KitFixtures;
import org.w4r.kit.security.Credentials;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.ReferenceFixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference stream on the real broker: what stood on the topics before the start is read before the service is
 * ready, each record goes to the read model or the credential index, an unreadable one is skipped without costing the
 * others, and only changes read after catching up are timed as a hold's propagation.
 */
class ReferenceStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static String bootstrap;

    @BeforeAll
    static void topics() {
        bootstrap = KafkaBroker.bootstrapServers();
        ReferenceFixtures.createTopics(bootstrap);
    }

    private static void send(String topic, String key, String json) throws Exception {
        send(bootstrap, topic, key, json);
    }

    private static void send(String servers, String topic, String key, String json) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", servers,
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, json)).get();
        }
    }

    private static CaseChanged caseState(String caseId, CaseChanged.Hold hold, long version) {
        return new CaseChanged(UUID.randomUUID(), caseId, ReferenceFixtures.CAMPAIGN, caseId, "MT", "Authorities",
                "global", null, 100L, "active", true, hold, version, Instant.now());
    }

    private static double propagations(ReferenceDataFixture.Started reference) {
        return reference.data().registry.find("w4r.hold.propagation").timers().stream().mapToLong(t -> t.count()).sum();
    }

    @Test
    void whatStoodBeforeTheStartIsReadBeforeItIsReadyAndEachRecordGoesWhereItBelongs() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String caseId = "case-" + id, entityId = "entity-" + id, campaignId = "campaign-" + id, keyId = "key_" + id;
        String secret = Credentials.newSecret();
        send(Topics.CAMPAIGNS, campaignId, Events.toJson(new CampaignChanged(UUID.randomUUID(), campaignId, "Edition",
                Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2027-03-01T00:00:00Z"), false, List.of(),
                Instant.now())));
        send(Topics.ENTITIES, entityId, "{\"entityId\":");  // unreadable: skipped, the next one still applied
        send(Topics.ENTITIES, entityId, Events.toJson(new EntityChanged(UUID.randomUUID(), entityId, "Malta", "MT",
                "section", Instant.now())));
        send(Topics.CASES, caseId, Events.toJson(caseState(caseId, new CaseChanged.Hold(3L, Instant.now()), 1)));
        send(Topics.CREDENTIALS, keyId, Events.toJson(new CredentialChanged(UUID.randomUUID(), keyId,
                Credentials.sha256(secret), "entity", entityId, null, null, Instant.now())));

        ReferenceDataFixture.Started reference = ReferenceDataFixture.wired(bootstrap);
        assertFalse(reference.stream().isCaughtUp());
        assertFalse(reference.data().awaitUpToDate(Duration.ofMillis(10)), "not before it has read anything");
        reference.stream().start(null);
        try {
            assertTrue(reference.stream().isCaughtUp(), "the start waits until the history is read");
            // the alert's series (W4RReferenceDataStale): how long ago the instance last held every record
            assertTrue(reference.data().registry.find("w4r.reference.staleness").gauge().value() >= 0);
            assertTrue(reference.data().isCaughtUp());
            assertEquals("Edition", reference.data().findCampaign(campaignId).orElseThrow().name());
            assertEquals("Malta", reference.data().findEntity(entityId).orElseThrow().name());
            assertEquals(3L, reference.data().findCase(caseId).orElseThrow().hold().holdId());
            assertEquals(entityId, reference.directory().findBySha256(Credentials.sha256(secret)).orElseThrow()
                    .entityId(), "a credential goes to the credential index");
            assertTrue(reference.caseChanges().stream().anyMatch(c -> c.caseId().equals(caseId)),
                    "observers hear of every case, history included (delivery's hold mirror)");
            assertEquals(0, propagations(reference), "a hold from the history is not a propagation");

            send(Topics.CASES, caseId, Events.toJson(caseState(caseId, null, 2)));  // lifted now
            send(Topics.CAMPAIGNS, campaignId, null);
            send(Topics.CREDENTIALS, keyId, null);
            assertTrue(reference.data().awaitUpToDate(WAIT));
            assertEquals(null, reference.data().findCase(caseId).orElseThrow().hold());
            assertEquals(1, propagations(reference), "a live lift is timed");
            assertTrue(reference.data().findCampaign(campaignId).isEmpty(), "a tombstone removes");
            assertTrue(reference.directory().findBySha256(Credentials.sha256(secret)).isEmpty(), "revoked");

            // the text null is a value, not a tombstone: unreadable, skipped; the case stays (it was removed)
            send(Topics.CASES, caseId, "null");
            assertTrue(reference.data().awaitUpToDate(WAIT));
            assertEquals(2L, reference.data().findCase(caseId).map(CaseChanged::version).orElse(-1L),
                    "a JSON null on a compacted topic removes nothing");

            int heard = reference.caseChanges().size();
            send(Topics.CASES, caseId, Events.toJson(caseState(caseId, new CaseChanged.Hold(9L, Instant.now()), 1)));
            assertTrue(reference.data().awaitUpToDate(WAIT));
            assertEquals(heard, reference.caseChanges().size(), "a late older copy is neither kept nor announced");
            assertEquals(2L, reference.data().findCase(caseId).orElseThrow().version());
        } finally {
            ReferenceDataFixture.stop(reference);
        }
    }

    /**
     * A case-service whose clock runs a day ahead writes versions a day ahead. Every reader refused them for some
     * hours on 6 December 2026 (the contract bounded a version by the reader's clock): its holds were skipped
     * everywhere, the case open for exports and handovers (a later read-only review that day). The next change, from an instance with a
     * right clock, is the last version plus one, and is kept too.
     */
    @Test
    void aHoldFromACaseServiceWhoseClockRunsADayAheadIsKept() throws Exception {
        String caseId = "case-ahead-" + UUID.randomUUID().toString().substring(0, 8);
        Instant ahead = Instant.now().plus(Duration.ofHours(25));
        long version = ahead.getEpochSecond() * 1_000_000 + ahead.getNano() / 1_000;
        ReferenceDataFixture.Started reference = ReferenceDataFixture.wired(bootstrap);
        reference.stream().start(null);
        try {
            send(Topics.CASES, caseId, Events.toJson(caseState(caseId, new CaseChanged.Hold(4L, ahead), version)));
            assertTrue(reference.data().awaitUpToDate(WAIT));
            assertEquals(4L, reference.data().findCase(caseId).map(CaseChanged::hold).map(CaseChanged.Hold::holdId)
                    .orElse(-1L), "the hold is kept");
            assertTrue(reference.data().heldCaseIds().contains(caseId));

            send(Topics.CASES, caseId, Events.toJson(caseState(caseId, null, version + 1))); // lifted, a right clock
            assertTrue(reference.data().awaitUpToDate(WAIT));
            assertEquals(null, reference.data().findCase(caseId).orElseThrow().hold());
        } finally {
            ReferenceDataFixture.stop(reference);
        }
    }

    /**
     * A reference topic missing at the start (pods started before the Topic Operator made it) was never read, while
     * the reader said it was current: ready, holding no credentials, its case observers deaf (a read-only review, 6
     * December 2026). The start now fails, and the restarted instance reads the topic once it is there. A broker of
     * this test's own: the JVM's shared one has every reference topic.
     */
    @Test
    void aReferenceTopicMissingAtTheStartFailsTheStartAndARestartReadsItOnceItIsThere() throws Exception {
        KafkaBroker.bootstrapServers(); // installs the guard that keeps a failing broker from exiting the JVM
        KafkaClusterTestKit cluster = KafkaBroker.startCluster(
                Files.createDirectories(Path.of("target", "kafka-missing-topic-" + UUID.randomUUID())));
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()))) {
            String servers = cluster.bootstrapServers();
            createServed(admin, Topics.CAMPAIGNS, Topics.CASES, Topics.ENTITIES);

            ReferenceDataFixture.Started early = ReferenceDataFixture.wired(servers, false);
            early.stream().startupWait = Duration.ofSeconds(3);
            try {
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> early.stream().start(null), "a start without the credentials topic must not be current");
                assertTrue(refused.getMessage().contains(Topics.CREDENTIALS), refused.getMessage());
                assertFalse(early.stream().isCaughtUp());
                assertFalse(early.data().awaitUpToDate(Duration.ofSeconds(1)));
            } finally {
                ReferenceDataFixture.stop(early);
            }

            createServed(admin, Topics.CREDENTIALS);
            String keyId = "key_late_" + UUID.randomUUID().toString().substring(0, 8);
            String secret = Credentials.newSecret();
            send(servers, Topics.CREDENTIALS, keyId, Events.toJson(new CredentialChanged(UUID.randomUUID(), keyId,
                    Credentials.sha256(secret), "entity", "ai-malta", null, null, Instant.now())));
            ReferenceDataFixture.Started restarted = ReferenceDataFixture.wired(servers, false);
            try {
                restarted.stream().start(null);
                assertTrue(restarted.stream().isCaughtUp());
                assertEquals("ai-malta", restarted.directory().findBySha256(Credentials.sha256(secret)).orElseThrow()
                        .entityId(), "the credential on the topic made late is read");
                assertTrue(restarted.data().awaitUpToDate(WAIT));
            } finally {
                ReferenceDataFixture.stop(restarted);
            }
        } finally {
            cluster.close();
        }
    }

    /**
     * The reader judges itself against every topic it reads, not the partitions its consumer happens to have: given a
     * consumer without the credentials topic, it is neither caught up nor up to date, however far it has read.
     */
    @Test
    void aReaderWithoutAPartitionOfEveryReferenceTopicIsNeitherCaughtUpNorUpToDate() throws Exception {
        KafkaClients withoutCredentials = KitFixtures.wire(new KafkaClients() {
            @Override
            public KafkaConsumer<String, String> readFromBeginning(String purpose, Collection<String> topics,
                                                                   Map<String, Object> overrides, Duration topicWait) {
                return super.readFromBeginning(purpose, topics.stream().filter(t -> !t.equals(Topics.CREDENTIALS))
                        .toList(), overrides, topicWait);
            }
        }, bootstrap, "service-kit-test");
        ReferenceDataFixture.Started reference = ReferenceDataFixture.wired(withoutCredentials, true);
        reference.stream().startupWait = Duration.ofSeconds(2);
        reference.stream().start(null);
        try {
            assertFalse(reference.stream().isCaughtUp(), "not ready");
            assertFalse(reference.data().awaitUpToDate(Duration.ofSeconds(2)));
        } finally {
            ReferenceDataFixture.stop(reference);
        }
    }

    /** As the services create them, once every partition has a leader (created is not yet served). */
    private static void createServed(Admin admin, String... names) throws Exception {
        List<String> wanted = List.of(names);
        for (Topics.Spec spec : Topics.specs(6)) {
            if (wanted.contains(spec.name())) {
                admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), (short) 1)
                        .configs(spec.configs()))).all().get();
            }
        }
        await().atMost(WAIT).ignoreExceptions().until(() -> admin.describeTopics(wanted).allTopicNames().get()
                .values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null)));
    }
}

package org.w4r.kit.reference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.ReferenceFixtures;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read model of cases: the highest version seen wins, whatever order the copies arrive in. */
class ReferenceDataTest {
    private static String bootstrap;
    private static ReferenceDataFixture.Started reference;
    private static ReferenceData data;

    @BeforeAll
    static void readModel() throws Exception {
        bootstrap = KafkaBroker.bootstrapServers();
        ReferenceFixtures.createTopics(bootstrap);
        reference = ReferenceDataFixture.started(bootstrap);
        data = reference.data();
    }

    @AfterAll
    static void stop() {
        ReferenceDataFixture.stop(reference);
    }

    private static CaseChanged state(String caseId, CaseChanged.Hold hold, long version) {
        return new CaseChanged(UUID.randomUUID(), caseId, ReferenceFixtures.CAMPAIGN, caseId, "MT", "Authorities",
                "global", null, 100L, "active", true, hold, version, Instant.now());
    }

    @Test
    void aLateCopyOfAnOlderStateNeverReplacesANewerOne() throws Exception {
        String caseId = "case-" + UUID.randomUUID();
        long version = ReferenceFixtures.version();
        CaseChanged.Hold hold = new CaseChanged.Hold(7L, Instant.parse("2026-12-01T00:00:00Z"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, Topics.CASES, caseId, state(caseId, hold, version + 2)); // the hold
            ReferenceFixtures.send(producer, Topics.CASES, caseId, state(caseId, null, version + 1)); // relayed late
        }
        assertTrue(data.awaitUpToDate(Duration.ofSeconds(60)));
        CaseChanged held = data.findCase(caseId).orElseThrow();
        assertEquals(version + 2, held.version());
        assertEquals(hold, held.hold(), "the hold stays");

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, Topics.CASES, caseId, state(caseId, null, version + 3)); // lifted
        }
        assertTrue(data.awaitUpToDate(Duration.ofSeconds(60)));
        assertEquals(version + 3, data.findCase(caseId).orElseThrow().version(), "a newer state is taken");
        assertEquals(null, data.findCase(caseId).orElseThrow().hold());

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.CASES, caseId, null)).get(); // the case is deleted
        }
        assertTrue(data.awaitUpToDate(Duration.ofSeconds(60)));
        assertTrue(data.findCase(caseId).isEmpty());
    }
}

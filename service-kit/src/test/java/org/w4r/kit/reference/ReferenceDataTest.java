package org.w4r.kit.reference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.ReferenceFixtures;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    void theCurrentCampaignIsTheOneMarkedCurrentAndMidSwitchTheLatestChanged() {
        ReferenceData model = ReferenceDataFixture.wired(bootstrap).data();
        Instant opens = Instant.parse("2026-10-01T00:00:00Z"), closes = Instant.parse("2027-03-01T00:00:00Z");
        model.campaign("w4r-2025", new CampaignChanged(UUID.randomUUID(), "w4r-2025", "2025", opens, closes, false,
                List.of(), Instant.parse("2026-01-01T00:00:00Z")));
        assertTrue(model.currentCampaign().isEmpty(), "none is marked current");
        model.campaign("w4r-2026", new CampaignChanged(UUID.randomUUID(), "w4r-2026", "2026", opens, closes, true,
                List.of(), Instant.parse("2026-09-01T00:00:00Z")));
        model.campaign("w4r-2027", new CampaignChanged(UUID.randomUUID(), "w4r-2027", "2027", opens, closes, true,
                List.of(), Instant.parse("2026-09-02T00:00:00Z")));
        assertEquals("w4r-2027", model.currentCampaign().orElseThrow().campaignId(), "mid-switch: the latest changed");
        model.campaign("w4r-2027", null);
        assertEquals("w4r-2026", model.currentCampaign().orElseThrow().campaignId());
        assertEquals(2, model.campaigns().size());
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

package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.w4r.cases.messaging.CasesOnTopic;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.service.CaseReconciliation;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record on the compacted {@code cases} topic that is no case (the JSON literal {@code null}, which reads as no
 * event, or a case without its {@code caseId}) is skipped and counted by the start-up check of a restored database,
 * as the reference readers skip it, and the records after it are still compared (a read-only review, 6 December 2026).
 * Before, the first made {@code CasesOnTopic} throw a NullPointerException outside its try, the second put a null key in
 * the map {@code CaseReconciliation} sorts; either failed every start for good, since compaction keeps the record.
 */
@QuarkusTest
class PoisonOnCasesTopicTest extends RunningService {
    @Inject
    ReferencePublisher publisher;

    @Inject
    CasesOnTopic casesOnTopic;

    @Test
    void theJsonLiteralNullIsSkippedAndTheStartGoesOn() {
        assertSkippedAndTheNextRecordCompared(caseId -> "null");
    }

    @Test
    void aCaseWithoutItsIdIsSkippedAndTheStartGoesOn() {
        assertSkippedAndTheNextRecordCompared(caseId -> {
            String json = Events.toJson(latest(caseId));
            String without = json.replace("\"caseId\":\"" + caseId + "\",", "");
            assertFalse(without.contains("\"caseId\""), without);
            return without;
        });
    }

    /** The poison record keyed by a fresh case, then a newer record of that case: the start compares the second. */
    private void assertSkippedAndTheNextRecordCompared(java.util.function.Function<String, String> poisonOf) {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        Effects.awaitOutboxEmpty(relay);
        casesOnTopic.newest();
        int skippedBefore = casesOnTopic.skipped();
        long topicRevision = aheadOfTheClock();
        CaseChanged last = latest(caseId);
        CaseChanged newer = new CaseChanged(UUID.randomUUID(), caseId, last.campaignId(), last.name(), last.country(),
                last.targetAuthority(), last.scope(), last.localEntityId(), last.goal(), last.status(),
                last.publicCounter(), null, topicRevision, Instant.now(), last.milestones(), last.demand());
        send(caseId, poisonOf.apply(caseId), Events.toJson(newer));

        CaseReconciliation.Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(90), publisher::startUp,
                "the start-up check completes");

        assertEquals(skippedBefore + 1, casesOnTopic.skipped(), "the poison record is skipped and counted");
        assertTrue(outcome.newerOnTopic().contains(caseId), "the record after it is still compared: " + outcome);
        assertTrue(((Number) Effects.caseRow(db, caseId).get("revision")).longValue() > topicRevision,
                "raised above the topic's revision, as after any restore");
    }

    /** A revision ten minutes ahead of this clock, in case-service's microseconds (as RestoredDatabaseTest's). */
    private static long aheadOfTheClock() {
        Instant later = Instant.now().plus(Duration.ofMinutes(10));
        return later.getEpochSecond() * 1_000_000 + later.getNano() / 1_000;
    }

    private void send(String key, String... values) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(Topics.CASES, key, value)).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private CaseChanged latest(String caseId) {
        List<CaseChanged> kept = TopicReader.readAll(kafka, Topics.CASES).stream()
                .filter(r -> caseId.equals(r.key()) && r.value() != null && !"null".equals(r.value()))
                .map(r -> Events.fromJson(r.value(), CaseChanged.class)).toList();
        return kept.get(kept.size() - 1);
    }
}

package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.w4r.delivery.messaging.LedgerConsumer;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Events;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.delivery.Waiting.await;
import static org.w4r.testsupport.ReferenceFixtures.CAMPAIGN;

/**
 * The ledger in cells (issue 20): the actions of one case, entity and type in one second are one row, a cut-off
 * anywhere inside a second counts exactly what one row per action counted, and a batch consumed again (redelivered or
 * re-published) counts nothing twice.
 */
@QuarkusTest
class LedgerCellsTest extends RunningService {
    @Inject
    LedgerConsumer consumer;

    @Test
    void manyActionsInOneSecondAreOneRow() {
        String caseId = Streams.newCase(kafka);
        Instant second = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        Random random = new Random(7);
        List<ActionEvent> events = new ArrayList<>();
        events.add(Streams.action(caseId, "ai-malta", ActionType.SIGNATURE, 1, second));
        for (int i = 0; i < 200; i++) {
            events.add(Streams.action(caseId, "ai-malta", ActionType.SIGNATURE, 1,
                    second.plus(1 + random.nextInt(999_999), ChronoUnit.MICROS)));
        }
        // another entity in the same second, and the same entity in the next second: a cell each
        events.add(Streams.action(caseId, "ai-france", ActionType.SIGNATURE, 1, second.plusMillis(500)));
        events.add(Streams.action(caseId, "ai-malta", ActionType.SIGNATURE, 1, second.plusSeconds(1)));
        // in several publications, so in several batches: each one adds to the same row
        for (int from = 0; from < events.size(); from += 50) {
            Streams.publish(kafka, Topics.ACTIONS, caseId, events.subList(from, Math.min(events.size(), from + 50)).toArray());
        }

        awaitTotal(caseId, 203);
        assertEquals(3, Rows.number(db, "select count(*) from action_count where case_id = ?", caseId),
                "one row per entity × type × second");
        assertEquals(201, Rows.number(db, """
                select count from action_count where case_id = ? and entity_id = 'ai-malta' and at_second = ?""",
                caseId, java.sql.Timestamp.from(second)));
    }

    @Test
    void aCutoffInsideASecondCountsExactly() {
        String caseId = Streams.newCase(kafka);
        Instant second = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        List<ActionEvent> events = new ArrayList<>();
        long[] micros = {0, 1, 250_000, 499_999, 500_000, 500_001, 999_999, 1_000_000, 1_000_001};
        for (int i = 0; i < micros.length; i++) {
            events.add(Streams.action(caseId, i % 2 == 0 ? "ai-malta" : "ai-france",
                    i % 3 == 0 ? ActionType.LETTER : ActionType.SIGNATURE, 1L << i, second.plus(micros[i], ChronoUnit.MICROS)));
        }
        // the second before, and a correction dated inside the second (at its action's time)
        events.add(Streams.action(caseId, "ai-malta", ActionType.LETTER, 1000, second.minus(1, ChronoUnit.MICROS)));
        ActionRecorded corrected = Streams.action(caseId, "ai-malta", ActionType.LETTER, 300,
                second.plus(700_000, ChronoUnit.MICROS));
        events.add(corrected);
        events.add(new ActionCorrected(UUID.randomUUID(), corrected.actionId(), CAMPAIGN, caseId, "ai-malta",
                ActionType.LETTER, Mode.ONLINE, -100, corrected.occurredAt(), Instant.now()));
        Streams.publish(kafka, Topics.ACTIONS, caseId, events.toArray());
        awaitTotal(caseId, events.stream().mapToLong(ActionEvent::countChange).sum());

        List<Instant> cutoffs = new ArrayList<>();
        for (long m : new long[]{-2, -1, 0, 1, 2, 249_999, 250_000, 250_001, 499_999, 500_000, 500_001, 699_999,
                700_000, 700_001, 999_998, 999_999, 1_000_000, 1_000_001, 1_000_002, 2_000_000}) {
            cutoffs.add(second.plus(m, ChronoUnit.MICROS));
        }
        for (Instant cutoff : cutoffs) {
            JsonPath counts = given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId + "/counts?until=" + cutoff)
                    .then().statusCode(200).extract().jsonPath();
            HandoverCountsTest.Truth truth = HandoverCountsTest.Truth.of(events, cutoff);
            assertEquals(truth.total(), counts.getLong("total"), "total at " + cutoff);
            assertEquals(truth.byEntity(), longs(counts.getMap("byEntity")), "by entity at " + cutoff);
            assertEquals(truth.byType(), longs(counts.getMap("byType")), "by type at " + cutoff);
        }

        // a handover freezes the same: its cut-off inside the second
        Instant cutoff = second.plus(500_000, ChronoUnit.MICROS);
        String id = Streams.plan(caseId, "petition");
        JsonPath handover = given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)
                .body(Streams.handoverBody(cutoff)).post("/api/v1/deliveries/" + id + "/handover")
                .then().statusCode(200).extract().jsonPath();
        HandoverCountsTest.Truth truth = HandoverCountsTest.Truth.of(events, cutoff);
        assertEquals(truth.total(), handover.getLong("handover.total"));
        assertEquals(truth.byEntity(), longs(handover.getMap("handover.byEntity")));
        assertEquals(truth.byType(), longs(handover.getMap("handover.byType")));
    }

    @Test
    void aBatchConsumedAgainDoesNotCountTwice() throws InterruptedException {
        String caseId = Streams.newCase(kafka);
        Instant second = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        List<ActionEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(Streams.action(caseId, i % 2 == 0 ? "ai-malta" : "ai-france", ActionType.SIGNATURE, 1 + i,
                    second.plus(i * 30_000L, ChronoUnit.MICROS)));
        }
        long total = events.stream().mapToLong(ActionEvent::countChange).sum();
        Streams.publish(kafka, Topics.ACTIONS, caseId, events.toArray());
        awaitTotal(caseId, total);

        // redelivered: the same records (same partition and offsets) handed to the consumer again, as after a crash
        // between the commit of the batch's transaction and of its offsets
        Set<UUID> ids = events.stream().map(ActionEvent::eventId).collect(Collectors.toSet());
        consumer.actions(records(ids));
        // re-published: the same events again on the topic, as the outbox relay re-sends after a crash
        Streams.publish(kafka, Topics.ACTIONS, caseId, events.subList(0, 20).toArray());
        // and one new action behind them on the same partition: once it is counted, so would the copies be
        ActionRecorded marker = Streams.action(caseId, "ai-malta", ActionType.LETTER, 1000, second.plusSeconds(5));
        Streams.publish(kafka, Topics.ACTIONS, caseId, marker);
        awaitTotal(caseId, total + 1000);
        consumer.actions(records(ids));

        assertEquals(total + 1000, given().auth().oauth2(DELIVERY)
                .get("/api/v1/cases/" + caseId + "/counts?until=" + Instant.now()).then().statusCode(200)
                .extract().jsonPath().getLong("total"));
        assertEquals(total - events.stream().filter(e -> e.entityId().equals("ai-france"))
                .mapToLong(ActionEvent::countChange).sum(), Rows.number(db, """
                select sum(count) from action_count where case_id = ? and entity_id = 'ai-malta' and at_second = ?""",
                caseId, java.sql.Timestamp.from(second)));
    }

    private void awaitTotal(String caseId, long total) {
        await().untilAsserted(() -> given().auth().oauth2(DELIVERY)
                .get("/api/v1/cases/" + caseId + "/counts?until=" + Instant.now()).then().statusCode(200)
                .body("total", equalTo((int) total)));
    }

    /** The records of {@code eventIds} as they are on the topic, as a poll hands them over. */
    private ConsumerRecords<String, String> records(Set<UUID> eventIds) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
        Set<UUID> found = new HashSet<>();
        for (ConsumerRecord<String, String> r : TopicReader.readAll(kafka, Topics.ACTIONS)) {
            // other tests' poison events are on the topic too: only these ids are read
            UUID id = r.value() == null ? null : eventIds.stream().filter(e -> r.value().contains(e.toString()))
                    .findFirst().orElse(null);
            if (id != null && id.equals(Events.fromJson(r.value(), ActionEvent.class).eventId())) {
                found.add(id);
                byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>()).add(r);
            }
        }
        assertEquals(eventIds, found, "every record is on the topic");
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    private static Map<String, Long> longs(Map<String, Object> map) {
        Map<String, Long> result = new java.util.TreeMap<>();
        map.forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        return result;
    }
}

package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Events;
import org.w4r.events.MessageReviewed;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.CAMPAIGN;

/**
 * A parseable but invalid event between valid ones, on 'actions' and on 'moderation': the valid ones are applied, the
 * poison ones end on the topic's dead letter, and the partition goes on (once, a null type blocked it for good).
 */
@QuarkusTest
class PoisonEventTest extends RunningService {
    /** Each test's own case, so its counts start at zero, and when its actions happened. */
    String caseId;
    Instant at;

    @BeforeEach
    void newCase() {
        caseId = Streams.newCase(kafka);
        at = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void poisonActionsGoToTheDeadLetterAndTheValidOnesAroundThemAreCounted() {
        ActionRecorded before = Streams.action(caseId, "ai-malta", ActionType.LETTER, 3, at);
        ActionRecorded after = Streams.action(caseId, "ai-france", ActionType.SIGNATURE, 2, at);
        String valid = Events.toJson(Streams.action(caseId, "ai-malta", ActionType.LETTER, 1, at));
        String nullType = valid.replace("\"letter\"", "null");
        String hugeCount = valid.replace("\"count\":1", "\"count\":1000000000000000000000000000000");
        // readable, but the database refuses it (a case id longer than any case's) however often it is retried
        String refused = Events.toJson(Streams.action("c".repeat(80), "ai-malta", ActionType.LETTER, 1, at));
        sendRaw(Topics.ACTIONS, caseId, Events.toJson(before), nullType, hugeCount, refused, Events.toJson(after));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(DELIVERY)
                .get("/api/v1/cases/" + caseId + "/counts?until=" + Instant.now()).then().statusCode(200)
                .body("total", equalTo(5)).body("byEntity.ai-malta", equalTo(3)).body("byEntity.ai-france", equalTo(2)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> dead = TopicReader.readAll(kafka, Topics.deadLetter(Topics.ACTIONS));
            assertEquals(1, dead.stream().filter(r -> r.value().equals(nullType)).count(), "null type");
            assertEquals(1, dead.stream().filter(r -> r.value().equals(hugeCount)).count(), "count 10^30");
            assertEquals(1, dead.stream().filter(r -> r.value().equals(refused)).count(), "refused by the database");
        });

        // the partition moves on
        sendRaw(Topics.ACTIONS, caseId, Events.toJson(Streams.action(caseId, "ai-malta", ActionType.LETTER, 10, at)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(DELIVERY)
                .get("/api/v1/cases/" + caseId + "/counts?until=" + Instant.now()).then().body("total", equalTo(15)));
    }

    @Test
    void poisonReviewsGoToTheDeadLetterAndTheValidOnesAroundThemAreApplied() {
        ActionRecorded first = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, at);
        ActionRecorded second = Streams.action(caseId, "ai-france", ActionType.MESSAGE, 1, at);
        String valid = Events.toJson(Streams.review(first, "approved", Instant.now()));
        String nullDecision = Events.toJson(Streams.review(second, "approved", Instant.now()))
                .replace("\"approved\"", "null");
        // readable, but the database refuses it (an entity id longer than any entity's) however often it is retried;
        // a review without an entity, the example here before, can no longer be built (the contract requires it since
        // a read-only review, 6 December 2026)
        String refused = Events.toJson(new MessageReviewed(UUID.randomUUID(), UUID.randomUUID(), CAMPAIGN, caseId,
                "e".repeat(80), "approved", at, Instant.now()));
        sendRaw(Topics.MODERATION, caseId, valid, nullDecision, refused,
                Events.toJson(Streams.review(second, "approved", Instant.now())));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(DELIVERY)
                .get("/api/v1/cases/" + caseId + "/counts?kind=solidarity&until=" + Instant.now()).then()
                .statusCode(200).body("total", equalTo(2)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> dead = TopicReader.readAll(kafka, Topics.deadLetter(Topics.MODERATION));
            assertEquals(1, dead.stream().filter(r -> r.value().equals(nullDecision)).count(), "null decision");
            assertEquals(1, dead.stream().filter(r -> r.value().equals(refused)).count(), "refused by the database");
        });
    }

    /**
     * The database away for a while (SQLSTATE 40001, six times: more than the kit's three attempts for a failure that
     * will not pass): the batch is waited out rather than dead-lettered, and the action is counted exactly once.
     */
    @Test
    void aTransientFailureIsWaitedOutAndTheActionCountedOnce() {
        assertAppliedOnceAfterLedgerFailures(6, "40001", "six failures, then applied");
    }

    /** A failure that is not transient but does not repeat (twice, under the kit's three attempts): retried, counted once. */
    @Test
    void aFailureThatPassesWithinTheAttemptsIsRetriedAndTheActionCountedOnce() {
        assertAppliedOnceAfterLedgerFailures(2, "P0001", "two failures, then applied");
    }

    /** The ledger's write of an action fails {@code times} times with {@code sqlstate}, then passes. */
    private void assertAppliedOnceAfterLedgerFailures(int times, String sqlstate, String why) {
        ActionRecorded action = Streams.action(caseId, "ai-malta", ActionType.LETTER, 7, at);
        String failures = failLedgerWrites(caseId, times, sqlstate);
        try {
            sendRaw(Topics.ACTIONS, caseId, Events.toJson(action));
            await().until(() -> batchesHolding(action) == 1);
            assertEquals(times + 1, Rows.number(db, "select last_value from " + failures), why);
        } finally {
            allowLedgerWrites(failures);
        }
        assertCountedOnceAndNotDeadLettered(action);
    }

    private void assertCountedOnceAndNotDeadLettered(ActionRecorded action) {
        // a later action of the case is counted, so a late duplicate of the first would be too: there is none
        ActionRecorded later = Streams.action(caseId, "ai-france", ActionType.SIGNATURE, 1, at);
        sendRaw(Topics.ACTIONS, caseId, Events.toJson(later));
        await().until(() -> batchesHolding(later) == 1);
        assertEquals(1, batchesHolding(action));
        given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId + "/counts?until=" + Instant.now()).then()
                .statusCode(200).body("total", equalTo(8)).body("byEntity.ai-malta", equalTo(7));
        assertEquals(0, TopicReader.readAll(kafka, Topics.deadLetter(Topics.ACTIONS)).stream()
                .filter(r -> r.value().contains(action.eventId().toString())).count(), "dead-lettered");
    }

    /** How many applied batches of 'actions' hold the action (its cell is a sum, so the kit's window tells). */
    private long batchesHolding(ActionRecorded action) {
        return Rows.number(db, "select count(*) from consumed_batch, unnest(event_ids) id where topic = ? and id = ?",
                Topics.ACTIONS, action.eventId());
    }

    /** The database refuses the first {@code times} ledger writes of the case with {@code sqlState}, then accepts. */
    private String failLedgerWrites(String caseId, int times, String sqlState) {
        String name = "fail_ledger_" + UUID.randomUUID().toString().replace("-", "");
        // a sequence, not a table: its increments survive the rollback of the failed batch
        Rows.execute(db, "create sequence " + name);
        Rows.execute(db, """
                create function %1$s() returns trigger language plpgsql as $$
                begin
                    if nextval('%1$s') <= %2$d then
                        raise exception 'the test refuses this ledger write' using errcode = '%3$s';
                    end if;
                    return new;
                end $$""".formatted(name, times, sqlState));
        Rows.execute(db, """
                create trigger %1$s before insert on action_count for each row
                when (new.case_id = '%2$s') execute function %1$s()""".formatted(name, caseId));
        return name;
    }

    private void allowLedgerWrites(String name) {
        Rows.execute(db, "drop trigger " + name + " on action_count");
        Rows.execute(db, "drop function " + name + "()");
        Rows.execute(db, "drop sequence " + name);
    }

    private void sendRaw(String topic, String key, String... payloads) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka, "acks", "all", "linger.ms", "50"),
                new StringSerializer(), new StringSerializer())) {
            for (String payload : payloads) {
                producer.send(new ProducerRecord<>(topic, key, payload));
            }
            producer.flush();
        }
    }
}

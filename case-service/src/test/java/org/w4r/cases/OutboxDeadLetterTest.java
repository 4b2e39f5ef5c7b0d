package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An outbox row Kafka refuses for good is set aside and the relay goes on. Seen before: an event past the producer's
 * size limit could never be sent, the relay retried its oldest batch forever, and every later hold and revocation
 * stopped propagating. A tombstone (null payload) leaves as a tombstone.
 */
@QuarkusTest
class OutboxDeadLetterTest extends RunningService {
    @Test
    void aRowKafkaRefusesIsSetAsideAndTheRowsAfterItLeave() throws Exception {
        String run = UUID.randomUUID().toString();
        long deadBefore = relay.deadLetters();
        try (Connection c = db.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "insert into outbox (topic, event_key, payload) values (?, ?, ?)")) {
            // larger than the producer's max.request.size (1 MiB): can never be sent
            insert.setString(1, Topics.CASES);
            insert.setString(2, "too-large-" + run);
            insert.setString(3, "{\"pad\":\"" + "x".repeat(1_200_000) + "\"}");
            insert.addBatch();
            insert.setString(1, Topics.CASES);
            insert.setString(2, "after-" + run);
            insert.setString(3, null);
            insert.addBatch();
            insert.executeBatch();
        }
        relay.wakeUp();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> records = TopicReader.readAll(kafka, Topics.CASES);
            assertTrue(records.stream().anyMatch(r -> ("after-" + run).equals(r.key()) && r.value() == null),
                    "the tombstone behind the refused row reached Kafka, as a tombstone");
        });
        assertEquals(deadBefore + 1, relay.deadLetters());
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "select error from outbox_dead_letter where event_key = ?")) {
            select.setString(1, "too-large-" + run);
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next(), "the refused row is kept in outbox_dead_letter");
                assertTrue(rs.getString(1).contains("RecordTooLarge"), rs.getString(1));
            }
        }
        assertEquals(0, relay.backlog(), "nothing is left waiting in the outbox");

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'dead-letters' }.data.outboxDeadLetters", equalTo((int) (deadBefore + 1)));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/outbox/dead-letters").then().statusCode(200)
                .body("key", hasItem("too-large-" + run));
        given().auth().oauth2(DemoCredentials.caseManager()).get("/api/v1/outbox/dead-letters").then().statusCode(403);
    }
}

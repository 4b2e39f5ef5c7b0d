package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/**
 * An entity whose clock runs ahead (issue 14). Seconds or minutes ahead (within the 5 minutes' skew allowed) it is
 * accepted and dated when it reached us, never later: an action in the future would be counted by the tally on a
 * day that has not begun (the tally's day is the event's {@code occurredAt}; its freshness is {@code recordedAt},
 * petition-service's own clock). Hours or years ahead it is refused as a 400 problem+json naming the field, alone
 * and as a batch item, and nothing is stored or published.
 */
@QuarkusTest
@WithPlatformResources
class ClockAheadTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    static Response post(String path, String body) {
        return given().auth().oauth2(entityKey("ai-malta")).contentType(ContentType.JSON).body(body).post(path);
    }

    static String action(Instant occurredAt) {
        return "{\"caseId\":\"el-hiblu-3\",\"type\":\"letter\",\"occurredAt\":\"" + occurredAt + "\"}";
    }

    @Test
    void secondsAndMinutesAheadAreAcceptedAndDatedWhenTheyReachedUs() {
        for (Duration ahead : new Duration[]{Duration.ofSeconds(3), Duration.ofSeconds(90), Duration.ofMinutes(4)}) {
            Instant sent = Instant.now();
            Response r = post("/api/v1/actions", action(sent.plus(ahead)));
            r.then().statusCode(202);
            assertNotAhead(r.path("results[0].actionId"), ahead, sent);
        }
        Instant sent = Instant.now();
        Response signature = post("/api/v1/signatures", """
                {"caseIds":["el-hiblu-3"],"signer":{"name":"Ada","email":"ahead-%s@example.org"},"occurredAt":"%s"}"""
                .formatted(UUID.randomUUID(), sent.plus(Duration.ofMinutes(2))));
        signature.then().statusCode(202);
        assertNotAhead(signature.path("results[0].actionId"), Duration.ofMinutes(2), sent);
        Instant messageSent = Instant.now();
        Response message = post("/api/v1/messages", """
                {"caseId":"el-hiblu-3","author":{"name":"Ada"},"text":"Courage","occurredAt":"%s"}"""
                .formatted(messageSent.plus(Duration.ofMinutes(3))));
        message.then().statusCode(202);
        assertNotAhead(message.path("results[0].actionId"), Duration.ofMinutes(3), messageSent);
    }

    @Test
    void hoursAndYearsAheadAreRefusedAndNothingIsStored() {
        String marker = "clock-ahead-" + UUID.randomUUID();
        for (Duration ahead : new Duration[]{Duration.ofMinutes(6), Duration.ofHours(3), Duration.ofDays(2), Duration.ofDays(5 * 365)}) {
            Instant when = Instant.now().plus(ahead);
            Response r = post("/api/v1/actions", action(when));
            r.then().statusCode(400).contentType("application/problem+json");
            assertEquals("occurredAt", r.path("field"), r.asString());
            Response batch = post("/api/v1/batches", """
                    {"items":[{"id":"ahead","kind":"action","body":%s},
                              {"id":"%s","kind":"action","body":{"caseId":"el-hiblu-3","type":"postcard"}}]}"""
                    .formatted(action(when), marker));
            batch.then().statusCode(200);
            assertEquals(400, (int) batch.path("results[0].status"), batch.asString());
            assertEquals("occurredAt", batch.path("results[0].problem.field"), batch.asString());
            assertEquals(202, (int) batch.path("results[1].status"), "the batch's other item is taken: " + batch.asString());
        }
    }

    /** Stored and published dated no later than petition-service's own clock said when it took the action. */
    private void assertNotAhead(String actionId, Duration ahead, Instant sent) {
        assertNotNull(actionId);
        ActionRecorded event = await().atMost(Duration.ofSeconds(60)).until(() -> recorded(actionId), e -> e != null);
        assertFalse(event.occurredAt().isAfter(event.recordedAt()),
                ahead + " ahead: occurredAt " + event.occurredAt() + " is after recordedAt " + event.recordedAt());
        // dated when it reached us, not earlier: the request was sent before, the answer recorded after
        assertFalse(event.occurredAt().isBefore(sent.truncatedTo(ChronoUnit.MICROS)),
                ahead + " ahead: occurredAt " + event.occurredAt() + " is before the request was sent, " + sent);
    }

    private ActionRecorded recorded(String actionId) {
        for (ConsumerRecord<String, String> record : TopicReader.readAll(kafka, Topics.ACTIONS)) {
            if (record.value().contains(actionId)
                    && Events.fromJson(record.value(), ActionEvent.class) instanceof ActionRecorded r
                    && r.actionId().toString().equals(actionId)) {
                return r;
            }
        }
        return null;
    }
}

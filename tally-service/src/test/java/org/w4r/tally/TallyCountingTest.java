package org.w4r.tally;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.CAMPAIGN;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

@QuarkusTest
@WithPlatformResources
class TallyCountingTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    static JsonPath totals() {
        return given().auth().oauth2(staffToken("coordinator")).get("/api/v1/totals")
                .then().statusCode(200).body("campaignId", equalTo(CAMPAIGN)).extract().jsonPath();
    }

    static long caseTotal(JsonPath totals, String caseId) {
        return totals.getLong("cases.find { it.caseId == '" + caseId + "' }.total");
    }

    static long entityTotal(JsonPath totals, String entityId) {
        Object value = totals.get("entities.find { it.entityId == '" + entityId + "' }.total");
        return value == null ? 0 : ((Number) value).longValue();
    }

    static ActionRecorded action(String caseId, String entityId, ActionType type, Mode mode, long count) {
        Instant now = Instant.now();
        return new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), CAMPAIGN, caseId, entityId, type, mode, count, now, now);
    }

    void publish(ActionEvent... events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka, "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (ActionEvent event : events) {
                ReferenceFixtures.send(producer, Topics.ACTIONS, event.key(), event);
            }
        }
    }

    @Test
    void everyEventCountsOnceEvenWhenPublishedTwiceAndCorrectionsSubtract() {
        JsonPath before = totals();
        ActionRecorded signature = action("el-hiblu-3", "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, 1);
        ActionRecorded letters = action("el-hiblu-3", "ai-malta", ActionType.LETTER, Mode.OFFLINE, 1250);
        ActionRecorded noCase = action(null, "international-members", ActionType.TWEET, Mode.ONLINE, 1);
        ActionCorrected correction = new ActionCorrected(UUID.randomUUID(), letters.actionId(), CAMPAIGN, "el-hiblu-3",
                "ai-malta", ActionType.LETTER, Mode.OFFLINE, -50, letters.occurredAt(), Instant.now());
        // duplicates: the same events published again, as an outbox relay re-sending after a crash would
        publish(signature, letters, noCase, signature, correction, letters, correction);

        await().untilAsserted(() -> {
            JsonPath after = totals();
            assertEquals(before.getLong("total") + 1 + 1200 + 1, after.getLong("total"));
            assertEquals(caseTotal(before, "el-hiblu-3") + 1201, caseTotal(after, "el-hiblu-3"));
            assertEquals(before.getLong("withoutCase") + 1, after.getLong("withoutCase"));
            assertEquals(entityTotal(before, "ai-malta") + 1201, entityTotal(after, "ai-malta"));
            assertEquals(entityTotal(before, "international-members") + 1, entityTotal(after, "international-members"));
        });
        // and nothing more arrives later: the duplicates were skipped, not delayed. The marker is on the duplicates' own
        // key (so their partition, behind them): once it is counted, every duplicate has been seen
        publish(action("el-hiblu-3", "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, 1));
        await().untilAsserted(() -> assertEquals(before.getLong("total") + 1203, totals().getLong("total")));
        assertEquals(caseTotal(before, "el-hiblu-3") + 1202, caseTotal(totals(), "el-hiblu-3"));
        assertEquals(entityTotal(before, "ai-malta") + 1202, entityTotal(totals(), "ai-malta"));
    }

    @Test
    void everyCaseOfTheCampaignIsListedAndTotalsNeedAStaffToken() {
        JsonPath totals = totals();
        assertEquals(java.util.Set.copyOf(ReferenceFixtures.CASES), java.util.Set.copyOf(totals.getList("cases.caseId")));
        assertEquals(ReferenceFixtures.CASES.size(), totals.getList("cases").size(), "each case once");
        given().get("/api/v1/totals").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(ReferenceFixtures.entityKey("ai-france")).get("/api/v1/totals").then().statusCode(403);
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/totals?campaign=nope").then().statusCode(404);
    }
}

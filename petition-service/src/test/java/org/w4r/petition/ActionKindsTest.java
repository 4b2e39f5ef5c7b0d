package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Events;
import org.w4r.events.MessageReviewed;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

@QuarkusTest
@WithPlatformResources
class ActionKindsTest {

    static ValidatableResponse post(String entity, String path, String body) {
        return given().auth().oauth2(entityKey(entity)).contentType(ContentType.JSON).body(body).post(path).then();
    }

    static List<ActionEvent> events(String actionId) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> Stream.containing(Topics.ACTIONS, actionId), l -> !l.isEmpty()).stream()
                .map(r -> Events.fromJson(r.value(), ActionEvent.class)).toList();
    }

    @Test
    void anOnlineActionWithoutACaseIsKeyedByItsEntity() {
        String actionId = post("ai-malta", "/api/v1/actions", "{\"type\":\"tweet\"}").statusCode(202)
                .body("results[0].status", equalTo("accepted")).extract().path("results[0].actionId");
        ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(60)).until(() -> Stream.containing(Topics.ACTIONS, actionId),
                l -> l.size() == 1).get(0);
        assertEquals("entity:ai-malta", record.key());
        ActionRecorded event = (ActionRecorded) Events.fromJson(record.value(), ActionEvent.class);
        assertEquals(ActionType.TWEET, event.type());
        assertEquals(null, event.caseId());

        post("ai-malta", "/api/v1/actions", "{\"type\":\"signature\",\"caseId\":\"el-hiblu-3\"}").statusCode(400)
                .body("field", equalTo("type"));
        post("ai-malta", "/api/v1/actions", "{\"type\":\"carrier-pigeon\"}").statusCode(400).body("field", equalTo("type"));
        post("ai-malta", "/api/v1/actions", "{\"type\":\"sms\",\"caseId\":\"\"}").statusCode(400).body("field", equalTo("caseId"));
    }

    @Test
    void offlineCountsAreALedgerWithCorrections() {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String id = post("ai-france", "/api/v1/offline-counts", """
                {"caseId":"el-hiblu-3","type":"letter","count":1250,"event":{"name":"School marathon","date":"%s","place":"Lyon"}}"""
                .formatted(today)).statusCode(202).extract().path("results[0].actionId");
        ActionRecorded recorded = (ActionRecorded) events(id).get(0);
        assertEquals(Mode.OFFLINE, recorded.mode());
        assertEquals(1250, recorded.count());

        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body("{\"delta\":-50,\"reason\":\"double-counted box\"}")
                .post("/api/v1/offline-counts/" + id + "/corrections").then().statusCode(201).body("net", equalTo(1200));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertTrue(events(id).stream().anyMatch(e -> e instanceof ActionCorrected c
                && c.delta() == -50 && c.occurredAt().equals(recorded.occurredAt()))));
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body("{\"delta\":-1201,\"reason\":\"too much\"}")
                .post("/api/v1/offline-counts/" + id + "/corrections").then().statusCode(422);
        given().auth().oauth2(entityKey("ai-malta")).contentType(ContentType.JSON)
                .body("{\"delta\":-1,\"reason\":\"not mine\"}")
                .post("/api/v1/offline-counts/" + id + "/corrections").then().statusCode(404);
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/offline-counts/" + id).then().statusCode(200)
                .body("count", equalTo(1250)).body("net", equalTo(1200)).body("corrections[0].delta", equalTo(-50));
        // two corrections in one batch: the second sees the first, so the count never goes below zero; a taken one's
        // status is its own endpoint's, 201 (a batch said 202 until 6 December 2026)
        post("ai-france", "/api/v1/batches", """
                {"items":[{"id":"1","kind":"offline-correction","body":{"offlineCountId":"%s","delta":-1000,"reason":"a"}},
                          {"id":"2","kind":"offline-correction","body":{"offlineCountId":"%s","delta":-300,"reason":"b"}}]}"""
                .formatted(id, id)).statusCode(200).body("results[0].status", equalTo(201))
                .body("results[1].status", equalTo(422));
    }

    @Test
    void badOfflineCountsAreRefused() {
        String event = "\"event\":{\"name\":\"Fair\",\"date\":\"" + LocalDate.now(ZoneOffset.UTC) + "\"}";
        post("ai-france", "/api/v1/offline-counts", "{\"type\":\"letter\",\"count\":0," + event + "}").statusCode(400)
                .body("field", equalTo("count"));
        post("ai-france", "/api/v1/offline-counts", "{\"type\":\"letter\",\"count\":1000001," + event + "}").statusCode(400);
        post("ai-france", "/api/v1/offline-counts", "{\"type\":\"message\",\"count\":3," + event + "}").statusCode(400)
                .body("field", equalTo("type"));
        post("ai-france", "/api/v1/offline-counts", "{\"type\":\"letter\",\"count\":3,\"event\":{\"name\":\"Fair\",\"date\":\""
                + LocalDate.now(ZoneOffset.UTC).plusDays(3) + "\"}}").statusCode(400).body("field", equalTo("event.date"));
        post("ai-france", "/api/v1/offline-counts", "{\"type\":\"letter\",\"count\":3,\"event\":{\"name\":\"Fair\",\"date\":\"31/12/2026\"}}")
                .statusCode(400).contentType("application/problem+json");
    }

    /**
     * The longest language tag the request takes (a primary subtag and three of eight characters: 30) is stored, alone
     * and as a batch item beside another: the column took 16 characters, so a valid tag such as RFC 5646's
     * "sl-rozaj-biske-1994" was refused by the database, and as a batch item failed the whole batch (a read-only
     * review, 6 December 2026).
     */
    @Test
    void theLongestLanguageTagTakenIsStoredAloneAndInABatch() {
        for (String language : List.of("sl-rozaj-biske-1994", "abc-abcdefgh-abcdefgh-12345678")) {
            post("ai-france", "/api/v1/messages", """
                    {"caseId":"nassima-al-sada","author":{"name":"Grace"},"text":"Courage","language":"%s"}"""
                    .formatted(language))
                    .statusCode(202);
            post("ai-france", "/api/v1/batches", """
                    {"items":[{"id":"1","kind":"action","body":{"caseId":"nassima-al-sada","type":"letter"}},
                              {"id":"2","kind":"message","body":{"caseId":"nassima-al-sada","author":{"name":"Grace"},"text":"Courage","language":"%s"}}]}"""
                    .formatted(language)).statusCode(200).body("accepted", equalTo(2))
                    .body("results[1].status", equalTo(202));
        }
    }

    @Test
    void messagesAreCountedModeratedAndTakenBackWhenAbusive() {
        String text = "<script>alert('x')</script> Stay strong, Nassima!";
        String kept = post("ai-france", "/api/v1/messages", """
                {"caseId":"nassima-al-sada","author":{"name":"Léa","country":"FR"},"text":"%s","language":"fr"}"""
                .formatted(text.replace("'", "\\u0027"))).statusCode(202).extract().path("results[0].actionId");
        String abusive = post("ai-france", "/api/v1/messages", """
                {"caseId":"nassima-al-sada","author":{"name":"Troll"},"text":"abuse"}""").statusCode(202)
                .extract().path("results[0].actionId");
        assertEquals(ActionType.MESSAGE, ((ActionRecorded) events(kept).get(0)).type());

        String moderator = staffToken("moderator");
        // authors' names and texts: never kept in the moderator's browser cache (service-kit NoStoreForCallers)
        given().auth().oauth2(moderator).get("/api/v1/messages?caseId=nassima-al-sada&status=pending").then()
                .statusCode(200).header("Cache-Control", "no-store").body("messageId", hasItem(kept))
                .body("find { it.messageId == '" + kept + "' }.text", equalTo(text));
        // the queue of one campaign (the staff UI's picker) holds its messages and no other campaign's
        given().auth().oauth2(moderator).get("/api/v1/messages?status=pending&campaignId=" + ReferenceFixtures.CAMPAIGN)
                .then().statusCode(200).body("messageId", hasItem(kept));
        given().auth().oauth2(moderator).get("/api/v1/messages?status=pending&campaignId=another-edition").then()
                .statusCode(200).body("messageId", not(hasItem(kept)));
        given().auth().oauth2(moderator).contentType(ContentType.JSON).body("{\"decision\":\"approve\"}")
                .post("/api/v1/messages/" + kept + "/decision").then().statusCode(200).body("status", equalTo("approved"));
        given().auth().oauth2(moderator).contentType(ContentType.JSON)
                .body("{\"decision\":\"reject\",\"reason\":\"insults\",\"abuse\":true}")
                .post("/api/v1/messages/" + abusive + "/decision").then().statusCode(200).body("status", equalTo("rejected"));
        given().auth().oauth2(moderator).contentType(ContentType.JSON).body("{\"decision\":\"approve\"}")
                .post("/api/v1/messages/" + abusive + "/decision").then().statusCode(409);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertTrue(events(abusive).stream()
                .anyMatch(e -> e instanceof ActionCorrected c && c.delta() == -1)));
        assertFalse(events(kept).stream().anyMatch(e -> e instanceof ActionCorrected), "approved: still counted");
        MessageReviewed review = Events.fromJson(await().atMost(Duration.ofSeconds(60)).until(() -> Stream.containing(Topics.MODERATION, kept),
                l -> !l.isEmpty()).get(0).value(), MessageReviewed.class);
        assertEquals(MessageReviewed.APPROVED, review.decision());
        assertFalse(Stream.containing(Topics.MODERATION, kept).get(0).value().contains("Stay strong"), "no text on the stream");

        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?caseId=nassima-al-sada&status=approved")
                .then().statusCode(200).body("messageId", hasItem(kept)).body("messageId", not(hasItem(abusive)));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?status=pending").then().statusCode(403);
        given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/messages?caseId=nassima-al-sada&status=approved&until=2000-01-01T00:00:00Z")
                .then().statusCode(200).body("messageId", not(hasItem(kept)));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?caseId=nassima-al-sada&status=approved&until=tomorrow")
                .then().statusCode(400).body("field", equalTo("until"));
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/messages").then().statusCode(403);
        post("ai-france", "/api/v1/messages", "{\"caseId\":\"nassima-al-sada\",\"author\":{\"name\":\"A\"},\"text\":\""
                + "x".repeat(2001) + "\"}").statusCode(400).body("field", equalTo("text"));
        post("ai-france", "/api/v1/messages", "{\"author\":{\"name\":\"A\"},\"text\":\"hi\"}").statusCode(400)
                .body("field", equalTo("caseId"));
    }

    @Test
    void aBatchIsAnsweredItemByItemAndStoresOnlyTheGoodItems() {
        String email = "batch-" + UUID.randomUUID() + "@example.org";
        ValidatableResponse response = post("ai-malta", "/api/v1/batches", """
                {"items":[
                  {"id":"a","kind":"signature","body":{"caseIds":["el-hiblu-3","nassima-al-sada"],"signer":{"name":"M","email":"%s"}}},
                  {"id":"b","kind":"action","body":{"type":"postcard","caseId":"el-hiblu-3"}},
                  {"id":"c","kind":"action","body":{"type":"postcard","caseId":"no-such-case"}},
                  {"id":"d","kind":"signature","body":{"caseIds":["el-hiblu-3"],"signer":{"name":"M","email":"%s"}}},
                  {"id":"e","kind":"telegram","body":{}}
                ]}""".formatted(email, email.toUpperCase()));
        response.statusCode(200).body("accepted", equalTo(3)).body("refused", equalTo(2))
                .body("results.id", equalTo(List.of("a", "b", "c", "d", "e")))
                .body("results[0].status", equalTo(202)).body("results[0].result.results.size()", equalTo(2))
                .body("results[2].status", equalTo(404)).body("results[2].problem.id", equalTo("no-such-case"))
                .body("results[3].result.results[0].status", equalTo("duplicate"))
                .body("results[4].status", equalTo(400));
        String postcard = response.extract().path("results[1].result.results[0].actionId");
        events(postcard);

        post("ai-malta", "/api/v1/batches", "{\"items\":[{\"id\":\"x\",\"kind\":\"action\",\"body\":{\"type\":\"sms\"}},"
                + "{\"id\":\"x\",\"kind\":\"action\",\"body\":{\"type\":\"sms\"}}]}").statusCode(400);
        post("ai-malta", "/api/v1/batches", "{\"items\":[]}").statusCode(400);
    }
}

package org.w4r.it;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An Idempotency-Key is kept in the database, not in the process: after petition-service is killed and started
 * again, the same key and body get the first answer back and publish nothing new, and the same key with another
 * body is refused (422) and stores nothing.
 */
class IdempotencyAcrossRestartIT {
    @Test
    void aSignatureReplayedWithItsKeyAfterARestartGetsTheSameAnswerAndPublishesNothing() throws Exception {
        TestPlatform platform = TestPlatform.get();
        OwnCampaign campaign = OwnCampaign.publish(platform.kafka, "replay-key");
        String key = "signature-" + UUID.randomUUID();
        String body = """
                {"caseIds":["%s"],"signer":{"name":"Replayed Signer","email":"%s@example.org"}}"""
                .formatted(campaign.cases().get(0), UUID.randomUUID());
        try (OwnPetitionDatabase database = new OwnPetitionDatabase(platform, "restart")) {
            String first;
            String actionId;
            try (ServiceProcess petitions = database.start("petition-service-restart")) {
                petitions.awaitReady(Duration.ofSeconds(90));
                // the entity's key arrives over Kafka; until then the answer is 401 and no key is taken
                Response answer = await().atMost(Duration.ofSeconds(60)).until(() -> sign(petitions, campaign, key, body),
                        r -> r.statusCode() != 401);
                assertEquals(202, answer.statusCode(), answer.asString());
                first = answer.asString();
                actionId = answer.jsonPath().getString("results[0].actionId");
                await().atMost(Duration.ofSeconds(60)).until(() -> NoAcknowledgedActionLostIT
                        .published(platform.kafka, campaign).containsKey(actionId));
                petitions.kill();
            }
            try (ServiceProcess restarted = database.start("petition-service-restart")) {
                restarted.awaitReady(Duration.ofSeconds(90));
                Response replay = await().atMost(Duration.ofSeconds(60)).until(() -> sign(restarted, campaign, key, body),
                        r -> r.statusCode() != 401);
                assertEquals(202, replay.statusCode(), replay.asString());
                assertEquals(JsonPath.from(first).getMap("$"), replay.jsonPath().getMap("$"), "not the stored answer");
                assertEquals("true", replay.header("Idempotent-Replayed"), "answered afresh, not replayed");

                String other = body.replace("Replayed Signer", "Another Signer");
                sign(restarted, campaign, key, other).then().statusCode(422).contentType("application/problem+json");

                // a later signature, through the same outbox: once it is on the topic, a replay's event would be too
                String marker = sign(restarted, campaign, "marker-" + UUID.randomUUID(), """
                        {"caseIds":["%s"],"signer":{"name":"Marker","email":"%s@example.org"}}"""
                        .formatted(campaign.cases().get(1), UUID.randomUUID()))
                        .then().statusCode(202).extract().path("results[0].actionId");
                await().atMost(Duration.ofSeconds(60)).until(() -> NoAcknowledgedActionLostIT
                        .published(platform.kafka, campaign).containsKey(marker));
                var published = NoAcknowledgedActionLostIT.published(platform.kafka, campaign);
                assertEquals(Set.of(actionId, marker), published.keySet());
                assertEquals(1, published.get(actionId).size(), "the replayed signature was published again");
            }
            // nothing stored for the replay or for the refused body: the first signature and the marker only
            try (Connection db = database.connect();
                 Statement query = db.createStatement();
                 ResultSet rs = query.executeQuery("select count(*) from signature")) {
                rs.next();
                assertEquals(2, rs.getLong(1));
            }
        }
    }

    static Response sign(ServiceProcess petitions, OwnCampaign campaign, String key, String body) {
        return given().auth().oauth2(campaign.entityKey()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post(petitions.url() + "/api/v1/signatures");
    }
}

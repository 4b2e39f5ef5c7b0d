package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * A case on safety hold closes every door of petition-service to delivery: its signer list and its approved messages.
 * Seen before: delivery staff could still read a held case's approved messages (GET /messages?caseId=held → 200).
 */
@QuarkusTest
@WithPlatformResources
class HeldCaseDoorsTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    void setCase(String caseId, CaseChanged.Hold hold) {
        ReferenceFixtures.publishCase(kafka, caseId, hold);
    }

    String approvedMessage(String caseId) {
        String id = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body("{\"caseId\":\"" + caseId + "\",\"author\":{\"name\":\"Léa\",\"country\":\"FR\"},\"text\":\"Courage\"}")
                .post("/api/v1/messages").then().statusCode(202).extract().path("results[0].actionId");
        given().auth().oauth2(staffToken("moderator")).contentType(ContentType.JSON).body("{\"decision\":\"approve\"}")
                .post("/api/v1/messages/" + id + "/decision").then().statusCode(200);
        return id;
    }

    @Test
    void aHeldCaseHandsOutNoMessagesToDeliveryUntilTheHoldIsLifted() {
        String caseId = "door-" + UUID.randomUUID().toString().substring(0, 8);
        setCase(caseId, null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/messages?status=approved&caseId=" + caseId).then().statusCode(200));
        approvedMessage(caseId);
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?status=approved&caseId=" + caseId)
                .then().statusCode(200).body("$", hasSize(1));

        setCase(caseId, new CaseChanged.Hold(7, Instant.now()));
        // no waiting: the read itself catches up with every hold published before it
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?status=approved&caseId=" + caseId)
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("case-on-hold")).body("hold.holdId", equalTo(7));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv")
                .then().statusCode(409).body("type", containsString("case-on-hold"));
        // moderation goes on (nothing reviewed is delivered while held)
        given().auth().oauth2(staffToken("moderator")).get("/api/v1/messages?status=approved&caseId=" + caseId)
                .then().statusCode(200).body("$", hasSize(1));

        setCase(caseId, null);
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?status=approved&caseId=" + caseId)
                .then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void deliveryReadsTheMessagesOfOneCaseOnly() {
        // across cases, a held case's messages would slip through: delivery names the case
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?status=approved")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("caseId"));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?status=approved&caseId=no-such-case")
                .then().statusCode(404);
    }
}

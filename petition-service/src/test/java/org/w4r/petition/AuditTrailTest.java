package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.WithPlatformResources;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Issue 15, point 6: moderation, erasures and corrections of offline counts land in petition-service's audit trail,
 * written by the one committer in the transaction of the change; nothing a signer or an author wrote goes in.
 */
@QuarkusTest
@WithPlatformResources
class AuditTrailTest {
    static Response trail(String query) {
        return given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?" + query);
    }

    /** The trail holds exactly one entry about {@code subjectId}, with {@code fields} (paths within the entry). */
    static Response onlyEntry(String subjectId, Map<String, Object> fields) {
        Response page = trail("subjectId=" + subjectId);
        ValidatableResponse entries = page.then().statusCode(200).body("entries", hasSize(1));
        fields.forEach((path, value) -> entries.body("entries[0]." + path, equalTo(value)));
        return page;
    }

    @Test
    void aModerationDecisionIsRecordedWithoutItsReason() {
        String messageId = ErasureTest.message("ai-malta", "nassima-al-sada", ErasureTest.email());
        given().auth().oauth2(staffToken("moderator")).contentType(ContentType.JSON)
                .body("{\"decision\":\"reject\",\"reason\":\"quotes the author's home town\",\"abuse\":true}")
                .post("/api/v1/messages/" + messageId + "/decision").then().statusCode(200);
        Response page = onlyEntry(messageId, Map.of("action", "message.reviewed", "actorRole", "moderator",
                "entityId", "ai-malta", "detail.decision", "rejected", "detail.abuse", true, "detail.caseId", "nassima-al-sada"));
        assertFalse(page.asString().contains("home town"), "a reason never enters the trail");
        assertFalse(page.asString().contains("Grace"), "nor does anything of the author");

        // a refused decision (already reviewed) leaves nothing
        given().auth().oauth2(staffToken("moderator")).contentType(ContentType.JSON).body("{\"decision\":\"approve\"}")
                .post("/api/v1/messages/" + messageId + "/decision").then().statusCode(409);
        trail("subjectId=" + messageId).then().body("entries", hasSize(1));
    }

    @Test
    void anErasureIsRecordedByItsIdAndSizeNeverByTheAddress() {
        String email = ErasureTest.email();
        ErasureTest.sign("ai-france", "el-hiblu-3", email);
        String erasureId = ErasureTest.erase(entityKey("ai-france"), email).then().statusCode(202)
                .extract().path("erasureId");
        Response page = onlyEntry(erasureId, Map.of("action", "erasure.requested", "actor", "ai-france",
                "actorEntity", "ai-france", "entityId", "ai-france", "detail.actions", 1));
        assertFalse(page.asString().contains(email.substring(0, 20)), "the address never enters the trail");
    }

    @Test
    void anOfflineCorrectionIsRecordedWithItsDeltaAndTheNetCount() {
        String id = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).body("""
                        {"caseId":"el-hiblu-3","type":"letter","count":40,"event":{"name":"Fair","date":"%s","place":"Nice"}}"""
                        .formatted(LocalDate.now(ZoneOffset.UTC)))
                .post("/api/v1/offline-counts").then().statusCode(202).extract().path("results[0].actionId");
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body("{\"delta\":-5,\"reason\":\"miscounted\"}")
                .post("/api/v1/offline-counts/" + id + "/corrections").then().statusCode(201);
        trail("subjectId=" + id).then().statusCode(200)
                .body("entries.action", equalTo(List.of("offline-count.corrected")))
                .body("entries[0].detail.delta", equalTo(-5))
                .body("entries[0].detail.net", equalTo(35))
                .body("entries[0].keyId", org.hamcrest.Matchers.notNullValue());
    }
}

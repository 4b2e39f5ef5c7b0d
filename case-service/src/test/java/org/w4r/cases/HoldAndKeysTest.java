package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import org.w4r.events.CredentialChanged;
import org.w4r.kit.security.Credentials;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class HoldAndKeysTest extends RunningService {
    <T> T latest(String topic, String key, Class<T> type) {
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(kafka, topic);
        return records.stream().filter(r -> key.equals(r.key())).reduce((a, b) -> b)
                .map(r -> Events.fromJson(r.value(), type)).orElseThrow();
    }

    @Test
    void aHoldIsRecordedWithWhoAndWhenAndIsOnTheStreamBeforeTheAnswer() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        String manager = DemoCredentials.caseManager();
        given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"reason\":\"coup: protect the family\"}")
                .put("/api/v1/cases/" + caseId + "/hold")
                .then().statusCode(200).header("W4R-Propagated", "true")
                .body("hold.reason", equalTo("coup: protect the family"))
                .body("hold.placedBy", equalTo("demo-case-manager")).body("hold.placedAt", notNullValue());
        // 200 means it is on Kafka already: no waiting here
        CaseChanged held = latest(Topics.CASES, caseId, CaseChanged.class);
        assertNotNull(held.hold());
        assertFalse(Events.toJson(held).contains("protect the family"), "a hold's reason stays in case-service");
        assertFalse(Events.toJson(held).contains("demo-case-manager"), "so does who placed it");
        Map<String, Object> hold = Effects.row(db, "select * from case_hold where case_id = ?", caseId);
        assertEquals("coup: protect the family", hold.get("reason"));
        assertEquals("demo-case-manager", hold.get("placed_by"));
        assertNull(hold.get("lifted_at"));
        assertEquals(hold.get("id"), Effects.caseRow(db, caseId).get("hold_id"));
        assertEquals(((Number) hold.get("id")).longValue(), held.hold().holdId(), "the topic names the stored hold");

        given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"reason\":\"again\"}")
                .put("/api/v1/cases/" + caseId + "/hold").then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"reason\":\" \"}")
                .put("/api/v1/cases/el-hiblu-3/hold").then().statusCode(400).body("field", equalTo("reason"));

        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + held.hold().holdId())
                .then().statusCode(200).body("hold", nullValue());
        assertNull(latest(Topics.CASES, caseId, CaseChanged.class).hold());
        assertNotNull(Effects.row(db, "select * from case_hold where case_id = ?", caseId).get("lifted_at"));
        Map<String, Object> lifted = Effects.caseRow(db, caseId);
        assertNull(lifted.get("hold_id"));
        assertNull(lifted.get("hold_reason"));
        assertNull(lifted.get("hold_placed_at"));
        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + held.hold().holdId())
                .then().statusCode(409);

        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + caseId + "/holds")
                .then().statusCode(200).body("$", hasSize(1))
                .body("[0].placedBy", equalTo("demo-case-manager")).body("[0].liftedBy", equalTo("demo-case-manager"))
                .body("[0].liftedAt", notNullValue());
    }

    /**
     * A case manager whose page still shows hold 1 (lifted since by someone else, and a hold 2 placed for a new
     * threat) must not lift hold 2 with it: the lift names its hold, and another open hold is refused and stays.
     */
    @Test
    void aLiftNamesItsHoldAndNeverLiftsOneItsCallerHasNotSeen() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        String manager = DemoCredentials.caseManager();
        long first = placeHold(manager, caseId, "first threat");
        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + first).then().statusCode(200);
        long second = placeHold(manager, caseId, "a new threat");

        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + first).then()
                .statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/hold-changed")).body("openHoldId", equalTo((int) second));
        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold").then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(manager).get("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("hold.holdId", equalTo((int) second));
        assertEquals(second, latest(Topics.CASES, caseId, CaseChanged.class).hold().holdId(), "still held everywhere");

        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + second).then()
                .statusCode(200).body("hold", nullValue());
    }

    /**
     * A hold id that is no number (or no number PostgreSQL's bigint holds) is the caller's mistake, a 400 naming
     * {@code holdId}: it was answered JAX-RS' 404 for an unconvertible query parameter, read as "no such case" of a
     * case that exists and stays held (a read-only review, 6 December 2026).
     */
    @Test
    void aHoldIdThatIsNoNumberIsA400AndLiftsNothing() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        String manager = DemoCredentials.caseManager();
        long held = placeHold(manager, caseId, "threats");
        for (String holdId : List.of("abc", "99999999999999999999", "1.5", "1e3", "", "%20", "+-1")) {
            given().auth().oauth2(manager).urlEncodingEnabled(false)
                    .delete("/api/v1/cases/" + caseId + "/hold?holdId=" + holdId).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", endsWith("/invalid-field")).body("field", equalTo("holdId"));
        }
        given().auth().oauth2(manager).get("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("hold.holdId", equalTo((int) held));
    }

    private static long placeHold(String manager, String caseId, String reason) {
        return given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"reason\":\"" + reason + "\"}")
                .put("/api/v1/cases/" + caseId + "/hold").then().statusCode(200).extract().jsonPath().getLong("hold.holdId");
    }

    @Test
    void theDemoHoldsPaingPhyoMinAsOnFirstFebruary2021() {
        // a hold's reason is never kept in a staff browser's cache (service-kit NoStoreForCallers)
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/paing-phyo-min")
                .then().statusCode(200).header("Cache-Control", "no-store")
                .body("hold.reason", startsWith("Military coup in Myanmar"));
    }

    @Test
    void aNewKeyIsShownOnceStoredHashedAndRevokedEverywhere() {
        String manager = DemoCredentials.caseManager();
        var issued = given().auth().oauth2(manager).post("/api/v1/entities/ai-iceland/keys")
                .then().statusCode(201).header("Cache-Control", "no-store")
                .body("key", startsWith("w4r_")).body("entityId", equalTo("ai-iceland")).extract().jsonPath();
        String key = issued.getString("key");
        String keyId = issued.getString("keyId");
        given().auth().oauth2(manager).get("/api/v1/entities/ai-iceland/keys").then().statusCode(200)
                .body("[0]", not(hasKey("key"))).body("find { it.keyId == '" + keyId + "' }.revokedAt", nullValue());

        // stored as its hash only, for its own entity
        Map<String, Object> row = Effects.row(db, "select * from credential where key_id = ?", keyId);
        assertEquals(Credentials.sha256(key), ((String) row.get("sha256")).trim());
        assertEquals("ai-iceland", row.get("entity_id"));
        assertEquals("entity", row.get("role"));
        assertNull(row.get("revoked_at"));
        assertEquals(0, Effects.rows(db, "select 1 from credential where sha256 = ? or key_id = ?", key, key).size());

        // published as one event keyed by its id, carrying the hash and never the key
        await().atMost(Effects.BOUND).until(() -> TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .anyMatch(r -> keyId.equals(r.key())));
        List<ConsumerRecord<String, String>> events = TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .filter(r -> keyId.equals(r.key())).toList();
        assertEquals(1, events.size(), "one event per key");
        CredentialChanged event = Events.fromJson(events.get(0).value(), CredentialChanged.class);
        assertEquals(Credentials.sha256(key), event.sha256());
        assertEquals("ai-iceland", event.entityId());
        assertFalse(TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .anyMatch(r -> r.value() != null && r.value().contains(key)), "the stream carries hashes, never keys");

        // the new key works (this service reads credentials from the stream like every other)
        await().atMost(Effects.BOUND).untilAsserted(() -> given().auth().oauth2(key)
                .get("/api/v1/entities/ai-iceland/keys").then().statusCode(200));
        given().auth().oauth2(key).get("/api/v1/entities/ai-france/keys").then().statusCode(403);
        given().auth().oauth2(key).post("/api/v1/entities/ai-france/keys").then().statusCode(403);

        given().auth().oauth2(manager).delete("/api/v1/entities/ai-france/keys/" + keyId).then().statusCode(404);
        assertNull(Effects.row(db, "select * from credential where key_id = ?", keyId).get("revoked_at"),
                "revoking it under another entity did nothing");
        given().auth().oauth2(manager).delete("/api/v1/entities/ai-iceland/keys/" + keyId).then().statusCode(204)
                .header("W4R-Propagated", "true");
        assertNotNull(Effects.row(db, "select * from credential where key_id = ?", keyId).get("revoked_at"));
        // 204 means the tombstone is on Kafka already
        ConsumerRecord<String, String> last = TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .filter(r -> keyId.equals(r.key())).reduce((a, b) -> b).orElseThrow();
        assertNull(last.value(), "a revoked key is a tombstone");
        await().atMost(Effects.BOUND).untilAsserted(() -> given().auth().oauth2(key)
                .get("/api/v1/entities/ai-iceland/keys").then().statusCode(401));
        given().auth().oauth2(manager).get("/api/v1/entities/ai-iceland/keys").then().statusCode(200)
                .body("find { it.keyId == '" + keyId + "' }.revokedAt", notNullValue());
    }

    @Test
    void staffTokensAreIssuedAndRevokedByCaseManagers() {
        String manager = DemoCredentials.caseManager();
        String principal = CaseLifecycleTest.id("moderator");
        var issued = given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + principal + "\",\"role\":\"moderator\"}").post("/api/v1/staff")
                .then().statusCode(201).header("Cache-Control", "no-store").body("role", equalTo("moderator"))
                .extract().jsonPath();
        String token = issued.getString("token");
        String keyId = given().auth().oauth2(manager).get("/api/v1/staff").then().statusCode(200)
                .extract().path("find { it.principal == '" + principal + "' }.keyId");
        assertEquals(issued.getString("keyId"), keyId);
        Map<String, Object> row = Effects.row(db, "select * from credential where key_id = ?", keyId);
        assertEquals(Credentials.sha256(token), ((String) row.get("sha256")).trim());
        assertEquals("moderator", row.get("role"));
        assertEquals(principal, row.get("principal"));
        assertNull(row.get("entity_id"));

        await().atMost(Effects.BOUND).untilAsserted(() ->
                given().auth().oauth2(token).get("/api/v1/cases").then().statusCode(200));
        CredentialChanged event = TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .filter(r -> keyId.equals(r.key())).reduce((a, b) -> b)
                .map(r -> Events.fromJson(r.value(), CredentialChanged.class)).orElseThrow();
        assertEquals(Credentials.sha256(token), event.sha256());
        assertEquals("moderator", event.role());
        assertEquals(principal, event.principal());
        given().auth().oauth2(token).get("/api/v1/staff").then().statusCode(403);

        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + principal + "\",\"role\":\"coordinator\"}").post("/api/v1/staff")
                .then().statusCode(409);
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + CaseLifecycleTest.id("p") + "\",\"role\":\"admin\"}").post("/api/v1/staff")
                .then().statusCode(400);
        assertEquals(1, Effects.rows(db, "select 1 from credential where principal = ?", principal).size(),
                "a refused token is not stored");

        given().auth().oauth2(manager).delete("/api/v1/staff/" + principal + "/tokens/" + keyId).then().statusCode(204)
                .header("W4R-Propagated", "true");
        assertNotNull(Effects.row(db, "select * from credential where key_id = ?", keyId).get("revoked_at"));
        assertNull(TopicReader.readAll(kafka, Topics.CREDENTIALS).stream().filter(r -> keyId.equals(r.key()))
                .reduce((a, b) -> b).orElseThrow().value(), "a revoked token is a tombstone");
        await().atMost(Effects.BOUND).untilAsserted(() ->
                given().auth().oauth2(token).get("/api/v1/cases").then().statusCode(401));
    }
}

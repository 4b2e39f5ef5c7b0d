package org.w4r.cases;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.CredentialChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.kit.security.Credentials;
import org.w4r.testsupport.TopicReader;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entity keys: case managers issue them; an entity's own key rotates within a cap of 3 active keys, even when it
 * asks many times at once; keys expire; each key is one event on 'credentials', and revoking it is a tombstone.
 */
@QuarkusTest
class CredentialsTest extends RunningService {
    @TestHTTPResource("/")
    URL base;

    static String newEntity() {
        String id = CaseLifecycleTest.id("ai-test-keys");
        CaseLifecycleTest.post("/api/v1/entities", "{\"entityId\":\"" + id + "\",\"name\":\"Key test section\"}")
                .statusCode(201);
        return id;
    }

    /** A key a case manager issued for the entity, once it works here (it arrives through the stream). */
    static String managerKey(String entityId, String body) {
        var request = given().auth().oauth2(DemoCredentials.caseManager());
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        String key = request.post("/api/v1/entities/" + entityId + "/keys").then().statusCode(201)
                .body("expiresAt", notNullValue()).extract().path("key");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(key)
                .get("/api/v1/entities/" + entityId + "/keys").then().statusCode(200));
        return key;
    }

    static long activeKeys(String entityId) {
        List<String> expiries = given().auth().oauth2(DemoCredentials.caseManager())
                .get("/api/v1/entities/" + entityId + "/keys").then().statusCode(200)
                .extract().path("findAll { it.revokedAt == null }.expiresAt");
        return expiries.stream().filter(e -> e == null || Instant.parse(e).isAfter(Instant.now())).count();
    }

    /** Rounds of many parallel rotations, each on a fresh entity: the window between count and insert is short. */
    @Test
    void anEntityKeyRotatesWithinThreeActiveKeysEvenWhenItAsksManyTimesAtOnce() throws Exception {
        String entity = null;
        String own = null;
        for (int round = 0; round < 5; round++) {
            entity = newEntity();
            own = managerKey(entity, null);
            assertEquals(2, rotateAtOnce(entity, own, 24), "the manager's key and two rotations: three active keys");
            assertEquals(3, activeKeys(entity));
        }
        given().auth().oauth2(own).post("/api/v1/entities/" + entity + "/keys").then().statusCode(409)
                .body("maxActiveKeys", equalTo(3));

        // a case manager is not bound by the cap
        given().auth().oauth2(DemoCredentials.caseManager()).post("/api/v1/entities/" + entity + "/keys")
                .then().statusCode(201);
        assertEquals(4, activeKeys(entity));

        // once the entity revokes keys it may rotate again, up to the cap
        List<String> ids = given().auth().oauth2(own).get("/api/v1/entities/" + entity + "/keys").then()
                .extract().path("findAll { it.revokedAt == null }.keyId");
        given().auth().oauth2(own).delete("/api/v1/entities/" + entity + "/keys/" + ids.get(ids.size() - 1))
                .then().statusCode(204);
        given().auth().oauth2(own).delete("/api/v1/entities/" + entity + "/keys/" + ids.get(ids.size() - 2))
                .then().statusCode(204);
        given().auth().oauth2(own).post("/api/v1/entities/" + entity + "/keys").then().statusCode(201);
        given().auth().oauth2(own).post("/api/v1/entities/" + entity + "/keys").then().statusCode(409);
    }

    /**
     * Issue and revoke in a loop stays under three active keys; the daily quota stops it (10 by default), exactly,
     * with the wait as Retry-After. A case manager is not bound by it, and its keys do not count.
     */
    @Test
    void anEntityIssuesAtMostItsDailyQuotaOfKeysEvenWhenItRevokesEachOne() {
        String entity = newEntity();
        String own = managerKey(entity, null);
        String keys = "/api/v1/entities/" + entity + "/keys";
        for (int i = 0; i < 10; i++) {
            String keyId = given().auth().oauth2(own).post(keys).then().statusCode(201).extract().path("keyId");
            given().auth().oauth2(own).delete(keys + "/" + keyId).then().statusCode(204);
        }
        String seconds = given().auth().oauth2(own).post(keys).then().statusCode(429)
                .contentType("application/problem+json").body("scope", equalTo("entity-keys"))
                .body("limit", equalTo("10 per 24 h")).extract().header("Retry-After");
        long wait = Long.parseLong(seconds);
        assertTrue(wait > 86_000 && wait <= 86_401, "the first of the ten is freed a day after it was issued: " + wait);
        assertEquals(1, activeKeys(entity), "nothing issued by the refusal");

        given().auth().oauth2(DemoCredentials.caseManager()).post(keys).then().statusCode(201);
        given().auth().oauth2(own).post(keys).then().statusCode(429);
    }

    @Test
    void expiryIsOptionalFutureAndBounded() {
        String entity = newEntity();
        String own = managerKey(entity, null);
        String keys = "/api/v1/entities/" + entity + "/keys";
        Instant now = Instant.now();
        String manager = DemoCredentials.caseManager();
        for (String bad : List.of(now.minus(1, ChronoUnit.MINUTES).toString(), now.plus(366, ChronoUnit.DAYS).toString(),
                "2200-01-01T00:00:00Z", "1999-01-01T00:00:00Z")) {
            given().auth().oauth2(own).contentType(ContentType.JSON).body("{\"expiresAt\":\"" + bad + "\"}")
                    .post(keys).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("expiresAt"));
        }
        for (String bad : List.of("\"tomorrow\"", "1e30", "\"+1000000000-01-01T00:00:00Z\"", "[]")) {
            given().auth().oauth2(own).contentType(ContentType.JSON).body("{\"expiresAt\":" + bad + "}")
                    .post(keys).then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(own).contentType(ContentType.TEXT).body("expiresAt=tomorrow").post(keys)
                .then().statusCode(415).contentType("application/problem+json");
        // a year for the entity itself, two for a case manager
        given().auth().oauth2(own).contentType(ContentType.JSON)
                .body("{\"expiresAt\":\"" + now.plus(364, ChronoUnit.DAYS) + "\"}").post(keys).then().statusCode(201);
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"expiresAt\":\"" + now.plus(700, ChronoUnit.DAYS) + "\"}").post(keys).then().statusCode(201);
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"expiresAt\":\"" + now.plus(800, ChronoUnit.DAYS) + "\"}").post(keys).then().statusCode(400)
                .body("field", equalTo("expiresAt"));
        // a staff principal is a name, not an email: it is published on the credentials topic every service reads
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"maria.lopez@amnesty.org\",\"role\":\"delivery\"}").post("/api/v1/staff")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("principal"));
        // staff tokens expire too
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + CaseLifecycleTest.id("p") + "\",\"role\":\"delivery\",\"expiresAt\":\""
                        + now.minus(1, ChronoUnit.DAYS) + "\"}").post("/api/v1/staff").then().statusCode(400)
                .body("field", equalTo("expiresAt"));
    }

    /**
     * One name, one caller: a staff token's issue refused an entity's id, but an entity could be created with the id
     * of a staff principal, by itself or in an import (a read-only review, 6 December 2026). Both ways are a 409 now,
     * with nothing stored; a dry run names the line.
     */
    @Test
    void anEntityAndAStaffPrincipalNeverShareAName() {
        String manager = DemoCredentials.caseManager();
        String principal = CaseLifecycleTest.id("ai-staff");
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + principal + "\",\"role\":\"delivery\"}").post("/api/v1/staff")
                .then().statusCode(201);
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"entityId\":\"" + principal + "\",\"name\":\"Same name\"}").post("/api/v1/entities")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("/entity-is-principal"));
        given().auth().oauth2(manager).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + principal + ",Same name,1\n").post("/api/v1/entities/import")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("/entity-is-principal")).body("line", equalTo(2));
        given().auth().oauth2(manager).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + principal + ",Same name,1\n")
                .post("/api/v1/entities/import?dryRun=true").then().statusCode(200)
                .body("results[0].status", equalTo("refused"))
                .body("results[0].problem.type", containsString("/entity-is-principal"));
        assertNull(Effects.row(db, "select 1 from entity where id = ?", principal), "no entity");

        // and the other way round, as before
        String entity = newEntity();
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + entity + "\",\"role\":\"delivery\"}").post("/api/v1/staff")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("/principal-is-entity"));
    }

    @Test
    void anExpiredKeyIsRefused() {
        String entity = newEntity();
        String key = managerKey(entity, "{\"expiresAt\":\"" + Instant.now().plusSeconds(5) + "\"}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(key)
                .get("/api/v1/entities/" + entity + "/keys").then().statusCode(401)
                .contentType("application/problem+json"));
        String token = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + CaseLifecycleTest.id("p") + "\",\"role\":\"coordinator\",\"expiresAt\":\""
                        + Instant.now().plusSeconds(5) + "\"}").post("/api/v1/staff").then().statusCode(201)
                .extract().path("token");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token)
                .get("/api/v1/cases").then().statusCode(401));
    }

    @Test
    void eachKeyIsOneEventAndItsRevocationATombstone() {
        String entity = newEntity();
        String manager = DemoCredentials.caseManager();
        String key = given().auth().oauth2(manager).post("/api/v1/entities/" + entity + "/keys").then().statusCode(201)
                .extract().path("key");
        String keyId = given().auth().oauth2(manager).post("/api/v1/entities/" + entity + "/keys").then()
                .statusCode(201).extract().path("keyId");
        String firstId = given().auth().oauth2(manager).get("/api/v1/entities/" + entity + "/keys").then()
                .extract().path("[0].keyId");

        List<ConsumerRecord<String, String>> records = TopicReader.readAll(kafka, Topics.CREDENTIALS);
        List<ConsumerRecord<String, String>> first = records.stream().filter(r -> firstId.equals(r.key())).toList();
        assertEquals(1, first.size(), "one event for one key");
        CredentialChanged c = Events.fromJson(first.get(0).value(), CredentialChanged.class);
        assertEquals(Credentials.sha256(key), c.sha256());
        assertEquals(entity, c.entityId());
        assertEquals("entity", c.role());
        assertFalse(first.get(0).value().contains(key), "the stream carries hashes, never keys");
        assertTrue(records.stream().filter(r -> r.value() != null && r.value().contains(entity)).count() == 2,
                "issuing a key republishes no other key");

        given().auth().oauth2(manager).delete("/api/v1/entities/" + entity + "/keys/" + firstId).then().statusCode(204);
        ConsumerRecord<String, String> last = TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .filter(r -> firstId.equals(r.key())).reduce((a, b) -> b).orElseThrow();
        assertNull(last.value(), "a revoked key is a tombstone");
        assertTrue(TopicReader.readAll(kafka, Topics.CREDENTIALS).stream().filter(r -> keyId.equals(r.key()))
                .allMatch(r -> r.value() != null), "the other key stays");
        given().auth().oauth2(manager).delete("/api/v1/entities/" + entity + "/keys/not-a-key%00").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anEntityKeyActsOnlyForItsOwnEntity() {
        String entity = newEntity();
        String own = managerKey(entity, null);
        given().auth().oauth2(own).post("/api/v1/entities/ai-france/keys").then().statusCode(403)
                .body("type", containsString("forbidden"));
        given().auth().oauth2(own).get("/api/v1/entities/ai-france/keys").then().statusCode(403);
        String france = given().auth().oauth2(DemoCredentials.caseManager()).get("/api/v1/entities/ai-france/keys")
                .then().extract().path("[0].keyId");
        given().auth().oauth2(own).delete("/api/v1/entities/" + entity + "/keys/" + france).then().statusCode(404);
        given().auth().oauth2(own).delete("/api/v1/entities/ai-france/keys/" + france).then().statusCode(403);
        given().auth().oauth2(own).contentType(ContentType.JSON).body("{\"principal\":\"x\",\"role\":\"case-manager\"}")
                .post("/api/v1/staff").then().statusCode(403);
    }

    /**
     * A key revoked in the database is refused for writes at once, before its tombstone has come back through the
     * outbox and Kafka into the token directory (during an outage: never). The revocation is made here straight in the
     * table, as another instance whose relay has not sent it yet leaves it: this instance's directory still knows the
     * key, so the refusal can only come from the database. A leaked key once minted itself a fresh one that way.
     */
    @Test
    void aKeyRevokedInTheDatabaseMintsNothingBeforeItsTombstoneComesBack() {
        String entity = newEntity();
        String keys = "/api/v1/entities/" + entity + "/keys";
        String leaked = managerKey(entity, null);
        String leakedId = keyIdOf(leaked);
        String sibling = given().auth().oauth2(DemoCredentials.caseManager()).post(keys).then().statusCode(201)
                .extract().path("keyId");
        Effects.update(db, "update credential set revoked_at = now() where key_id = ?", leakedId);
        long keysBefore = Effects.rows(db, "select 1 from credential where entity_id = ?", entity).size();

        given().auth().oauth2(leaked).post(keys).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", notNullValue());
        given().auth().oauth2(leaked).delete(keys + "/" + sibling).then().statusCode(401)
                .contentType("application/problem+json");

        assertEquals(keysBefore, Effects.rows(db, "select 1 from credential where entity_id = ?", entity).size(),
                "no new key");
        assertNull(Effects.row(db, "select revoked_at from credential where key_id = ?", sibling).get("revoked_at"),
                "the other key stays");
        assertEquals(List.of(), Effects.rows(db, "select action from audit_entry where key_id = ?", leakedId),
                "nothing recorded as done by the revoked key");
        // the directory has not heard of the revocation (reads still go by it): only the database refused
        given().auth().oauth2(leaked).get(keys).then().statusCode(200);
    }

    /**
     * A credential revoked in the database is refused before anything that tells what is stored: a hold's start, a
     * record's current version, which ids exist, how many local cases an entity has. The check came after the write
     * (LiveCredentialCheck), so a refusal of the write itself reached a revoked caller first, and a dry run had no
     * check at all (a read-only review, 6 December 2026).
     */
    @Test
    void aRevokedTokenIsRefusedBeforeAnyRefusalThatTellsState() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"reason\":\"threats\"}").put("/api/v1/cases/" + caseId + "/hold").then().statusCode(200);
        String[] revoked = DatabaseConflictTest.managerToken();
        Effects.update(db, "update credential set revoked_at = now() where key_id = ?", revoked[1]);
        String token = revoked[0];

        unauthorized(given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"reason\":\"again\"}")
                .put("/api/v1/cases/" + caseId + "/hold").then()); // already-on-hold, with its start
        // hold-changed, with the open hold's id
        unauthorized(given().auth().oauth2(token).delete("/api/v1/cases/" + caseId + "/hold?holdId=1").then());
        unauthorized(given().auth().oauth2(token).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body("{\"name\":\"Renamed\"}").patch("/api/v1/cases/" + caseId).then()); // 412, currentVersion
        unauthorized(given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"status\":\"draft\"}")
                .post("/api/v1/cases/" + caseId + "/status").then()); // invalid-transition, from
        unauthorized(given().auth().oauth2(token).contentType(ContentType.JSON).body("""
                {"caseId":"%s","campaignId":"w4r-demo","name":"x","country":"mm","goal":1}""".formatted(caseId))
                .post("/api/v1/cases").then()); // duplicate-id
        unauthorized(given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"entityId\":\"international-members\",\"name\":\"x\"}").post("/api/v1/entities").then());
        // the directory has not heard of the revocation (reads still go by it): only the database refused
        given().auth().oauth2(token).get("/api/v1/cases/" + caseId).then().statusCode(200);
    }

    @Test
    void aRevokedEntityKeyGetsNoDryRunAndNoCount() {
        String campaign = CaseLifecycleTest.openCampaign();
        String entity = newEntity();
        String key = managerKey(entity, null);
        Effects.update(db, "update credential set revoked_at = now() where key_id = ?", keyIdOf(key));

        unauthorized(CsvImportTest.importAs(key, campaign, CsvImportTest.localIds(entity, 1), true));
        unauthorized(CsvImportTest.importAs(key, campaign, CsvImportTest.localIds(entity, CsvImportTest.LOCAL_CAP + 1),
                false)); // too-many-local-cases, with the entity's count
        unauthorized(CsvImportTest.importAs(key, campaign, CsvImportTest.localIds(entity, CsvImportTest.LOCAL_CAP + 1),
                true));
        given().auth().oauth2(key).get("/api/v1/entities/" + entity + "/keys").then().statusCode(200);
    }

    private static void unauthorized(io.restassured.response.ValidatableResponse answer) {
        answer.statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", notNullValue());
    }

    /**
     * A case-manager token issued for a day, as docs/security.md advises, issues no staff token that outlives it: the
     * default is cut to its expiry and a later one asked for is refused. Until a read-only review of 7 December 2026 it
     * could issue a year's token of any role, and the short expiry bounded nothing. An entity key is the entity's and
     * may outlive it.
     */
    @Test
    void aStaffTokenIssuesNoTokenThatOutlivesIt() {
        String manager = CaseLifecycleTest.id("manager");
        Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String token = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + manager + "\",\"role\":\"case-manager\",\"expiresAt\":\"" + tomorrow + "\"}")
                .post("/api/v1/staff").then().statusCode(201).extract().path("token");
        await().atMost(Effects.BOUND).untilAsserted(() ->
                given().auth().oauth2(token).get("/api/v1/staff").then().statusCode(200));

        String byDefault = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + CaseLifecycleTest.id("p") + "\",\"role\":\"coordinator\"}")
                .post("/api/v1/staff").then().statusCode(201).extract().path("expiresAt");
        assertFalse(Instant.parse(byDefault).isAfter(tomorrow), "the default cut to the issuer's day: " + byDefault);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + CaseLifecycleTest.id("p") + "\",\"role\":\"coordinator\",\"expiresAt\":\""
                        + tomorrow.plus(30, ChronoUnit.DAYS) + "\"}").post("/api/v1/staff").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("expiresAt"));
        String entity = CaseLifecycleTest.id("ai-test-outlives"); // ai-test-: DemoDataTest counts the other ai- entities
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"entityId\":\"" + entity + "\",\"name\":\"Outlives\"}").post("/api/v1/entities")
                .then().statusCode(201);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"expiresAt\":\"" + tomorrow.plus(300, ChronoUnit.DAYS) + "\"}")
                .post("/api/v1/entities/" + entity + "/keys").then().statusCode(201);
    }

    /**
     * The same for a case-manager token: revoked in the database, it issues no token (itself a new one, once), writes
     * nothing else and revokes nothing, though the directory still knows it.
     */
    @Test
    void aStaffTokenRevokedInTheDatabaseIssuesAndWritesNothing() {
        String principal = CaseLifecycleTest.id("manager");
        var issued = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + principal + "\",\"role\":\"case-manager\"}").post("/api/v1/staff")
                .then().statusCode(201).extract().jsonPath();
        String token = issued.getString("token");
        String keyId = issued.getString("keyId");
        await().atMost(Effects.BOUND).untilAsserted(() ->
                given().auth().oauth2(token).get("/api/v1/staff").then().statusCode(200));
        Effects.update(db, "update credential set revoked_at = now() where key_id = ?", keyId);

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + principal + "\",\"role\":\"case-manager\"}").post("/api/v1/staff")
                .then().statusCode(401).contentType("application/problem+json");
        String entity = CaseLifecycleTest.id("ai-test-keys");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"entityId\":\"" + entity + "\",\"name\":\"Never created\"}").post("/api/v1/entities")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(token).delete("/api/v1/staff/" + principal + "/tokens/" + keyId).then().statusCode(401);

        assertEquals(1, Effects.rows(db, "select 1 from credential where principal = ?", principal).size(),
                "no new token");
        assertNull(Effects.row(db, "select 1 from entity where id = ?", entity), "no entity");
        assertEquals(List.of(), Effects.rows(db, "select action from audit_entry where key_id = ?", keyId));
        given().auth().oauth2(token).get("/api/v1/staff").then().statusCode(200);
    }

    /**
     * A key revoked already is answered as revoked at once, with nothing written, published, audited or waited for:
     * each repeat once sent a tombstone again and held a pooled connection while it waited for Kafka, so a key looping
     * over it took the pool from staff holds.
     */
    @Test
    void revokingARevokedKeyAgainWritesPublishesAndAuditsNothing() {
        String entity = newEntity();
        String manager = DemoCredentials.caseManager();
        String own = managerKey(entity, null);
        String key = "/api/v1/entities/" + entity + "/keys/" + given().auth().oauth2(manager)
                .post("/api/v1/entities/" + entity + "/keys").then().statusCode(201).extract().path("keyId");
        String keyId = key.substring(key.lastIndexOf('/') + 1);
        given().auth().oauth2(manager).delete(key).then().statusCode(204).header("W4R-Propagated", "true");
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CREDENTIALS);
        int audited = Effects.rows(db, "select 1 from audit_entry where subject_id = ?", keyId).size();
        Object revokedAt = Effects.row(db, "select revoked_at from credential where key_id = ?", keyId).get("revoked_at");

        given().auth().oauth2(manager).delete(key).then().statusCode(204).header("W4R-Propagated", "true");
        given().auth().oauth2(own).delete(key).then().statusCode(204).header("W4R-Propagated", "true");

        Effects.awaitOutboxEmpty(relay);
        assertEquals(List.of(), mark.keysSince(Topics.CREDENTIALS).stream().filter(keyId::equals).toList(),
                "nothing published again");
        assertEquals(audited, Effects.rows(db, "select 1 from audit_entry where subject_id = ?", keyId).size());
        assertEquals(revokedAt, Effects.row(db, "select revoked_at from credential where key_id = ?", keyId)
                .get("revoked_at"));
    }

    private String keyIdOf(String secret) {
        return (String) Effects.row(db, "select key_id from credential where sha256 = ?", Credentials.sha256(secret))
                .get("key_id");
    }

    /** Sends {@code parallel} rotations at once; returns how many were issued (every other must be a 409). */
    private int rotateAtOnce(String entity, String own, int parallel) throws Exception {
        List<HttpRequest> rotations = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            rotations.add(HttpRequest.newBuilder(uri("/api/v1/entities/" + entity + "/keys"))
                    .header("Authorization", "Bearer " + own).POST(HttpRequest.BodyPublishers.noBody()).build());
        }
        return AtOnce.created(rotations, "too-many-keys");
    }

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }
}

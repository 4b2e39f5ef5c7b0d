package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w4r.events.Topics;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/**
 * Safe retries on every POST that takes an Idempotency-Key: the same request again gets the stored answer and has no
 * effect (nothing stored, nothing published), the same key with another body is refused and has no effect, and a
 * key the service cannot keep is refused before anything happens.
 */
@QuarkusTest
@WithPlatformResources
class IdempotencyTest {
    static final String ENTITY = "ai-france";
    static final Pattern UUIDS = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Inject
    AgroalDataSource db;

    static Response post(String path, String key, String body) {
        var request = given().auth().oauth2(entityKey(ENTITY)).contentType(ContentType.JSON).body(body);
        return (key == null ? request : request.header("Idempotency-Key", key)).post(path);
    }

    /** One POST that takes a key: a body, another body, the status of its success and how many events it publishes. */
    record Endpoint(String path, String body, String otherBody, int status, int events) {
    }

    static String signature(String email) {
        return SignatureResourceTest.body(email, "el-hiblu-3");
    }

    static String message(String text) {
        return """
                {"caseId":"nassima-al-sada","author":{"name":"Grace","country":"US","email":"%s"},"text":"%s"}"""
                .formatted("author-" + UUID.randomUUID() + "@example.org", text);
    }

    static String offlineCount(int count) {
        return """
                {"caseId":"el-hiblu-3","type":"letter","count":%d,"event":{"name":"Fair","date":"%s","place":"Lyon"}}"""
                .formatted(count, LocalDate.now(ZoneOffset.UTC)); // the server's today is UTC's
    }

    static String newOfflineCount() {
        return post("/api/v1/offline-counts", null, offlineCount(500)).then().statusCode(202)
                .extract().path("results[0].actionId");
    }

    static String batch(String offlineCountId, String firstItemId) {
        return """
                {"items":[
                  {"id":"%s","kind":"signature","body":%s},
                  {"id":"m","kind":"message","body":%s},
                  {"id":"a","kind":"action","body":{"type":"postcard","caseId":"el-hiblu-3"}},
                  {"id":"o","kind":"offline-count","body":%s},
                  {"id":"c","kind":"offline-correction","body":{"offlineCountId":"%s","delta":-5,"reason":"recount"}}
                ]}""".formatted(firstItemId, signature("batch-" + UUID.randomUUID() + "@example.org"),
                message("from a batch"), offlineCount(12), offlineCountId);
    }

    static Endpoint endpoint(String kind) {
        return switch (kind) {
            case "signature" -> new Endpoint("/api/v1/signatures", signature("retry-" + UUID.randomUUID() + "@example.org"),
                    signature("other-" + UUID.randomUUID() + "@example.org"), 202, 1);
            case "action" -> new Endpoint("/api/v1/actions", "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\"}",
                    "{\"caseId\":\"el-hiblu-3\",\"type\":\"email\"}", 202, 1);
            case "message" -> new Endpoint("/api/v1/messages", message("Stay strong"), message("Stay stronger"), 202, 1);
            case "offline-count" -> new Endpoint("/api/v1/offline-counts", offlineCount(40), offlineCount(41), 202, 1);
            case "correction" -> new Endpoint("/api/v1/offline-counts/" + newOfflineCount() + "/corrections",
                    "{\"delta\":-3,\"reason\":\"recount\"}", "{\"delta\":-4,\"reason\":\"recount\"}", 201, 1);
            case "batch" -> {
                String offlineCountId = newOfflineCount();
                yield new Endpoint("/api/v1/batches", batch(offlineCountId, "s"), batch(offlineCountId, "s2"), 200, 5);
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The longest key the service keeps, so the bound itself is tried on every endpoint. */
    static String longestKey() {
        String key = UUID.randomUUID().toString();
        return key + "-".repeat(200 - key.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"signature", "action", "message", "offline-count", "correction", "batch"})
    void aRetryGetsTheStoredAnswerAndAnotherBodyUnderTheKeyIsRefusedNeitherHasAnEffect(String kind) throws SQLException {
        Endpoint e = endpoint(kind);
        String key = longestKey();
        Effects.Snapshot beforeFirst = Effects.take(db);
        Response first = post(e.path(), key, e.body());
        first.then().statusCode(e.status());
        assertNull(first.header("Idempotent-Replayed"), "the first answer is no replay");
        Effects.Snapshot afterFirst = Effects.take(db);
        assertFirstPublishedOnce(beforeFirst, first, e.events());

        Response again = post(e.path(), key, e.body());
        again.then().statusCode(e.status()).header("Idempotent-Replayed", "true").contentType(ContentType.JSON);
        assertEquals(first.asString(), again.asString(), "the original answer (not 'duplicate', not a new action)");

        post(e.path(), key, e.otherBody()).then().statusCode(422).contentType("application/problem+json")
                .body("type", containsString("idempotency-key-reused")).body("key", equalTo(key));

        // what a restarted service would replay from: the answer as sent, under (entity, key)
        Map<String, String> stored = storedKey(key);
        assertEquals(String.valueOf(e.status()), stored.get("status"));
        assertEquals(first.asString(), stored.get("response"));
        // the replay and the reused key were applied, met the held key and were rolled back: nothing kept
        Effects.assertNothingKeptSince(afterFirst, db, kind + ": a replay and a reused key");
    }

    /** The first answer published exactly one event per effect, each naming an id of the answer. */
    private static void assertFirstPublishedOnce(Effects.Snapshot before, Response first, int events) {
        Set<String> ids = new TreeSet<>();
        Matcher m = UUIDS.matcher(first.asString());
        while (m.find()) {
            ids.add(m.group());
        }
        List<ConsumerRecord<String, String>> published = Effects.publishedSince(before, Topics.ACTIONS);
        assertEquals(events, published.size(), Effects.values(published).toString());
        for (ConsumerRecord<String, String> record : published) {
            assertTrue(ids.stream().anyMatch(record.value()::contains), "an event of the answer's actions: " + record.value());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"signature", "action", "message", "offline-count", "correction", "batch"})
    void aKeyTheServiceCannotKeepIsRefusedBeforeAnythingHappens(String kind) {
        Endpoint e = endpoint(kind);
        Effects.Snapshot before = Effects.take(db);
        List<String> answers = new ArrayList<>();
        for (String key : List.of("", " ", "\t", longestKey() + "x")) {
            Response r = post(e.path(), key, e.body());
            answers.add("'" + key + "' -> " + r.statusCode() + " " + r.contentType() + " " + r.path("field"));
        }
        Response twice = given().auth().oauth2(entityKey(ENTITY)).contentType(ContentType.JSON).body(e.body())
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Idempotency-Key", UUID.randomUUID().toString())
                .post(e.path());
        answers.add("two keys -> " + twice.statusCode() + " " + twice.contentType() + " " + twice.path("field"));
        assertEquals(Collections.nCopies(5, "400 application/problem+json Idempotency-Key"),
                answers.stream().map(a -> a.substring(a.indexOf("-> ") + 3)).toList(), answers.toString());
        Effects.assertNothingSince(before, db, kind + " with an invalid key");
    }

    /**
     * A refusal by the rules stores nothing but itself, under its key, as any answer: the same request again gets it
     * (replayed, problem+json) and another request under that key is a reused key. Until 6 December 2026 nothing was
     * kept and the key could be used again, which let a retry be told "not stored" of a first try still on its way to
     * its commit (CampaignRulesTest).
     */
    @Test
    void aRefusalIsKeptUnderItsKeyAndNothingElseIsStored() throws SQLException {
        String key = UUID.randomUUID().toString();
        String refused = "{\"caseId\":\"no-such-case\",\"type\":\"tweet\"}";
        Effects.Snapshot before = Effects.take(db);
        post("/api/v1/actions", key, refused).then().statusCode(404).contentType("application/problem+json");
        assertEquals("404", storedKey(key).get("status"), "the refusal kept under the key");
        Response again = post("/api/v1/actions", key, refused);
        again.then().statusCode(404).contentType("application/problem+json").body("type", containsString("not-found"))
                .body("id", equalTo("no-such-case"));
        assertEquals("true", again.header("Idempotent-Replayed"));
        post("/api/v1/actions", key, "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\"}").then().statusCode(422)
                .body("type", containsString("idempotency-key-reused"));
        Effects.assertOnlySince(before, db, "a refused request with a key, twice, and its key reused",
                Map.of("idempotency_key", 1L));
    }

    /**
     * The replay comes from the stored row, not from memory: an answer changed in the database is what the next retry
     * gets. So it survives a restart (platform-it restarts the process; here the row is the proof).
     */
    @Test
    void theReplayIsReadFromTheDatabase() throws SQLException {
        String key = UUID.randomUUID().toString();
        String body = "{\"caseId\":\"paing-phyo-min\",\"type\":\"sms\"}";
        post("/api/v1/actions", key, body).then().statusCode(202);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "update idempotency_key set response = '{\"stored\":\"here\"}' where principal = ? and key = ?")) {
            s.setString(1, ENTITY);
            s.setString(2, key);
            assertEquals(1, s.executeUpdate());
        }
        post("/api/v1/actions", key, body).then().statusCode(202).header("Idempotent-Replayed", "true")
                .body("stored", equalTo("here"));
    }

    @Test
    void concurrentRetriesWithOneKeyHaveOneEffect() {
        String key = UUID.randomUUID().toString();
        String body = "{\"caseId\":\"nassima-al-sada\",\"type\":\"letter\"}";
        Effects.Snapshot before = Effects.take(db);
        List<CompletableFuture<Response>> calls = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> post("/api/v1/actions", key, body))).toList();
        List<String> actionIds = calls.stream().map(CompletableFuture::join)
                .peek(r -> r.then().statusCode(202)).map(r -> (String) r.path("results[0].actionId")).distinct().toList();
        assertEquals(1, actionIds.size(), "every retry answered with the one action: " + actionIds);
        Map<String, Long> rows = Effects.rows(db);
        assertEquals(before.rows().get("online_action") + 1, rows.get("online_action"), "one action stored");
        assertEquals(before.rows().get("idempotency_key") + 1, rows.get("idempotency_key"), "one answer kept");
        List<String> published = Effects.values(Effects.actionsThroughMarker(before, db));
        assertEquals(1, published.size(), "the action once: " + published);
        assertTrue(published.get(0).contains(actionIds.get(0)), published.toString());
    }

    /** The stored row under (entity, key): its status and response; empty if none. */
    Map<String, String> storedKey(String key) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select status, response from idempotency_key where principal = ? and key = ?")) {
            s.setString(1, ENTITY);
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Map.of("status", rs.getString(1), "response", rs.getString(2)) : Map.of();
            }
        }
    }
}

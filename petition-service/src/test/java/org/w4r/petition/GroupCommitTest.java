package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.Events;
import org.w4r.petition.service.SignerHasher;
import org.w4r.testsupport.SessionSettings;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/**
 * Single signatures are committed in groups: signatures arriving together share a transaction. These tests send
 * them together, so that groups really form, and check that each request still has exactly its own effect.
 */
@QuarkusTest
@WithPlatformResources
class GroupCommitTest {
    private static final int THREADS = 16;

    @Inject
    AgroalDataSource db;

    @Inject
    SignerHasher hasher;

    private static Response sign(String entity, String key, String body) {
        var request = given().auth().oauth2(entityKey(entity)).contentType(ContentType.JSON).body(body);
        return (key == null ? request : request.header("Idempotency-Key", key)).post("/api/v1/signatures");
    }

    private static <T> List<T> together(int n, java.util.function.IntFunction<T> call) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<CompletableFuture<T>> calls = IntStream.range(0, n)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> call.apply(i), pool)).toList();
            return calls.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The driver's waits as deployed (the kit's defaults, not a test's): a database that stops answering is given up
     * on after 60 s, the transaction timeout, where PgJDBC's own default waits for the kernel (a quarter of an hour);
     * and the server's DETAIL, which can quote a signer's values, stays out of exception messages.
     */
    @Test
    void theWritersConnectionsWaitForTheDatabaseAtMostAMinute() throws Exception {
        try (java.sql.Connection c = db.getConnection()) {
            assertEquals(60_000, c.getNetworkTimeout());
            assertFalse(c.unwrap(org.postgresql.core.BaseConnection.class).getLogServerErrorDetail());
        }
    }

    /**
     * The server's side as deployed (the kit's defaults): a session whose peer falls silent (its host died) inside a
     * transaction is ended after 60 s, and a silent peer is probed after 30 s idle and dropped once what the server
     * sent has gone unacknowledged for 60 s, where PostgreSQL waited on the kernel's defaults (about two hours).
     */
    @Test
    void theSessionsAskTheServerToEndThemOnceTheirPeerFallsSilent() throws Exception {
        try (java.sql.Connection c = db.getConnection()) {
            assertEquals(Map.of("idle_in_transaction_session_timeout", "1min", "tcp_keepalives_idle", "30",
                    "tcp_keepalives_interval", "10", "tcp_keepalives_count", "3", "tcp_user_timeout", "60000"),
                    SessionSettings.of(c), "tcp_user_timeout in ms");
        }
    }

    @Test
    void manySignersAtOnceAreEachAcceptedOnceAndPublishedOnce() {
        String run = UUID.randomUUID().toString();
        Effects.Snapshot before = Effects.take(db);
        List<Response> answers = together(300, i -> sign(i % 2 == 0 ? "ai-france" : "ai-malta", null,
                SignatureResourceTest.body("s" + i + "-" + run + "@example.org", "el-hiblu-3", "paing-phyo-min")));
        Set<String> actionIds = new HashSet<>();
        for (Response answer : answers) {
            answer.then().statusCode(202);
            List<String> statuses = answer.path("results.status");
            assertEquals(List.of("accepted", "accepted"), statuses, answer.asString());
            List<String> cases = answer.path("results.caseId");
            assertEquals(List.of("el-hiblu-3", "paing-phyo-min"), cases, "results in the order of the request");
            actionIds.addAll(answer.path("results.actionId"));
        }
        assertEquals(600, actionIds.size(), "one action per signer and case");
        assertEquals(before.rows().get("signature") + 600, Effects.rows(db).get("signature"), "600 signatures stored");
        List<ActionRecorded> events = published(before);
        assertEquals(600, events.size(), "one event per action, no late duplicate");
        assertEquals(actionIds, events.stream().map(e -> e.actionId().toString()).collect(Collectors.toSet()));
        assertEquals(600, events.stream().map(ActionRecorded::eventId).distinct().count(), "one event per action");
        assertEquals(300, events.stream().filter(e -> e.entityId().equals("ai-france")).count(), "each for its own entity");
    }

    @Test
    void onePersonSigningManyTimesAtOnceCountsOnce() {
        String email = "eager-" + UUID.randomUUID() + "@example.org";
        String body = SignatureResourceTest.body(email, "nassima-al-sada");
        Effects.Snapshot before = Effects.take(db);
        List<Response> answers = together(40, i -> sign("ai-france", null, body));
        List<String> statuses = answers.stream().map(r -> {
            r.then().statusCode(202);
            return (String) r.path("results[0].status");
        }).toList();
        assertEquals(1, statuses.stream().filter("accepted"::equals).count(), statuses.toString());
        assertEquals(39, statuses.stream().filter("duplicate"::equals).count(), statuses.toString());
        String actionId = answers.stream().map(r -> (String) r.path("results[0].actionId"))
                .filter(id -> id != null).findFirst().orElseThrow();
        assertEquals(List.of(actionId), signaturesOf(email), "one row for the signer");
        assertEquals(before.rows().get("signature") + 1, Effects.rows(db).get("signature"));
        assertEquals(List.of(actionId), published(before).stream().map(e -> e.actionId().toString()).toList(),
                "published once");
    }

    @Test
    void concurrentRetriesOfOneSignatureGetOneAnswer() {
        String key = UUID.randomUUID().toString();
        String email = "retry-" + UUID.randomUUID() + "@example.org";
        String body = SignatureResourceTest.body(email, "el-hiblu-3");
        Effects.Snapshot before = Effects.take(db);
        List<Response> answers = together(24, i -> sign("ai-france", key, body));
        answers.forEach(r -> r.then().statusCode(202));
        assertEquals(1, answers.stream().map(Response::asString).distinct().count(), "the same answer to every retry");
        assertEquals("accepted", answers.get(0).path("results[0].status"));
        assertEquals(23, answers.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count(),
                "all but the first replayed");
        String actionId = answers.get(0).path("results[0].actionId");
        assertEquals(List.of(actionId), signaturesOf(email));
        Map<String, Long> rows = Effects.rows(db);
        assertEquals(before.rows().get("signature") + 1, rows.get("signature"), "one signature stored");
        assertEquals(before.rows().get("idempotency_key") + 1, rows.get("idempotency_key"), "one answer kept");
        assertEquals(List.of(actionId), published(before).stream().map(e -> e.actionId().toString()).toList(),
                "published once");
    }

    @Test
    void oneKeyForTwoDifferentSignaturesAtOnceStoresOnlyOne() {
        String key = UUID.randomUUID().toString();
        String run = UUID.randomUUID().toString();
        List<String> emails = List.of("k0-" + run + "@example.org", "k1-" + run + "@example.org");
        Effects.Snapshot before = Effects.take(db);
        List<Response> answers = together(20, i -> sign("ai-malta", key,
                SignatureResourceTest.body(emails.get(i % 2), "el-hiblu-3")));
        long accepted = answers.stream().filter(r -> r.statusCode() == 202).count();
        long refused = answers.stream().filter(r -> r.statusCode() == 422).count();
        assertEquals(20, accepted + refused, "202 or 422 only: " + answers.stream().map(Response::statusCode).toList());
        assertEquals(10, accepted, "every request of the body that holds the key");
        assertEquals(10, refused, "every request of the other body");
        answers.stream().filter(r -> r.statusCode() == 422).forEach(r ->
                r.then().contentType("application/problem+json").body("type", containsString("idempotency-key-reused")));
        List<String> ids = answers.stream().filter(r -> r.statusCode() == 202)
                .map(r -> (String) r.path("results[0].actionId")).distinct().toList();
        assertEquals(1, ids.size(), "one signature stored");
        int holder = answers.indexOf(answers.stream().filter(r -> r.statusCode() == 202).findFirst().orElseThrow()) % 2;
        assertEquals(ids, signaturesOf(emails.get(holder)), "the body that holds the key");
        assertEquals(List.of(), signaturesOf(emails.get(1 - holder)), "the refused body stored nothing");
        assertEquals(before.rows().get("signature") + 1, Effects.rows(db).get("signature"));
        assertEquals(ids, published(before).stream().map(e -> e.actionId().toString()).toList(), "published once");
    }

    @Test
    void theSameKeyUsedByTwoEntitiesIsTwoRequests() {
        String key = UUID.randomUUID().toString();
        String run = UUID.randomUUID().toString();
        Effects.Snapshot before = Effects.take(db);
        List<Response> answers = together(2, i -> sign(i == 0 ? "ai-france" : "ai-malta", key,
                SignatureResourceTest.body("e" + i + "-" + run + "@example.org", "el-hiblu-3")));
        answers.forEach(r -> r.then().statusCode(202));
        Set<String> ids = answers.stream().map(r -> (String) r.path("results[0].actionId")).collect(Collectors.toSet());
        assertEquals(2, ids.size());
        List<ActionRecorded> events = published(before);
        assertEquals(2, events.size(), "one event each");
        assertEquals(ids, events.stream().map(e -> e.actionId().toString()).collect(Collectors.toSet()));
    }

    /** The action ids stored for a signer of any case, found by the keyed hash as the service stores it. */
    private List<String> signaturesOf(String email) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select action_id from signature where email_hmac = decode(?, 'hex')")) {
            s.setString(1, hasher.hash(email));
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every action recorded since the snapshot, up to a marker recorded after the requests. */
    private List<ActionRecorded> published(Effects.Snapshot before) {
        return Effects.actionsThroughMarker(before, db).stream().map(ConsumerRecord::value)
                .map(v -> Events.fromJson(v, ActionEvent.class))
                .map(e -> (ActionRecorded) e).toList();
    }
}

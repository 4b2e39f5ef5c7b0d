package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20: an Idempotency-Key is one row written once, with its answer, after the request's effect (it was a
 * placeholder inserted first and updated with the answer). Triggers count every row PostgreSQL inserts into and
 * updates in idempotency_key for this test's keys (in sequences, which a rollback does not undo).
 */
@QuarkusTest
@WithPlatformResources
class IdempotencyRowsTest {
    @Inject
    AgroalDataSource db;

    /** This test's keys start with it, so the triggers count nothing of another test's. */
    String prefix;

    @BeforeEach
    void countWrites() throws SQLException {
        prefix = "rows-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        execute("create sequence idempotency_key_inserted", "create sequence idempotency_key_updated", """
                create function idempotency_key_written() returns trigger language plpgsql as $$
                begin
                    perform nextval(case when tg_op = 'INSERT' then 'idempotency_key_inserted'
                                         else 'idempotency_key_updated' end);
                    return null;
                end $$""", """
                create trigger idempotency_key_written after insert or update on idempotency_key for each row
                when (new.key like '%s%%') execute function idempotency_key_written()""".formatted(prefix));
    }

    @AfterEach
    void stopCounting() throws SQLException {
        execute("drop trigger idempotency_key_written on idempotency_key", "drop function idempotency_key_written()",
                "drop sequence idempotency_key_inserted", "drop sequence idempotency_key_updated");
    }

    @Test
    void everyKindOfWriteStoresItsKeyInOneInsertAndItsRetryWritesNone() throws SQLException {
        List<String> kinds = List.of("signature", "action", "message", "offline-count", "correction", "batch");
        for (String kind : kinds) {
            IdempotencyTest.Endpoint e = IdempotencyTest.endpoint(kind);
            String key = prefix + kind;
            Response first = IdempotencyTest.post(e.path(), key, e.body());
            first.then().statusCode(e.status());
            IdempotencyTest.post(e.path(), key, e.body()).then().statusCode(e.status())
                    .header("Idempotent-Replayed", "true");
        }
        assertEquals(kinds.size(), written("inserted"), "one insert per key");
        assertEquals(0, written("updated"), "no key updated");
        assertEquals(kinds.size(), keysStored(), "one row per key");
    }

    @Test
    void concurrentSignaturesWithTheirKeysAndTheirRetriesWriteOneRowEach() throws SQLException {
        // a burst, again with new keys until one of its groups met a key another group held (a race: one burst missed
        // it in a CI run on 7 December 2026, and the test failed though nothing was wrong), at most five
        int perBurst = 30;
        int bursts = 0;
        long inserted;
        do {
            burst(bursts++, perBurst);
            // a group that met a key held by another group was rolled back after its own keys' inserts and written
            // again without it: those inserts were never kept; what is kept is one row per key, never updated
            assertEquals((long) bursts * perBurst, keysStored(), "one row per key");
            assertEquals(0, written("updated"), "no key updated");
            inserted = written("inserted");
        } while (inserted == (long) bursts * perBurst && bursts < 5);
        // and that happened: the sequence counts inserts a rollback undid, so more inserts than keys kept is a round
        // rolled back for a held key. Nothing checked it, and the test passed as well when no group met one (a review
        // of the tests, 6 December 2026)
        assertTrue(inserted > (long) bursts * perBurst, "a group met a key another held, and its round was rolled "
                + "back: " + inserted + " inserts for " + bursts * perBurst + " keys in " + bursts + " bursts");
    }

    /** {@code count} signatures, each sent three times at once, so groups hold keys that other groups hold too. */
    private void burst(int burst, int count) {
        List<String> keys = IntStream.range(0, count).mapToObj(i -> prefix + burst + "-" + i).toList();
        List<String> bodies = keys.stream()
                .map(k -> IdempotencyTest.signature("rows-" + UUID.randomUUID() + "@example.org")).toList();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Response>> calls = IntStream.range(0, 3 * keys.size()).mapToObj(i -> CompletableFuture
                    .supplyAsync(() -> IdempotencyTest.post("/api/v1/signatures", keys.get(i % keys.size()),
                            bodies.get(i % keys.size())), pool)).toList();
            Map<String, Set<String>> answers = new HashMap<>();
            for (int i = 0; i < calls.size(); i++) {
                Response r = calls.get(i).join();
                r.then().statusCode(202);
                answers.computeIfAbsent(keys.get(i % keys.size()), k -> new HashSet<>()).add(r.asString());
            }
            answers.forEach((key, told) -> assertEquals(1, told.size(), "one answer under " + key + ": " + told));
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The key is stored after the effect, so the retry of a correction meets its own earlier effect first: applied
     * again it would take the count below zero. It gets the stored answer, not that refusal.
     */
    @Test
    void theRetryOfACorrectionToZeroGetsItsAnswerNotBelowZero() throws SQLException {
        String offlineCountId = IdempotencyTest.post("/api/v1/offline-counts", null, IdempotencyTest.offlineCount(5))
                .then().statusCode(202).extract().path("results[0].actionId");
        String path = "/api/v1/offline-counts/" + offlineCountId + "/corrections";
        String body = "{\"delta\":-5,\"reason\":\"counted at another event\"}";
        Response first = IdempotencyTest.post(path, prefix + "correction", body);
        first.then().statusCode(201);
        assertNull(first.header("Idempotent-Replayed"));
        Response again = IdempotencyTest.post(path, prefix + "correction", body);
        again.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), again.asString());
        // without the key, the same correction is what it is now: below zero
        IdempotencyTest.post(path, null, body).then().statusCode(422).body("type", containsString("below"));
        assertEquals(1, written("inserted"));
        assertEquals(0, written("updated"));
    }

    private long written(String what) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select case when is_called then last_value else 0 end from idempotency_key_"
                     + what)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long keysStored() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from idempotency_key where key like ?")) {
            s.setString(1, prefix + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void execute(String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}

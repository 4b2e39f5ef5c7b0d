package org.w4r.petition;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.petition.service.GroupCommit;
import org.w4r.petition.service.SignatureService;
import org.w4r.petition.service.SignerHasher;
import org.w4r.testsupport.ProxiedDatabase;
import org.w4r.testsupport.TopicReader;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;
import static org.w4r.testsupport.Pause.pause;

/**
 * The database connection fails under load: every answer must tell the truth. A 202 is stored and published once; a
 * 503 "not stored" is not stored; a commit whose answer was lost is {@code outcome-unknown}, and its retry with the
 * same Idempotency-Key confirms it (or stores it now). No signer's name or email reaches the log on the way.
 */
@QuarkusTest
@TestProfile(ProxiedDatabaseProfile.class)
class OutcomeUnknownTest {
    static final String MARKER = "Zyxwv Marker";
    static final String CASE = "el-hiblu-3";

    @Inject
    SignerHasher hasher;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @AfterEach
    void reconnect() {
        ProxiedDatabaseProfile.PROXY.resume();
    }

    /** After a test that cut connections, until the pool has live ones again. */
    @BeforeEach
    void healthy() {
        await().atMost(Duration.ofSeconds(90)).until(() -> sign(UUID.randomUUID().toString(),
                body("Healthy", "healthy-" + UUID.randomUUID() + "@example.org")).statusCode() == 202);
    }

    static String body(String name, String email) {
        return """
                {"caseIds":["%s"],"signer":{"name":"%s","email":"%s","country":"FR"}}""".formatted(CASE, name, email);
    }

    static Response sign(String key, String body) {
        var request = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).body(body);
        return (key == null ? request : request.header("Idempotency-Key", key)).post("/api/v1/signatures");
    }

    static String type(Response r) {
        String type = r.path("type");
        return type == null ? "" : type.substring(type.lastIndexOf('/') + 1);
    }

    /** What one signer was finally told, and what the first answer was. */
    record Told(String email, int status, String type, String actionId, boolean replayed, int tries) {
    }

    @Test
    void everyAnswerTellsTheTruthWhileCommitsAndConnectionsAreCut() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int signers = 100;
        AtomicInteger unknown = new AtomicInteger();
        // the commit of a group that wrote signatures: PostgreSQL commits it, the service never hears back
        List<Told> told = ProxiedDatabase.callWhileCuttingCommits(ProxiedDatabaseProfile.PROXY, "insert into signature", 5, 8,
                IntStream.range(0, signers).<Supplier<Told>>mapToObj(i -> () -> {
                    String email = "zyxwv.marker+" + run + "-" + i + "@example.org";
                    String key = UUID.randomUUID().toString();
                    String body = body(MARKER + " " + run, email);
                    boolean maybeStored = false;
                    for (int tries = 1; ; tries++) {
                        Response r = sign(key, body);
                        if (r.statusCode() == 503) {
                            // every 503 is checked, after an outcome-unknown too (a read-only review, 6 December 2026:
                            // every 503 after one was skipped, so a keyed retry told "not stored" of a stored
                            // signature passed): it is outcome-unknown, or says only this attempt stored nothing
                            assertEquals("1", r.header("Retry-After"), r.asString());
                            if (!type(r).equals("outcome-unknown")) {
                                assertThisAttemptOnly(r);
                            }
                        }
                        if (r.statusCode() == 503 && maybeStored) {
                            pause(50); // once unknown, only a 2xx or a 4xx under the same key settles it
                            continue;
                        }
                        if (r.statusCode() == 503 && type(r).equals("outcome-unknown")) {
                            maybeStored = true;
                            unknown.incrementAndGet();
                            assertTrue(r.path("detail").toString().contains("same Idempotency-Key"), r.asString());
                            pause(50);
                            continue;
                        }
                        return new Told(email, r.statusCode(), type(r), r.statusCode() == 202 ? r.path("results[0].actionId") : null,
                                "true".equals(r.header("Idempotent-Replayed")), tries);
                    }
                }).toList());

        Map<String, String> stored = storedActions(run); // email hmac -> action id
        Set<String> answeredIds = new HashSet<>();
        int accepted = 0;
        int replayedAfterUnknown = 0;
        for (Told t : told) {
            String hmac = hasher.hash(t.email());
            if (t.status() == 202) {
                accepted++;
                assertEquals(stored.get(hmac), t.actionId(), "a 202 is stored, under the action id it answered: " + t);
                answeredIds.add(t.actionId());
                if (t.tries() > 1 && t.replayed()) {
                    replayedAfterUnknown++;
                }
            } else {
                assertEquals(503, t.status(), "202 or 503 only: " + t);
                assertEquals("database-unavailable", t.type(), t.toString());
                assertFalse(stored.containsKey(hmac), "answered 'not stored' but stored: " + t);
            }
        }
        assertEquals(accepted, stored.size(), "stored signatures == answered 202");
        assertTrue(unknown.get() > 0 && replayedAfterUnknown > 0,
                "some commits were cut after PostgreSQL committed them (" + ProxiedDatabaseProfile.PROXY.getCutsOnReply()
                        + " cuts, " + unknown.get() + " outcome-unknown, " + replayedAfterUnknown + " confirmed on retry)");
        await().atMost(Duration.ofSeconds(60)).until(() -> published(answeredIds).equals(answeredIds));
        assertMarkerNotLogged();
    }

    /** A keyed request's refusal that tried nothing, or rolled back: true of this attempt, and says no more. */
    static void assertThisAttemptOnly(Response r) {
        assertTrue(r.path("detail").toString().contains("this attempt stored nothing; an earlier attempt under the same "
                + "Idempotency-Key may have: retry with the same key"), r.asString());
    }

    /** No cut armed by a test outlives it: a marker never sent takes the place of one the test did not meet. */
    static void disarm() {
        ProxiedDatabaseProfile.PROXY.cutOnReplyTo("COMMIT", "no statement sends this " + UUID.randomUUID());
    }

    /**
     * The retry of a stored signature finds its key held, and the read of the answer stored under it loses its
     * connection: that answer exists, only unread. It was {@code 503 database-unavailable}, which says nothing was
     * stored, without Retry-After (a read-only review, 6 December 2026): outcome-unknown, and the next retry with the
     * key gets the stored answer.
     */
    @Test
    void aRetryWhoseStoredAnswerCannotBeReadIsOutcomeUnknown() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        String body = body(MARKER + " " + run, "zyxwv.marker+" + run + "-held@example.org");
        String actionId = sign(key, body).then().statusCode(202).extract().path("results[0].actionId");
        int cutsBefore = ProxiedDatabaseProfile.PROXY.getCutsOnReply();
        ProxiedDatabaseProfile.PROXY.cutOnReplyTo("select request_hash, status, response from idempotency_key", null);
        Response retry;
        try {
            retry = sign(key, body);
        } finally {
            disarm();
        }
        assertEquals(1, ProxiedDatabaseProfile.PROXY.getCutsOnReply() - cutsBefore, "the read of the stored answer was cut");
        retry.then().statusCode(503).contentType("application/problem+json").header("Retry-After", "1");
        assertEquals("outcome-unknown", type(retry), retry.asString());
        assertTrue(retry.path("detail").toString().contains("same Idempotency-Key"), retry.asString());
        Response settled = await().atMost(Duration.ofSeconds(30)).until(() -> sign(key, body), r -> r.statusCode() != 503);
        settled.then().statusCode(202).header("Idempotent-Replayed", "true").body("results[0].actionId",
                org.hamcrest.Matchers.equalTo(actionId));
    }

    /**
     * In a group, a retry whose key round 1 found held (its first try stored), then a later round of the group lost the
     * database before its commit: the retry was told {@code database-unavailable}, "not stored", of a stored signature
     * (a read-only review, 6 December 2026). Now outcome-unknown; the fresh signature beside it, not stored by this
     * attempt, is told so. The writers are held on advisory locks that a trigger takes (a writer blocked here, the
     * other released at the moment chosen), so both share one group, and round 2 stops where the test cuts the
     * connection: the real thing, a lost connection, then none to be had.
     */
    @Test
    void aRetryWhoseKeyWasFoundHeldIsNotToldNotStoredWhenALaterRoundOfItsGroupLosesTheDatabase() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long base = 70_000_000L + Math.floorMod(run.hashCode(), 1_000_000) * 10L;
        long blockOne = base + 1, blockOther = base + 2, secondRound = base + 3;
        String fresh = "Fresh " + run, retried = "Retried " + run;
        String retriedKey = UUID.randomUUID().toString();
        String retriedBody = body(retried, "zyxwv.marker+" + run + "-retried@example.org");
        String freshKey = UUID.randomUUID().toString();
        String freshBody = body(fresh, "zyxwv.marker+" + run + "-fresh@example.org");
        String trigger = "held_round_" + run;
        try (Connection c = ProxiedDatabaseProfile.direct(); Statement s = c.createStatement()) {
            s.execute("create sequence " + trigger);
            s.execute("""
                    create function %s() returns trigger language plpgsql as $$
                    begin
                        if new.name = 'Block one %s' then perform pg_advisory_xact_lock(%d); end if;
                        if new.name = 'Block other %s' then perform pg_advisory_xact_lock(%d); end if;
                        if new.name = '%s' and nextval('%s') > 1 then perform pg_advisory_xact_lock(%d); end if;
                        return new;
                    end $$""".formatted(trigger, run, blockOne, run, blockOther, fresh, trigger, secondRound));
            s.execute("create trigger " + trigger + " before insert on signature for each row execute function "
                    + trigger + "()");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Connection locks = ProxiedDatabaseProfile.direct(); Statement hold = locks.createStatement()) {
            String actionId = sign(retriedKey, retriedBody).then().statusCode(202).extract().path("results[0].actionId");
            hold.execute("select pg_advisory_lock(" + blockOne + "), pg_advisory_lock(" + blockOther + "), "
                    + "pg_advisory_lock(" + secondRound + ")");
            CompletableFuture<Response> one = CompletableFuture.supplyAsync(
                    () -> sign(null, body("Block one " + run, "block-one-" + run + "@example.org")), pool);
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOn(blockOne));
            CompletableFuture<Response> other = CompletableFuture.supplyAsync(
                    () -> sign(null, body("Block other " + run, "block-other-" + run + "@example.org")), pool);
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOn(blockOther));
            // both writers held: the two queue, and the writer let go next takes both as one group
            CompletableFuture<Response> freshAnswer = CompletableFuture.supplyAsync(() -> sign(freshKey, freshBody), pool);
            CompletableFuture<Response> retriedAnswer = CompletableFuture.supplyAsync(() -> sign(retriedKey, retriedBody), pool);
            await().atMost(Duration.ofSeconds(30)).until(() -> queuedNames().containsAll(List.of(fresh, retried)));
            hold.execute("select pg_advisory_unlock(" + blockOther + ")");
            // round 1 met the retry's key and rolled back; round 2 writes the fresh signature alone, and waits
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOn(secondRound));
            ProxiedDatabaseProfile.PROXY.pause(); // no new connection answered
            ProxiedDatabaseProfile.PROXY.cut();   // the round's connection lost, before its commit
            Response r = retriedAnswer.get(120, java.util.concurrent.TimeUnit.SECONDS);
            Response f = freshAnswer.get(120, java.util.concurrent.TimeUnit.SECONDS);
            hold.execute("select pg_advisory_unlock_all()");
            ProxiedDatabaseProfile.PROXY.resume();
            one.get(120, java.util.concurrent.TimeUnit.SECONDS);
            other.get(120, java.util.concurrent.TimeUnit.SECONDS);

            r.then().statusCode(503).contentType("application/problem+json").header("Retry-After", "1");
            assertEquals("outcome-unknown", type(r), r.asString());
            assertTrue(r.path("detail").toString().contains("same Idempotency-Key"), r.asString());
            f.then().statusCode(503).contentType("application/problem+json").header("Retry-After", "1");
            assertEquals("database-unavailable", type(f), f.asString());
            assertThisAttemptOnly(f);
            assertEquals(List.of(), stored("select action_id::text from signature where name = ?", fresh),
                    "the fresh signature: not stored");
            Response settled = await().atMost(Duration.ofSeconds(60)).until(() -> sign(retriedKey, retriedBody),
                    answer -> answer.statusCode() != 503);
            settled.then().statusCode(202).header("Idempotent-Replayed", "true")
                    .body("results[0].actionId", org.hamcrest.Matchers.equalTo(actionId));
        } finally {
            pool.shutdownNow();
            ProxiedDatabaseProfile.PROXY.resume();
            try (Connection c = ProxiedDatabaseProfile.direct(); Statement s = c.createStatement()) {
                s.execute("drop trigger " + trigger + " on signature");
                s.execute("drop function " + trigger + "()");
                s.execute("drop sequence " + trigger);
            }
        }
        assertMarkerNotLogged();
    }

    /** Whether a session waits for the advisory lock {@code key} (below 2^31: its objid). */
    private static boolean waitingOn(long key) throws SQLException {
        try (Connection c = ProxiedDatabaseProfile.direct(); PreparedStatement s = c.prepareStatement(
                "select count(*) from pg_locks where locktype = 'advisory' and objid::bigint = ? and not granted")) {
            s.setLong(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    @Test
    void aSignaturePostgresqlRefusesFailsAloneAndItsGroupIsAccepted() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String refusedName = MARKER + " refused " + run;
        try (Connection c = ProxiedDatabaseProfile.direct(); Statement s = c.createStatement()) {
            // a value every check lets through but PostgreSQL refuses (SQLSTATE 23514), as a data error would be
            s.execute("alter table signature add constraint refuses_" + run + " check (name <> '" + refusedName + "') not valid");
        }
        try {
            int signers = 60;
            ExecutorService pool = Executors.newFixedThreadPool(signers);
            List<Response> answers;
            // the writers are held on a table lock while the burst queues behind them, so the refused signatures
            // share groups with accepted ones (without it, a quiet machine wrote them one by one and proved nothing)
            try (Connection lock = ProxiedDatabaseProfile.direct(); Statement hold = lock.createStatement()) {
                lock.setAutoCommit(false);
                hold.execute("lock table signature in share row exclusive mode");
                List<CompletableFuture<Response>> calls = IntStream.range(0, signers).mapToObj(i -> CompletableFuture.supplyAsync(
                        () -> sign(i % 3 == 0 ? UUID.randomUUID().toString() : null,
                                body(i % 20 == 7 ? refusedName : MARKER + " " + run, "zyxwv.marker+" + run + "-" + i + "@example.org")),
                        pool)).toList();
                await().atMost(Duration.ofSeconds(30)).until(() -> writersWaitingOnLock(lock) >= 1);
                // the writers are stuck on the lock; once a refused and an accepted signature wait in the queue
                // behind them, the first writer freed takes both into one group
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    List<String> queued = queuedNames();
                    return queued.contains(refusedName) && queued.stream().anyMatch(n -> !n.equals(refusedName));
                });
                lock.commit();
                answers = calls.stream().map(CompletableFuture::join).toList();
            } finally {
                pool.shutdown();
            }
            Map<String, String> stored = storedActions(run);
            for (int i = 0; i < signers; i++) {
                Response r = answers.get(i);
                String hmac = hasher.hash("zyxwv.marker+" + run + "-" + i + "@example.org");
                if (i % 20 == 7) {
                    r.then().statusCode(422).contentType("application/problem+json");
                    assertEquals("refused-by-database", type(r), r.asString());
                    assertFalse(stored.containsKey(hmac));
                } else {
                    r.then().statusCode(202);
                    assertEquals("accepted", r.path("results[0].status"));
                    assertEquals(stored.get(hmac), r.path("results[0].actionId"));
                }
            }
            assertEquals(signers - 3, stored.size());
            String log = Files.readString(ProxiedDatabaseProfile.LOG);
            assertTrue(log.contains("writing it in halves"), "a refused signature shared a group with others");
            assertMarkerNotLogged();
        } finally {
            try (Connection c = ProxiedDatabaseProfile.direct(); Statement s = c.createStatement()) {
                s.execute("alter table signature drop constraint refuses_" + run);
            }
        }
    }

    @Inject
    GroupCommit groupCommit;

    /** The signer names waiting in the group commit's queue (its internals: nothing else shows what is queued). */
    private List<String> queuedNames() throws ReflectiveOperationException {
        Field field = GroupCommit.class.getDeclaredField("queue");
        field.setAccessible(true);
        List<String> names = new ArrayList<>();
        for (Object pending : ((java.util.Collection<?>) field.get(ClientProxy.unwrap(groupCommit))).toArray()) {
            Method member = pending.getClass().getDeclaredMethod("member");
            member.setAccessible(true);
            Object command = ((org.w4r.petition.service.Committer.Member<?, ?>) member.invoke(pending)).command();
            names.add(((SignatureService.Checked) command).name());
        }
        return names;
    }

    private static int writersWaitingOnLock(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void whileTheDatabaseDoesNotAnswerABurstIsRefusedQuicklyAndNothingIsStored() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int signers = 40;
        ProxiedDatabaseProfile.PROXY.pause(); // new connections get no answer, as from a stopped server
        ProxiedDatabaseProfile.PROXY.cut();
        ExecutorService pool = Executors.newFixedThreadPool(signers);
        List<CompletableFuture<Response>> calls;
        try {
            calls = IntStream.range(0, signers).mapToObj(i -> CompletableFuture.supplyAsync(
                    () -> sign(null, body(MARKER + " " + run, "zyxwv.marker+" + run + "-" + i + "@example.org")), pool)).toList();
            // member by member, each waiting for a connection, this took minutes (40 x 5 s and more); a generous
            // bound that a loaded two-core machine meets, not a timing. Session 5's CI saw one writer held ~89 s in a
            // single connection attempt while the database did not answer (then answered 99999, interrupted), the
            // burst queued behind it: an open defect (docs/reliability.md); the bound lets that finish, and a stall
            // leaves the writers' stacks in the log
            try {
                await().atMost(Duration.ofSeconds(180)).until(() -> calls.stream().allMatch(CompletableFuture::isDone));
            } catch (ConditionTimeoutException stalled) {
                Thread.getAllStackTraces().forEach((thread, stack) -> {
                    if (thread.getName().startsWith("signature-writer") || thread.getName().startsWith("agroal")) {
                        System.out.println(thread.getName() + " " + thread.getState() + "\n  "
                                + java.util.Arrays.stream(stack).map(Object::toString).collect(java.util.stream.Collectors.joining("\n  ")));
                    }
                });
                throw stalled;
            }
        } finally {
            pool.shutdown();
            ProxiedDatabaseProfile.PROXY.resume();
        }
        for (CompletableFuture<Response> call : calls) {
            Response r = call.join();
            r.then().statusCode(503).contentType("application/problem+json");
            assertEquals("database-unavailable", type(r), r.asString());
            assertTrue(r.path("detail").toString().contains("not stored"), r.asString());
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                sign(null, body(MARKER + " " + run, "zyxwv.marker+" + run + "-after@example.org")).statusCode() == 202);
        assertEquals(1, storedActions(run).size(), "only the signature after the outage");
        assertMarkerNotLogged();
    }

    /**
     * PostgreSQL falls silent without closing anything (its host died, the network drops every packet): a signature
     * written on a pooled connection waits out the driver's socket timeout, where it waited on the kernel's quarter of
     * an hour, and is answered "not stored". Once the database answers again the pool's other connections, dead the
     * same way, are not handed out one after another (a timeout each): the next signature is accepted.
     */
    @Test
    void aDatabaseThatFallsSilentIsGivenUpOnAndItsDeadConnectionsAreNotUsedAgain() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // a pool as load leaves it (at most 32)
        Response r = ProxiedDatabase.callWhileFrozen(ProxiedDatabaseProfile.PROXY, dataSource, 24,
                () -> sign(null, body(MARKER + " " + run, "zyxwv.marker+" + run + "-silent@example.org")));
        r.then().statusCode(503).contentType("application/problem+json");
        assertEquals("database-unavailable", type(r), r.asString());
        assertTrue(r.path("detail").toString().contains("not stored"), r.asString());
        // each dead connection handed out costs a socket timeout (30 s here) to whichever thread takes it (the writers,
        // the relay, the heartbeat): two dozen of them outlast this bound
        AtomicInteger tries = new AtomicInteger();
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() -> sign(null,
                body(MARKER + " " + run, "zyxwv.marker+" + run + "-after-" + tries.incrementAndGet() + "@example.org")).statusCode() == 202);
        assertEquals(1, storedActions(run).size(), "the signature after the silence, not the one during it");
        assertMarkerNotLogged();
        dataSource.flush(io.agroal.api.AgroalDataSource.FlushMode.ALL); // no dead connection left to the next test
    }

    /**
     * An instance whose host died in the middle of the relay's batch: its session stays on the server, idle inside that
     * transaction and holding the relay's lock, since nothing tells PostgreSQL the peer is gone. No other instance's
     * relay could send until the server's kernel gave up on the peer (about two hours). With the kit's session
     * settings the server ends such a session once it has sat idle (60 s deployed, 10 s here), and the relay sends
     * what was signed meanwhile.
     */
    @Test
    void aBatchLeftOpenByAnInstanceThatFellSilentHoldsTheRelayOnlyUntilTheServerEndsIt() throws Exception {
        Connection held = dataSource.getConnection();
        try {
            held.setAutoCommit(false);
            // the relay takes its lock for a batch at a time: try in this transaction until this one has it
            await().atMost(Duration.ofSeconds(30)).until(() -> relayLock(held));
            int pid = pid(held);
            ProxiedDatabaseProfile.PROXY.freeze(); // the session's link falls silent for good, as when its host dies
            ProxiedDatabaseProfile.PROXY.resume(); // new connections work again; the frozen one stays open and silent
            // from here this instance stands for another one, alive: the pool's idle connections, silenced with the
            // held one, are not its
            dataSource.flush(io.agroal.api.AgroalDataSource.FlushMode.IDLE);
            // the flush runs on the pool's own thread: a signature that still meets a silenced connection is told
            // "not stored" after the socket timeout, and is sent again
            AtomicInteger tries = new AtomicInteger();
            Response r = await().atMost(Duration.ofSeconds(ProxiedDatabase.SOCKET_TIMEOUT_SECONDS + 15)).until(
                    () -> sign(null, body("Held", "held-" + tries.incrementAndGet() + "-" + UUID.randomUUID() + "@example.org")),
                    answer -> answer.statusCode() == 202);
            String actionId = r.path("results[0].actionId");
            // the server's wait, and room for a relay batch that was on a connection when it was silenced
            await().atMost(Duration.ofSeconds(ProxiedDatabase.IDLE_IN_TRANSACTION_SECONDS + ProxiedDatabase.SOCKET_TIMEOUT_SECONDS + 10))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> published(Set.of(actionId)).contains(actionId));
            try (Connection c = ProxiedDatabaseProfile.direct(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where pid = " + pid)) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the server ended the silent session");
            }
        } finally {
            held.abort(Runnable::run); // a rollback on the silent link would wait out the socket timeout
            dataSource.flush(io.agroal.api.AgroalDataSource.FlushMode.ALL);
        }
    }

    /**
     * The relay's lock, taken in {@code c}'s transaction as the relay's batch takes it. Its key is spelled out, not
     * taken from the code: every instance and version must lock the same one, so a change must be seen.
     */
    private static boolean relayLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_try_advisory_xact_lock(" + 0x7734_6f75_7462_6f78L + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anActionWhoseCommitAnswerIsLostIsConfirmedByItsRetryAndCountedOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = """
                {"caseId":"%s","type":"letter"}""".formatted(CASE);
        int cutsBefore = ProxiedDatabaseProfile.PROXY.getCutsOnReply();
        ProxiedDatabaseProfile.PROXY.cutOnReplyTo("COMMIT", "insert into idempotency_key");
        Response first = given().auth().oauth2(entityKey("ai-malta")).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/v1/actions");
        assertEquals(1, ProxiedDatabaseProfile.PROXY.getCutsOnReply() - cutsBefore, "the commit was cut");
        first.then().statusCode(503).contentType("application/problem+json");
        assertEquals("outcome-unknown", type(first), first.asString());
        Response retry = await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(entityKey("ai-malta"))
                .contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/v1/actions"),
                r -> r.statusCode() != 503);
        retry.then().statusCode(202).header("Idempotent-Replayed", "true");
        String actionId = retry.path("results[0].actionId");
        try (Connection c = ProxiedDatabaseProfile.direct(); PreparedStatement s = c.prepareStatement(
                "select count(*) from online_action where action_id = ?::uuid")) {
            s.setString(1, actionId);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                assertEquals(1, rows.getInt(1), "stored by the first request, once");
            }
        }
    }

    /**
     * A coordinator's invalidation committed by PostgreSQL while its answer was lost: the retry with the same
     * Idempotency-Key gets the stored answer. A retry that ran again was told selection-changed (the first try had
     * taken the actions): nothing said the first had worked, and a coordinator who then previewed again could take
     * out something else.
     */
    @Test
    void anInvalidationWhoseCommitAnswerIsLostIsConfirmedByItsRetry() throws Exception {
        Flood flood = flood();
        String key = UUID.randomUUID().toString();
        Response invalidated = retriedAfterALostCommit("insert into invalidation (",
                () -> coordinator(key).body(flood.request()).post("/api/v1/invalidations"), 201);
        String id = invalidated.path("invalidationId");
        assertEquals(2, (int) invalidated.path("actions"), invalidated.asString());
        assertEquals(List.of(id + " 2"), stored("select invalidation_id::text || ' ' || actions from invalidation "
                + "where reason = ?", flood.reason()), "invalidated by the first request, once");
        assertEquals(List.of(id, id), stored("select invalidation_id::text from signature where name = ?", flood.signer()));
    }

    /** The same for its reversal, whose retry that ran again was told already-reversed. */
    @Test
    void aReversalWhoseCommitAnswerIsLostIsConfirmedByItsRetry() throws Exception {
        Flood flood = flood();
        String id = given().auth().oauth2(staffToken("coordinator")).contentType(ContentType.JSON).body(flood.request())
                .post("/api/v1/invalidations").then().statusCode(201).extract().path("invalidationId");
        String key = UUID.randomUUID().toString();
        Response reversed = retriedAfterALostCommit("update invalidation set reversed_at",
                () -> coordinator(key).post("/api/v1/invalidations/" + id + "/reversal"), 200);
        assertEquals(id, reversed.path("invalidationId"));
        assertEquals("test-coordinator", reversed.path("reversedBy"));
        assertEquals(List.of("test-coordinator"), stored("select reversed_by from invalidation where invalidation_id = ?::uuid",
                id), "reversed by the first request");
        assertEquals(Arrays.asList(null, null), stored("select invalidation_id::text from signature where name = ?",
                flood.signer()), "its actions are back");
    }

    /** Two signatures of a signer name and email domain of their own, and the invalidation that takes them out. */
    record Flood(String signer, String reason, String request) {
    }

    private static Flood flood() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String domain = "lost-" + run + ".example";
        String signer = "Lost Commit " + run;
        for (int i = 0; i < 2; i++) {
            sign(null, body(signer, "bot" + i + "@" + domain)).then().statusCode(202);
        }
        String reason = "lost commit " + run;
        return new Flood(signer, reason, """
                {"selection":{"emailDomain":"%s"},"reason":"%s","expectedActions":2}""".formatted(domain, reason));
    }

    static io.restassured.specification.RequestSpecification coordinator(String key) {
        return given().auth().oauth2(staffToken("coordinator")).contentType(ContentType.JSON).header("Idempotency-Key", key);
    }

    /**
     * {@code call}, whose transaction's COMMIT (of the one that sent {@code precededBy}) is cut on its way back, then
     * sent again until the answer is not a 503: that answer, which must be the stored {@code status}.
     */
    private static Response retriedAfterALostCommit(String precededBy, Supplier<Response> call, int status) {
        int cutsBefore = ProxiedDatabaseProfile.PROXY.getCutsOnReply();
        ProxiedDatabaseProfile.PROXY.cutOnReplyTo("COMMIT", precededBy);
        Response first = call.get();
        assertEquals(1, ProxiedDatabaseProfile.PROXY.getCutsOnReply() - cutsBefore, "the commit was cut");
        first.then().statusCode(503).contentType("application/problem+json");
        assertEquals("outcome-unknown", type(first), first.asString());
        Response retry = await().atMost(Duration.ofSeconds(30)).until(call::get, r -> r.statusCode() != 503);
        assertEquals(status, retry.statusCode(), retry.asString());
        assertEquals("true", retry.header("Idempotent-Replayed"), "the stored answer");
        assertTrue(first.path("detail").toString().contains("same Idempotency-Key"), first.asString());
        return retry;
    }

    /** The first column of each row {@code sql} selects with {@code param}, read directly. */
    private static List<String> stored(String sql, String param) throws SQLException {
        try (Connection c = ProxiedDatabaseProfile.direct(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    private static Map<String, String> storedActions(String run) throws SQLException {
        Map<String, String> stored = new HashMap<>();
        try (Connection c = ProxiedDatabaseProfile.direct(); PreparedStatement s = c.prepareStatement(
                "select encode(email_hmac, 'hex'), action_id from signature where case_id = ? and name = ?")) {
            s.setString(1, CASE);
            s.setString(2, MARKER + " " + run);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    assertTrue(stored.put(rows.getString(1), rows.getString(2)) == null, "one row per signer");
                }
            }
        }
        return stored;
    }

    static Set<String> published(Set<String> actionIds) {
        String kafka = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        Set<String> found = new HashSet<>();
        for (ConsumerRecord<String, String> record : TopicReader.readAll(kafka, Topics.ACTIONS)) {
            if (Events.fromJson(record.value(), ActionEvent.class) instanceof ActionRecorded r
                    && actionIds.contains(r.actionId().toString())) {
                found.add(r.actionId().toString());
            }
        }
        return found;
    }

    static void assertMarkerNotLogged() throws IOException {
        String log = Files.readString(ProxiedDatabaseProfile.LOG);
        assertFalse(log.isEmpty(), "the service logs to " + ProxiedDatabaseProfile.LOG);
        assertFalse(log.contains(MARKER), "a signer's name is in the log " + ProxiedDatabaseProfile.LOG);
        assertFalse(log.contains("zyxwv.marker"), "a signer's email is in the log " + ProxiedDatabaseProfile.LOG);
    }
}

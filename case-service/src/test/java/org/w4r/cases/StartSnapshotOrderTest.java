package org.w4r.cases;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every start of case-service announces all reference data again (a snapshot, through the outbox), while another
 * instance may be taking staff changes. A change made during the snapshot must still be the last word on its
 * compacted topic: the revoked key a tombstone, the held case held. Before the snapshot locked the reference tables,
 * both ended with the snapshot's older state (a read-only audit, 4 December 2026).
 */
@QuarkusTest
class StartSnapshotOrderTest extends RunningService {
    @Inject
    ReferencePublisher publisher;

    @Test
    void aKeyRevokedWhileAnotherInstanceStartsStaysRevoked() throws Exception {
        String entity = CredentialsTest.newEntity();
        String manager = DemoCredentials.caseManager();
        String keyId = given().auth().oauth2(manager).post("/api/v1/entities/" + entity + "/keys").then()
                .statusCode(201).extract().path("keyId");
        Effects.awaitOutboxEmpty(relay);

        int revoked = duringASnapshot(() -> given().auth().oauth2(manager)
                .delete("/api/v1/entities/" + entity + "/keys/" + keyId).statusCode());

        assertEquals(204, revoked);
        Effects.awaitOutboxEmpty(relay);
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .filter(r -> keyId.equals(r.key())).toList();
        assertTrue(records.size() >= 2, "the key, then its revocation: " + records.size());
        assertNull(records.get(records.size() - 1).value(), "the revocation is the key's last record, not the snapshot's older read");
    }

    @Test
    void aHoldPlacedWhileAnotherInstanceStartsIsTheCasesLastRecord() throws Exception {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        String manager = DemoCredentials.caseManager();
        Effects.awaitOutboxEmpty(relay);

        int held = duringASnapshot(() -> given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"reason\":\"threats\"}").put("/api/v1/cases/" + caseId + "/hold").statusCode());

        assertTrue(held == 200 || held == 202, "placed: " + held);
        Effects.awaitOutboxEmpty(relay);
        ConsumerRecord<String, String> last = TopicReader.readAll(kafka, Topics.CASES).stream()
                .filter(r -> caseId.equals(r.key())).reduce((a, b) -> b).orElseThrow();
        CaseChanged latest = Events.fromJson(last.value(), CaseChanged.class);
        assertNotNull(latest.hold(), "compaction keeps the last record: it must be the held case");
    }

    /**
     * The expiry sweep of an instance whose clock runs ahead tombstoned a key (its {@code expiry_outbox_id} set) that
     * this instance's clock still sees in force. The snapshot announced it again after its tombstone, and the sweep,
     * which announces each expiry once, never tombstoned it again: its hash stayed on the compacted topic for good (a
     * read-only review, 6 December 2026). The snapshot leaves a credential tombstoned by the sweep alone.
     */
    @Test
    void theSnapshotNeverAnnouncesACredentialTheExpirySweepTombstoned() {
        String entity = CredentialsTest.newEntity();
        String manager = DemoCredentials.caseManager();
        String keys = "/api/v1/entities/" + entity + "/keys";
        String swept = given().auth().oauth2(manager).post(keys).then().statusCode(201).extract().path("keyId");
        String live = given().auth().oauth2(manager).post(keys).then().statusCode(201).extract().path("keyId");
        Effects.awaitOutboxEmpty(relay);
        // as the sweep leaves it (the outbox row's id only says it was announced; the test sends no tombstone)
        assertEquals(1, Effects.update(db, "update credential set expiry_outbox_id = 1, expires_at = now() + "
                + "interval '10 minutes' where key_id = ?", swept));
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CREDENTIALS);

        publisher.snapshot();

        Effects.awaitOutboxEmpty(relay);
        List<String> announced = mark.keysSince(Topics.CREDENTIALS);
        assertTrue(announced.contains(live), "the snapshot announced the key in force");
        assertFalse(announced.contains(swept), "and not the one the expiry sweep tombstoned");
    }

    /**
     * A staff token issued before an email was refused as its principal is announced at every start; its email went on
     * the compacted {@code credentials} topic each time (a read-only review, 6 December 2026). It goes as its key id.
     */
    @Test
    void aStaffTokenNamedByAnEmailIsAnnouncedWithoutIt() {
        String keyId = "key_legacy" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String sha256 = org.w4r.kit.security.Credentials.sha256(org.w4r.kit.security.Credentials.newSecret());
        assertEquals(1, Effects.update(db, "insert into credential (key_id, sha256, principal, role, created_at, "
                + "expires_at) values (?, ?, 'jane.doe@section.example', 'coordinator', now(), now() + interval '30 days')",
                keyId, sha256));
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CREDENTIALS);

        publisher.snapshot();

        Effects.awaitOutboxEmpty(relay);
        List<ConsumerRecord<String, String>> announced = mark.since(Topics.CREDENTIALS).stream()
                .filter(r -> keyId.equals(r.key())).toList();
        assertEquals(1, announced.size(), "the snapshot announced the token");
        assertFalse(announced.get(0).value().contains("@"), announced.get(0).value());
        assertTrue(announced.get(0).value().contains("\"staff-" + keyId + "\""), announced.get(0).value());
    }

    /**
     * Runs {@code write} on another thread while a start-up snapshot's transaction is open, until the write has been
     * answered or waits on a lock; then commits the snapshot and returns the write's status.
     */
    private int duringASnapshot(Callable<Integer> write) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        AtomicReference<Future<Integer>> answer = new AtomicReference<>();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                publisher.snapshot();
                answer.set(threads.submit(write));
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        answer.get().isDone() || threads.submit(this::aWriterWaitsOnALock).get());
            });
            return answer.get().get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Read outside the snapshot's transaction, where {@code pg_stat_activity} is not a snapshot of its own start. */
    private boolean aWriterWaitsOnALock() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}

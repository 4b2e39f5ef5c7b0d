package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.security.TokenDirectory;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReferenceData reference;

    @Inject
    TokenDirectory tokens;

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
        // the case still takes actions: a hold stops delivery and publicity, not solidarity (docs/petition-service.md)
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body("{\"caseIds\":[\"" + caseId + "\"],\"signer\":{\"name\":\"Léa\",\"email\":\"lea-" + caseId
                        + "@example.org\"}}")
                .post("/api/v1/signatures").then().statusCode(202).body("results[0].status", equalTo("accepted"));
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

    /**
     * A hold placed while a delivery's list is being read: neither the signers nor the messages leave. Each read is held
     * on a table lock after the first check passed, the hold is published and applied, then the lock is let go. (The
     * check was only made before the read until 4 December 2026.)
     */
    @Test
    void aHoldPlacedWhileTheListsAreReadLetsNothingOut() throws Exception {
        String caseId = "door-" + UUID.randomUUID().toString().substring(0, 8);
        String token = staffToken("delivery");
        withASignerAndAMessage(caseId, token);

        List<CompletableFuture<Response>> reads = readWhileHeld(caseId, token, () -> {
            setCase(caseId, new CaseChanged.Hold(8, Instant.now()));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> reference.findCase(caseId).map(c -> c.hold() != null).orElse(false));
        });
        for (CompletableFuture<Response> read : reads) {
            read.get(60, TimeUnit.SECONDS).then().statusCode(409).contentType("application/problem+json")
                    .body("type", containsString("case-on-hold")).body("hold.holdId", equalTo(8));
        }
    }

    /**
     * A delivery token revoked while its request waits gets neither the signer list nor the approved messages: both
     * requests are let in by the credential index and pass the first check, are held on a table lock, the token's
     * tombstone is published and applied, then the lock is let go; the check after the read (which waits for the
     * reference topics, credentials included) looks the caller up again and answers 401, as to an unknown token, and no
     * export is recorded. Until a read-only security review (6 December 2026) both answered 200 with the names and the
     * texts. The request is held so it is surely authenticated before the tombstone arrives: a request sent after it
     * could be refused by authentication itself, with or without the check.
     */
    @Test
    void aDeliveryTokenRevokedWhileItsRequestWaitsGetsNothing() throws Exception {
        String caseId = "door-" + UUID.randomUUID().toString().substring(0, 8);
        String keyId = "key_revoked-" + caseId, secret = "revoked-delivery-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, Topics.CREDENTIALS, keyId,
                    ReferenceFixtures.staffCredential(keyId, "test-revoked-delivery", "delivery", secret));
        }
        withASignerAndAMessage(caseId, secret);

        List<CompletableFuture<Response>> reads = readWhileHeld(caseId, secret, () -> {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.CREDENTIALS, keyId, null)).get(); // revoked
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> tokens.findBySha256(ReferenceFixtures.sha256(secret)).isEmpty());
        });
        for (CompletableFuture<Response> read : reads) {
            Response answer = read.get(60, TimeUnit.SECONDS);
            answer.then().statusCode(401).contentType("application/problem+json")
                    .body("type", containsString("unauthorized")).header("WWW-Authenticate", "Bearer");
            assertFalse(answer.asString().contains("Courage"), answer.asString());
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from signer_export where case_id = '" + caseId + "'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no export recorded for a revoked token");
        }
    }

    /** An open case with one approved message and one signer who agreed to be named, readable with {@code token}. */
    private void withASignerAndAMessage(String caseId, String token) {
        setCase(caseId, null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(token)
                .get("/api/v1/messages?status=approved&caseId=" + caseId).then().statusCode(200));
        approvedMessage(caseId);
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body("door-" + UUID.randomUUID() + "@example.org", caseId)
                        .replace("\"signer\"", "\"consent\":{\"showName\":true},\"signer\""))
                .post("/api/v1/signatures").then().statusCode(202);
    }

    /** What happens while the reads wait: both past their first check and held on the tables' lock. */
    interface Meanwhile {
        void run() throws Exception;
    }

    /**
     * The signer list and the approved messages read with {@code token}, each held on a table lock once it passed the
     * first check; {@code meanwhile} runs, then the lock is let go. Their answers, signers first.
     */
    private List<CompletableFuture<Response>> readWhileHeld(String caseId, String token, Meanwhile meanwhile)
            throws Exception {
        try (Connection lock = dataSource.getConnection(); Statement hold = lock.createStatement()) {
            lock.setAutoCommit(false);
            hold.execute("lock table signature, message in access exclusive mode");
            CompletableFuture<Response> signers = CompletableFuture.supplyAsync(() -> given().auth().oauth2(token)
                    .get("/api/v1/cases/" + caseId + "/signers.csv"));
            CompletableFuture<Response> messages = CompletableFuture.supplyAsync(() -> given().auth().oauth2(token)
                    .get("/api/v1/messages?status=approved&caseId=" + caseId));
            // both were let in and passed the first check, and wait to read: the first on the tables' lock, the other
            // on it too or on the case's export lock the first holds (exports of one case take turns, the approved
            // messages being one since 8 December 2026)
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLock(lock) >= 2);
            meanwhile.run();
            lock.rollback();
            return List.of(signers, messages);
        }
    }

    /** Other sessions waiting for a lock on the tables {@code lock} holds, or for a case's export lock. */
    private static int waitingOnLock(Connection lock) throws SQLException {
        try (Statement s = lock.createStatement(); ResultSet rs = s.executeQuery("""
                select count(*) from pg_locks where not granted
                   and (relation in ('signature'::regclass, 'message'::regclass) or locktype = 'advisory')""")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

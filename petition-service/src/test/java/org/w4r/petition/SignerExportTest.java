package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

@QuarkusTest
@WithPlatformResources
class SignerExportTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    AgroalDataSource db;

    /**
     * A case of its own, once petition-service knows it: a signature sent before its reference data has the case is
     * refused 404 (aHeldCaseExportsNothing, CI of 4 December 2026); the export itself catches up with the stream.
     */
    String activeCase() {
        String caseId = "export-" + UUID.randomUUID().toString().substring(0, 8);
        setCase(caseId, null);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth()
                .oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv").then().statusCode(200));
        return caseId;
    }

    void setCase(String caseId, CaseChanged.Hold hold) {
        ReferenceFixtures.publishCase(kafka, caseId, hold);
    }

    void sign(String caseId, String name, boolean showName, Instant at) {
        sign("ai-france", caseId, name, "FR", showName, at);
    }

    /** A signature taken through {@code entityId}'s website (its own key). */
    void sign(String entityId, String caseId, String name, String country, boolean showName, Instant at) {
        given().auth().oauth2(entityKey(entityId)).contentType(ContentType.JSON).body("""
                        {"caseIds":["%s"],"signer":{"name":"%s","email":"%s@example.org","country":"%s"},
                         "consent":{"showName":%s},"occurredAt":"%s"}"""
                        .formatted(caseId, name, UUID.randomUUID(), country, showName, at))
                .post("/api/v1/signatures").then().statusCode(202);
    }

    String export(String caseId, String query) {
        return given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv" + query)
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
    }

    /**
     * A delivery planned for one entity hands over that entity's petition: its pack asks for the entity's signers.
     * The export had no entity until a read-only audit (4 December 2026) found that such a pack named every entity's
     * consenting signers of the case; without an entity (a global handover) it is still every entity's.
     */
    @Test
    void anEntityAsksForTheSignersTakenThroughItAndAGlobalHandoverForEveryEntitys() {
        String caseId = activeCase();
        Instant early = Instant.now().minus(Duration.ofHours(2));
        sign("ai-france", caseId, "Ada Lovelace", "FR", true, early);
        sign("ai-malta", caseId, "Mario Borg", "MT", true, early.plusSeconds(1));
        sign("ai-malta", caseId, "Not Shown", "MT", false, early.plusSeconds(2));
        sign("ai-france", caseId, "Marie Curie", "FR", true, early.plusSeconds(3));
        sign("ai-malta", caseId, "Late Maltese", "MT", true, Instant.now());

        String until = "?until=" + early.plusSeconds(60);
        assertEquals("name,country\n\"Mario Borg\",\"MT\"\n", export(caseId, until + "&entityId=ai-malta"));
        assertEquals("name,country\n\"Ada Lovelace\",\"FR\"\n\"Marie Curie\",\"FR\"\n", export(caseId, until + "&entityId=ai-france"));
        assertEquals("name,country\n\"Mario Borg\",\"MT\"\n\"Late Maltese\",\"MT\"\n", export(caseId, "?entityId=ai-malta"));
        // an entity that took no signature of the case has an empty list, not the case's
        assertEquals("name,country\n", export(caseId, until + "&entityId=international-members"));
        assertEquals("name,country\n\"Ada Lovelace\",\"FR\"\n\"Mario Borg\",\"MT\"\n\"Marie Curie\",\"FR\"\n", export(caseId, until));

        // an empty one too: it would otherwise arrive as none, and answer with every entity's signers
        for (String bad : java.util.List.of("AI-Malta", "ai%20malta", "-ai-malta", "ai-malta%0A", "x".repeat(65), "")) {
            given().auth().oauth2(staffToken("delivery")).urlEncodingEnabled(false)
                    .get("/api/v1/cases/" + caseId + "/signers.csv?entityId=" + bad)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", containsString("invalid-field")).body("field", equalTo("entityId"));
        }
        // still the delivery team's alone, whichever entity is asked for
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/cases/" + caseId + "/signers.csv?entityId=ai-malta")
                .then().statusCode(403);
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/cases/" + caseId + "/signers.csv?entityId=ai-malta")
                .then().statusCode(403);
    }

    @Test
    void aHeldCaseExportsNoEntitysSignersEither() {
        String caseId = activeCase();
        sign("ai-malta", caseId, "Someone", "MT", true, Instant.now().minusSeconds(5));
        setCase(caseId, new CaseChanged.Hold(2, Instant.now()));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv?entityId=ai-malta")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("case-on-hold")).body("hold.holdId", equalTo(2));
    }

    @Test
    void theListHasConsentingSignersUpToTheCutoffAndNoFormulas() {
        String caseId = activeCase();
        Instant early = Instant.now().minus(Duration.ofHours(2));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signers.csv").then().statusCode(200));
        sign(caseId, "Ada Lovelace", true, early);
        sign(caseId, "Not Shown", false, early.plusSeconds(1));
        sign(caseId, "=HYPERLINK(\\\"http://evil\\\")", true, early.plusSeconds(2));
        sign(caseId, "Late Signer", true, Instant.now());

        String csv = given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signers.csv?until=" + early.plusSeconds(60))
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertEquals("name,country\n\"Ada Lovelace\",\"FR\"\n\"'=HYPERLINK(\"\"http://evil\"\")\",\"FR\"\n", csv);

        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/cases/" + caseId + "/signers.csv").then().statusCode(403);
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv?until=yesterday")
                .then().statusCode(400);
    }

    @Test
    void aHeldCaseExportsNothing() {
        String caseId = activeCase();
        sign(caseId, "Someone", true, Instant.now().minusSeconds(5));
        setCase(caseId, new CaseChanged.Hold(1, Instant.now()));
        // no waiting: the export itself waits until it has read every hold published before the request
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("case-on-hold")).body("hold.holdId", equalTo(1));
    }

    @Test
    void anErasedSignerLeavesTheListButStillCountsOnce() throws SQLException {
        String caseId = activeCase();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signers.csv").then().statusCode(200));
        String email = "forget-me-" + UUID.randomUUID() + "@example.org";
        String actionId = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(email, caseId).replace("\"signer\"", "\"consent\":{\"showName\":true},\"signer\""))
                .post("/api/v1/signatures").then().statusCode(202).extract().path("results[0].actionId");
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv")
                .then().statusCode(200).body(equalTo("name,country\n\"Ada Lovelace\",\"FR\"\n")); // listed before
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).body("{\"email\":\"" + email + "\"}")
                .post("/api/v1/erasures").then().statusCode(202).body("status", equalTo("accepted"));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv")
                .then().statusCode(200).body(equalTo("name,country\n"));
        // hidden would also leave the list: erased means the name and country are gone from the database
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select name, country, email_hmac from signature where action_id = cast(? as uuid)")) {
            s.setString(1, actionId);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertNull(rs.getString("name"), "name erased, not only hidden");
                assertNull(rs.getString("country"), "country erased");
                assertNotNull(rs.getString("email_hmac"), "the keyed hash stays: the signer still counts once");
            }
        }
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(email, caseId)).post("/api/v1/signatures")
                .then().statusCode(202).body("results[0].status", equalTo("duplicate"));
    }

    /**
     * Every list handed out is recorded (who, which entity, up to when, how many names; never a name) and in the audit
     * trail; an erasure of a signer of the case marks the lists taken before it, and a list taken after is not marked.
     * Until a read-only review of 6 December 2026 an export left no trace here, and an erasure could not name it.
     */
    @Test
    void everyListTakenIsRecordedAndAnErasureNamesTheOnesTakenBeforeIt() {
        String caseId = activeCase();
        String email = "exported-" + UUID.randomUUID() + "@example.org";
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(email, caseId).replace("\"signer\"", "\"consent\":{\"showName\":true},\"signer\""))
                .post("/api/v1/signatures").then().statusCode(202);
        Instant cutoff = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        export(caseId, "?entityId=ai-france&until=" + cutoff);
        export(caseId, "");
        io.restassured.path.json.JsonPath before = given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signer-exports").then().statusCode(200).extract().jsonPath();
        // newest first: the global list, then ai-france's up to the cut-off, then activeCase()'s own
        assertNull(before.get("[0].entityId"));
        assertEquals(1, before.getInt("[0].signers"));
        assertEquals("ai-france", before.get("[1].entityId"));
        assertEquals(cutoff.toString(), before.get("[1].cutoff"));
        assertEquals(1, before.getInt("[1].signers"));
        assertNotNull(before.get("[1].exportedBy"));
        assertTrue(before.getList("erasure").stream().allMatch(java.util.Objects::isNull), before.prettify());
        assertTrue(!before.prettify().contains("Ada Lovelace"), "never a name");
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?action=signers.exported&subjectId=" + caseId)
                .then().statusCode(200).body("entries.size()", equalTo(before.getList("$").size()))
                .body("entries[0].detail.signers", equalTo(1));

        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).body("{\"email\":\"" + email + "\"}")
                .post("/api/v1/erasures").then().statusCode(202);
        export(caseId, "");
        io.restassured.path.json.JsonPath after = given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signer-exports").then().statusCode(200).extract().jsonPath();
        assertEquals(before.getList("$").size() + 1, after.getList("$").size());
        assertNull(after.get("[0].erasure"), "taken after the erasure: no erased name in it");
        assertEquals(0, after.getInt("[0].signers"));
        for (int i = 1; i < after.getList("$").size(); i++) {
            assertEquals(1, after.getInt("[" + i + "].erasure.erasures"), after.prettify());
            assertNotNull(after.get("[" + i + "].erasure.destroyCopiesTakenBefore"));
        }
        // the delivery team's list only
        for (String token : java.util.List.of(staffToken("coordinator"), staffToken("moderator"), entityKey("ai-france"))) {
            given().auth().oauth2(token).get("/api/v1/cases/" + caseId + "/signer-exports").then().statusCode(403);
        }
    }

    /**
     * A page of a case's approved messages handed to a delivery team (authors' names and countries, the texts) is
     * recorded as an export of kind messages, and an erasure of its author names it for destruction: it left no trace
     * until a read-only review of 8 December 2026, so an erased author's copy could not be named. A page with no
     * message is not recorded.
     */
    @Test
    void aPageOfApprovedMessagesIsRecordedAndAnErasureOfItsAuthorNamesIt() {
        String caseId = activeCase();
        String email = "author-" + UUID.randomUUID() + "@example.org";
        String id = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(java.util.Map.of("caseId", caseId, "text", "Stay strong",
                        "author", java.util.Map.of("name", "Grace Hopper", "country", "FR", "email", email)))
                .post("/api/v1/messages").then().statusCode(202).extract().path("results[0].actionId");
        int recorded = given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signer-exports")
                .then().statusCode(200).extract().jsonPath().getList("$").size();
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?status=approved&caseId=" + caseId)
                .then().statusCode(200).body("size()", equalTo(0));
        given().auth().oauth2(staffToken("moderator")).contentType(ContentType.JSON).body("{\"decision\":\"approve\"}")
                .post("/api/v1/messages/" + id + "/decision").then().statusCode(200);
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?status=approved&caseId=" + caseId)
                .then().statusCode(200).body("size()", equalTo(1));
        io.restassured.path.json.JsonPath before = given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signer-exports").then().statusCode(200).extract().jsonPath();
        assertEquals(recorded + 1, before.getList("$").size(), "the empty page is not recorded, the other is");
        assertEquals("messages", before.get("[0].kind"));
        assertEquals(1, before.getInt("[0].signers"));
        assertNull(before.get("[0].erasure"));
        assertTrue(!before.prettify().contains("Grace"), "never a name");
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?action=messages.exported&subjectId=" + caseId)
                .then().statusCode(200).body("entries.size()", equalTo(1));

        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).body("{\"email\":\"" + email + "\"}")
                .post("/api/v1/erasures").then().statusCode(202);
        io.restassured.path.json.JsonPath after = given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signer-exports").then().statusCode(200).extract().jsonPath();
        assertEquals(1, after.getInt("[0].erasure.erasures"), "the page with the erased author's name: " + after.prettify());
        for (int i = 1; i < after.getList("$").size(); i++) {
            assertNull(after.get("[" + i + "].erasure"), "a signer list of a case the author did not sign");
        }
    }

    /**
     * An export still reading when an erasure arrives could hold the erased name: the erasure is refused (503, nothing
     * erased) while the case's export lock is held (here by a test transaction that records an export as one would),
     * rather than wait for it holding a pooled connection, and sent again once the export is done it marks that
     * export. Marking only what was committed when it looked would have left this one out.
     */
    @Test
    void anExportStillReadingWhenTheErasureArrivesTurnsItAwayAndIsMarkedByItsRetry() throws Exception {
        String caseId = activeCase();
        String email = "racing-" + UUID.randomUUID() + "@example.org";
        String actionId = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(email, caseId).replace("\"signer\"", "\"consent\":{\"showName\":true},\"signer\""))
                .post("/api/v1/signatures").then().statusCode(202).extract().path("results[0].actionId");
        try (Connection reading = db.getConnection()) {
            reading.setAutoCommit(false);
            try (PreparedStatement lock = reading.prepareStatement(
                    "select pg_advisory_xact_lock(hashtext('w4r-signer-export'), hashtext(?))");
                 PreparedStatement record = reading.prepareStatement("""
                         insert into signer_export (case_id, cutoff, exported_by, signers)
                         values (?, now(), 'racing-export', 1)""")) {
                lock.setString(1, caseId);
                lock.executeQuery().close();
                record.setString(1, caseId);
                record.executeUpdate();
            }
            given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                    .body("{\"email\":\"" + email + "\"}").post("/api/v1/erasures").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "5")
                    .body("type", org.hamcrest.Matchers.endsWith("/signer-list-exporting"));
            assertEquals(0L, waitingForTheExportLock(), "refused at once, not waiting with a connection");
            reading.commit();
        }
        try (Connection c = db.getConnection(); PreparedStatement name = c.prepareStatement(
                "select name from signature where action_id = cast(? as uuid)")) {
            name.setString(1, actionId);
            try (ResultSet rs = name.executeQuery()) {
                assertTrue(rs.next());
                assertNotNull(rs.getString(1), "refused: nothing erased");
            }
        }
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body("{\"email\":\"" + email + "\"}").post("/api/v1/erasures").then().statusCode(202);
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signer-exports").then().statusCode(200)
                .body("find { it.exportedBy == 'racing-export' }.erasure.erasures", equalTo(1));
    }

    /**
     * The erasure's answer must not say whether the person signed: while an export held its case's lock, an erasure of
     * a signer of that case was refused (503) and one of an address that never signed was taken (202), so an entity
     * key learnt who signed the case being exported through it (a read-only review, 6 December 2026). Now every
     * erasure is refused alike while any list is being read, and taken alike once it is done.
     */
    @Test
    void anExportTurnsAwayEveryErasureAlikeWhetherOrNotThePersonSigned() throws Exception {
        String caseId = activeCase();
        String signer = signerOf(caseId);
        String stranger = "never-signed-" + UUID.randomUUID() + "@example.org";
        try (Connection reading = db.getConnection()) {
            reading.setAutoCommit(false);
            try (PreparedStatement lock = reading.prepareStatement(
                    "select pg_advisory_xact_lock(hashtext('w4r-signer-export'), hashtext(?))")) {
                lock.setString(1, caseId);
                lock.executeQuery().close();
            }
            turnedAwayAlike(signer, stranger);
            ErasureTest.erase(staffToken("coordinator"), stranger).then().statusCode(503);
            reading.rollback();
        }
        ErasureTest.erase(entityKey("ai-france"), signer).then().statusCode(202);
        ErasureTest.erase(entityKey("ai-france"), stranger).then().statusCode(202);
    }

    /**
     * The same while an export only waits for its lock, behind an erasure under way: a try is refused behind a queued
     * exclusive request too, so the signer's erasure found its case busy while the stranger's saw no export reading
     * (503 against 202; a review of the change above, 6 December 2026).
     */
    @Test
    void anExportWaitingForItsLockTurnsAwayEveryErasureAlike() throws Exception {
        String caseId = activeCase();
        String signer = signerOf(caseId);
        String stranger = "never-signed-" + UUID.randomUUID() + "@example.org";
        long waitingBefore = waitingForTheExportLock();
        try (Connection erasing = db.getConnection(); Connection exporting = db.getConnection()) {
            erasing.setAutoCommit(false);
            exporting.setAutoCommit(false);
            try (PreparedStatement shared = erasing.prepareStatement(
                    "select pg_advisory_xact_lock_shared(hashtext('w4r-signer-export'), hashtext(?))")) {
                shared.setString(1, caseId); // an erasure of the case, under way
                shared.executeQuery().close();
            }
            java.util.concurrent.CompletableFuture<Void> export = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (PreparedStatement exclusive = exporting.prepareStatement(
                        "select pg_advisory_xact_lock(hashtext('w4r-signer-export'), hashtext(?))")) {
                    exclusive.setString(1, caseId); // an export of it, queued behind that erasure
                    exclusive.executeQuery().close();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> waitingForTheExportLock() > waitingBefore);
            turnedAwayAlike(signer, stranger);
            erasing.rollback();
            export.get(30, java.util.concurrent.TimeUnit.SECONDS);
            exporting.rollback();
        }
        ErasureTest.erase(entityKey("ai-france"), signer).then().statusCode(202);
        ErasureTest.erase(entityKey("ai-france"), stranger).then().statusCode(202);
    }

    /** A new address that signed {@code caseId} through ai-france. */
    static String signerOf(String caseId) {
        String signer = "signed-" + UUID.randomUUID() + "@example.org";
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(signer, caseId)).post("/api/v1/signatures").then().statusCode(202);
        return signer;
    }

    /** The erasures of a signer and of a stranger get the same refusal, word for word: it tells nobody who signed. */
    static void turnedAwayAlike(String signer, String stranger) {
        io.restassured.response.Response signed = ErasureTest.erase(entityKey("ai-france"), signer);
        io.restassured.response.Response never = ErasureTest.erase(entityKey("ai-france"), stranger);
        assertEquals(signed.statusCode(), never.statusCode(), "signer: " + signed.asString() + " / never signed: "
                + never.asString());
        assertEquals(503, never.statusCode());
        assertEquals(signed.asString(), never.asString());
        assertEquals(signed.header("Retry-After"), never.header("Retry-After"));
    }

    private long waitingForTheExportLock() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select count(*) from pg_stat_activity
                where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Erasures of one case's signers do not turn each other away: an entity forwarding a batch of them at once had the
     * second refused "a signer list is being exported" while the first held the case's lock (a review, 6 December
     * 2026). Here another erasure of the case holds it (shared, as erasures take it): this one goes through.
     */
    @Test
    void anErasureUnderWayDoesNotTurnAnotherOfTheSameCaseAway() throws Exception {
        String caseId = activeCase();
        String email = "batch-" + UUID.randomUUID() + "@example.org";
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(email, caseId).replace("\"signer\"", "\"consent\":{\"showName\":true},\"signer\""))
                .post("/api/v1/signatures").then().statusCode(202);
        try (Connection other = db.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement(
                    "select pg_try_advisory_xact_lock_shared(hashtext('w4r-signer-export'), hashtext(?))")) {
                lock.setString(1, caseId);
                try (ResultSet rs = lock.executeQuery()) {
                    assertTrue(rs.next() && rs.getBoolean(1));
                }
            }
            given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                    .body("{\"email\":\"" + email + "\"}").post("/api/v1/erasures").then().statusCode(202);
            other.rollback();
        }
    }
}

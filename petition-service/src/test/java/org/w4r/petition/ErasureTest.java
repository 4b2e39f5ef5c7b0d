package org.w4r.petition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.petition.repository.SignatureRepository;
import org.w4r.petition.service.SignerHasher;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.events.Events;
import org.w4r.events.SignerErased;
import org.w4r.events.Topics;
import org.w4r.testsupport.WithPlatformResources;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** An erasure is scoped to the caller's entity (a coordinator's crosses them), silent, and announced by ids only. */
@QuarkusTest
@WithPlatformResources
class ErasureTest {
    @Inject
    AgroalDataSource db;

    @ConfigProperty(name = "w4r.signer.hmac-key")
    String hmacKey;

    @Inject
    SignerHasher hasher;

    @Inject
    SignatureRepository signatures;

    @Inject
    jakarta.transaction.UserTransaction transaction;

    static String email() {
        return "forget-" + UUID.randomUUID() + "@example.org";
    }

    static String sign(String entityId, String caseId, String email) {
        return given().auth().oauth2(entityKey(entityId)).contentType(ContentType.JSON).body("""
                        {"caseIds":["%s"],"signer":{"name":"Ada Lovelace","email":"%s","country":"FR"},
                         "consent":{"showName":true}}""".formatted(caseId, email))
                .post("/api/v1/signatures").then().statusCode(202).body("results[0].status", equalTo("accepted"))
                .extract().path("results[0].actionId");
    }

    static String message(String entityId, String caseId, String email) {
        return given().auth().oauth2(entityKey(entityId)).contentType(ContentType.JSON).body("""
                        {"caseId":"%s","author":{"name":"Grace Hopper","country":"US","email":"%s"},
                         "text":"Stay strong,\\nGrace from Arlington","language":"en"}""".formatted(caseId, email))
                .post("/api/v1/messages").then().statusCode(202).extract().path("results[0].actionId");
    }

    static Response erase(String token, String email) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"email\":\"" + email + "\"}")
                .post("/api/v1/erasures");
    }

    String signerName(String actionId) throws SQLException {
        return one("select name from signature where action_id = cast(? as uuid)", actionId);
    }

    String one(String sql, String id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row " + id);
                return rs.getString(1);
            }
        }
    }

    /** HMAC-SHA256 of the trimmed, lower-cased email under the configured key, as docs/petition-service.md says. */
    String hmac(String email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theEmailIsStoredOnlyAsTheKeyedHashOfItsNormalForm() throws SQLException {
        String local = "Ada.Mixed-" + UUID.randomUUID();
        String email = "  " + local + "@Example.ORG ";
        String signature = sign("ai-france", "el-hiblu-3", email);
        String written = message("ai-france", "el-hiblu-3", email.trim());
        String expected = hmac(local.toLowerCase(Locale.ROOT) + "@example.org");
        assertEquals(expected, one("select encode(email_hmac, 'hex') from signature where action_id = cast(? as uuid)", signature));
        assertEquals(expected, one("select encode(author_email_hmac, 'hex') from message where action_id = cast(? as uuid)", written));
        for (String row : List.of(one("select row_to_json(s)::text from signature s where action_id = cast(? as uuid)", signature),
                one("select row_to_json(m)::text from message m where action_id = cast(? as uuid)", written))) {
            assertFalse(row.toLowerCase(Locale.ROOT).contains(local.toLowerCase(Locale.ROOT)), "no email in clear: " + row);
        }
        // the same person in another spelling is the same signer
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(local.toUpperCase(Locale.ROOT) + "@EXAMPLE.org", "el-hiblu-3"))
                .post("/api/v1/signatures").then().statusCode(202).body("results[0].status", equalTo("duplicate"));
    }

    static SignerErased event(String erasureId) {
        List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(60)).until(
                () -> Stream.containing(Topics.ERASURES, erasureId), r -> !r.isEmpty());
        ConsumerRecord<String, String> record = records.get(0);
        assertEquals(erasureId, record.key());
        return Events.fromJson(record.value(), SignerErased.class);
    }

    @Test
    void anEntityErasesOnlyWhatWasTakenThroughIt() throws SQLException {
        String email = email();
        String throughFrance = sign("ai-france", "nassima-al-sada", email);
        String throughMalta = sign("ai-malta", "el-hiblu-3", email);

        String erasureId = erase(entityKey("ai-france"), email).then().statusCode(202)
                .body("status", equalTo("accepted")).extract().path("erasureId");

        assertNull(signerName(throughFrance), "the entity's own signer is forgotten");
        assertNull(one("select country from signature where action_id = cast(? as uuid)", throughFrance), "and their country");
        assertEquals("f", one("select show_name from signature where action_id = cast(? as uuid)", throughFrance));
        assertEquals(hmac(email), one("select encode(email_hmac, 'hex') from signature where action_id = cast(? as uuid)", throughFrance),
                "the keyed hash stays, so the signer still counts once");
        assertEquals("-|-|f|f|FR|f", stored(throughFrance), "nor their email's domain");
        assertEquals("Ada Lovelace", signerName(throughMalta), "another entity's signer is not its to erase");
        assertEquals("Ada Lovelace|FR|t|f|FR|t", stored(throughMalta));
        assertEquals("FR", one("select country from signature where action_id = cast(? as uuid)", throughMalta));
        SignerErased event = event(erasureId);
        assertEquals("ai-france", event.entityId());
        assertNoActionOn(erasureId, throughFrance, throughMalta);
        assertEquals(List.of("nassima-al-sada"), event.caseIds());
    }

    @Test
    void theAnswerNeverTellsWhetherThePersonSigned() {
        String signed = email();
        sign("ai-france", "paing-phyo-min", signed);
        for (String token : List.of(entityKey("ai-france"), entityKey("ai-malta"), staffToken("coordinator"))) {
            Response known = erase(token, signed);
            Response unknown = erase(token, email());
            assertEquals(known.statusCode(), unknown.statusCode());
            assertEquals(202, known.statusCode());
            assertEquals(known.contentType(), unknown.contentType());
            assertEquals(shape(known), shape(unknown), "same body but for the erasure's own id");
            assertNotEquals((String) known.path("erasureId"), (String) unknown.path("erasureId"));
        }
    }

    static String shape(Response r) {
        return r.asString().replace(r.path("erasureId").toString(), "<id>");
    }

    @Test
    void aCoordinatorErasesAcrossEntitiesAndMessageAuthorsGoToo() throws SQLException {
        String email = email();
        String throughFrance = sign("ai-france", "nassima-al-sada", email);
        String throughMalta = sign("ai-malta", "el-hiblu-3", email);
        String written = message("ai-malta", "el-hiblu-3", email);
        String otherAuthor = message("ai-malta", "el-hiblu-3", email());

        String erasureId = erase(staffToken("coordinator"), email).then().statusCode(202).extract().path("erasureId");

        assertNull(signerName(throughFrance));
        assertNull(signerName(throughMalta));
        assertNull(one("select author_name from message where action_id = cast(? as uuid)", written));
        assertNull(one("select author_country from message where action_id = cast(? as uuid)", written));
        assertNull(one("select author_email_hmac from message where action_id = cast(? as uuid)", written),
                "nothing left to find the author by");
        assertTrue(one("select erased_at from message where action_id = cast(? as uuid)", written) != null);
        for (String signature : List.of(throughFrance, throughMalta)) {
            assertNull(one("select country from signature where action_id = cast(? as uuid)", signature));
        }
        assertEquals("", one("select text from message where action_id = cast(? as uuid)", written), "what they wrote goes too");
        assertEquals("Grace Hopper", one("select author_name from message where action_id = cast(? as uuid)", otherAuthor));
        List<String> queue = given().auth().oauth2(staffToken("moderator")).get("/api/v1/messages?caseId=el-hiblu-3&limit=1000")
                .then().statusCode(200).extract().path("messageId");
        assertFalse(queue.contains(written), "an erased message is no longer moderated");
        assertTrue(queue.contains(otherAuthor));
        given().auth().oauth2(staffToken("moderator")).contentType(ContentType.JSON).body("{\"decision\":\"approve\"}")
                .post("/api/v1/messages/" + written + "/decision").then().statusCode(409);

        SignerErased event = event(erasureId);
        assertNull(event.entityId(), "across entities");
        assertNoActionOn(erasureId, throughFrance, throughMalta, written, otherAuthor);
        assertEquals(List.of("el-hiblu-3", "nassima-al-sada"), event.caseIds());
    }

    /**
     * One event, and no action's id in it: the topic is kept for good, and a list of the person's actions there tied
     * them together (each with its case, entity, time and country on {@code actions}) long after the erasure (a
     * read-only review, 7 December 2026).
     */
    static void assertNoActionOn(String erasureId, String... actionIds) {
        List<ConsumerRecord<String, String>> records = Stream.containing(Topics.ERASURES, erasureId);
        assertEquals(1, records.size(), "one event an erasure");
        for (String actionId : actionIds) {
            assertFalse(records.get(0).value().contains(actionId), actionId + " on the stream: " + records.get(0).value());
        }
    }

    @Test
    void theEventNamesNobody() {
        String email = email();
        sign("ai-france", "el-hiblu-3", email);
        message("ai-france", "el-hiblu-3", email);
        String erasureId = erase(entityKey("ai-france"), email).then().statusCode(202).extract().path("erasureId");
        event(erasureId);
        for (ConsumerRecord<String, String> r : Stream.containing(Topics.ERASURES, erasureId)) {
            String value = r.value().toLowerCase(java.util.Locale.ROOT);
            // not "ada": it is hex, and one run's UUID held it (d0eeafbb-cada-…); the surname says it
            for (String personal : List.of(email, "example.org", "lovelace", "grace", "hopper", "arlington", "\"fr\"",
                    "\"us\"")) {
                assertFalse(value.contains(personal), personal + " on the stream: " + r.value());
            }
            assertFalse(value.matches(".*[0-9a-f]{64}.*"), "no hash of the email on the stream: " + r.value());
        }
    }

    @Test
    void onlyEntitiesAndCoordinatorsErase() {
        for (String role : List.of("delivery", "moderator", "case-manager")) {
            erase(staffToken(role), email()).then().statusCode(403).contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON).body("{\"email\":\"" + email() + "\"}").post("/api/v1/erasures")
                .then().statusCode(401);
        erase(entityKey("ai-france"), "not-an-email").then().statusCode(400).body("field", equalTo("email"));
        erase(entityKey("ai-france"), "a\\u0000b@example.org").then().statusCode(400).body("field", equalTo("email"));
    }

    /**
     * An erasure finds its signatures through an index led by the email hash, never by reading every signature: with
     * the one-per-person-per-case index led by the case, each erasure read the whole table (3.7 GB after a replay), at
     * an entity key's rate. Sequential scans are priced out, so a plan without a usable index still shows which index
     * it falls back to, and the test asks that index's leading column.
     */
    @Test
    void anErasureFindsItsSignaturesByAnIndexLedByTheHash() throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement settings = c.createStatement()) {
                settings.execute("set local enable_seqscan = off");
            }
            JsonNode plan;
            try (PreparedStatement explain = c.prepareStatement("explain (format json) " + SignatureRepository.ERASE)) {
                explain.setString(1, "0".repeat(64));
                explain.setString(2, null);
                explain.setString(3, null);
                try (ResultSet rs = explain.executeQuery()) {
                    rs.next();
                    plan = new ObjectMapper().readTree(rs.getString(1));
                }
            }
            List<String> indexes = plan.findValuesAsText("Index Name");
            assertFalse(indexes.isEmpty(), "no index in the plan: " + plan);
            for (String index : indexes) {
                assertEquals("email_hmac", one("""
                        select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid
                        and a.attnum = i.indkey[0] where i.indexrelid = cast(? as regclass)""", index), plan.toString());
            }
            assertTrue(plan.findValuesAsText("Node Type").stream().noneMatch("Seq Scan"::equals), plan.toString());
            c.rollback();
        }
    }

    static String signAs(String entityId, String caseId, String name, String email) {
        return given().auth().oauth2(entityKey(entityId)).contentType(ContentType.JSON).body("""
                        {"caseIds":["%s"],"signer":{"name":"%s","email":"%s","country":"FR"},
                         "consent":{"showName":true,"contact":true}}""".formatted(caseId, name, email))
                .post("/api/v1/signatures").then().statusCode(202).body("results[0].status", equalTo("accepted"))
                .extract().path("results[0].actionId");
    }

    static String signersCsv(String caseId) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signers.csv"), r -> r.statusCode() == 200).asString();
    }

    /** Name, country and both consents of a signature, as stored. */
    /**
     * Name, country, consents, the country counted, and whether the keyed hash of the email's domain is kept: an
     * erasure forgets it too, or a coordinator's preview of an invalidation by a personal domain (ada-lovelace.name)
     * would still find which cases the person signed, through which entity and when (a read-only review, 7 December
     * 2026).
     */
    String stored(String actionId) throws SQLException {
        return one("select concat_ws('|', coalesce(name, '-'), coalesce(country, '-'), show_name, contact_me, "
                + "counted_country, email_domain_hmac is not null) from signature where action_id = cast(? as uuid)", actionId);
    }

    /**
     * An erasure holds for what is signed after it (found by a read-only review, 6 December 2026: it changed only the
     * rows it found, so a signature that reached the database later, a retry after a 503 or one queued as it
     * committed, kept the name). The deterministic form: an address erased before it ever signed signs, through the
     * erasing entity and through another.
     */
    @Test
    void aSignatureAfterAnErasureIsCountedWithoutTheName() throws SQLException {
        String email = email();
        String name = "Erased Before " + UUID.randomUUID().toString().substring(0, 8);
        erase(entityKey("ai-france"), email).then().statusCode(202);

        String after = signAs("ai-france", "paing-phyo-min", name, email);
        assertEquals("-|-|f|f|FR|f", stored(after), "stored as an erasure leaves a signature: no name, country, consents");
        assertEquals(hasher.hash(email), one("select encode(email_hmac, 'hex') from signature where action_id = cast(? as uuid)", after));
        // counted, and once: the same person again is a duplicate
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(email, "paing-phyo-min"))
                .post("/api/v1/signatures").then().statusCode(202).body("results[0].status", equalTo("duplicate"));
        await().atMost(Duration.ofSeconds(60)).until(() -> OutcomeUnknownTest.published(Set.of(after)).contains(after));
        assertFalse(signersCsv("paing-phyo-min").contains(name), "an erased signer is not in the list");
        // the entity's erasure is the entity's: the same person through another entity is taken as signed
        String elsewhere = signAs("ai-malta", "nassima-al-sada", name, email);
        assertEquals(name + "|FR|t|t|FR|t", stored(elsewhere));

        // a coordinator's erasure holds for every entity
        String everywhere = email();
        erase(staffToken("coordinator"), everywhere).then().statusCode(202);
        assertEquals("-|-|f|f|FR|f", stored(signAs("ai-malta", "el-hiblu-3", name, everywhere)));
    }

    /** The same for a message: its author and text are not stored after the author's erasure, and it still counts. */
    @Test
    void aMessageAfterItsAuthorsErasureIsCountedWithoutAuthorOrText() throws SQLException {
        String email = email();
        erase(staffToken("coordinator"), email).then().statusCode(202);

        String written = message("ai-malta", "el-hiblu-3", email);
        assertEquals("-|-|-||t", one("select concat_ws('|', coalesce(author_name, '-'), coalesce(author_country, '-'), "
                + "coalesce(encode(author_email_hmac, 'hex'), '-'), text, erased_at is not null) from message "
                + "where action_id = cast(? as uuid)", written));
        await().atMost(Duration.ofSeconds(60)).until(() -> OutcomeUnknownTest.published(Set.of(written)).contains(written));
        List<String> queue = given().auth().oauth2(staffToken("moderator")).get("/api/v1/messages?caseId=el-hiblu-3&limit=1000")
                .then().statusCode(200).extract().path("messageId");
        assertFalse(queue.contains(written), "not moderated, so never delivered");

        // an entity's erasure: that entity's messages only
        String byFrance = email();
        erase(entityKey("ai-france"), byFrance).then().statusCode(202);
        assertEquals("", one("select text from message where action_id = cast(? as uuid)",
                message("ai-france", "el-hiblu-3", byFrance)));
        assertEquals("Grace Hopper", one("select author_name from message where action_id = cast(? as uuid)",
                message("ai-malta", "el-hiblu-3", byFrance)));
    }

    /** A batch takes the person's lock before any of its items, and stores both kinds as erased. */
    @Test
    void aBatchAfterAnErasureStoresItsSignatureAndMessageWithoutTheName() throws SQLException {
        String email = email();
        erase(entityKey("ai-france"), email).then().statusCode(202);
        var batch = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).body("""
                        {"items":[
                          {"id":"m","kind":"message","body":{"caseId":"el-hiblu-3","author":{"name":"Grace Hopper",
                           "email":"%s"},"text":"Courage","language":"en"}},
                          {"id":"s","kind":"signature","body":{"caseIds":["el-hiblu-3"],"signer":{"name":"Ada Lovelace",
                           "email":"%s","country":"FR"},"consent":{"showName":true}}},
                          {"id":"o","kind":"signature","body":{"caseIds":["el-hiblu-3"],"signer":{"name":"Other Signer",
                           "email":"%s","country":"FR"},"consent":{"showName":true}}}]}""".formatted(email, email, email()))
                .post("/api/v1/batches").then().statusCode(200).body("accepted", equalTo(3));
        String message = batch.extract().path("results[0].result.results[0].actionId");
        String signature = batch.extract().path("results[1].result.results[0].actionId");
        String other = batch.extract().path("results[2].result.results[0].actionId");
        assertEquals("", one("select text from message where action_id = cast(? as uuid)", message));
        assertNull(one("select author_name from message where action_id = cast(? as uuid)", message));
        assertEquals("-|-|f|f|FR|f", stored(signature));
        assertEquals("Other Signer|FR|t|f|FR|t", stored(other), "the others of the batch as sent");
    }

    /**
     * The race itself: a signature inserted in a transaction still open (a group commit's, a batch's) when the
     * erasure comes. The erasure tries the person's lock key until the writer has committed, then finds the row and
     * erases it; before, its update could not see the row, and the row kept the name once committed. Tried, never
     * queued in PostgreSQL (a waiting exclusive request held every later writer of the key behind it, a review of the
     * change found): a writer that holds the key longer than the erasure tries gets it answered {@code 503
     * erasure-busy}, nothing erased, and the request sent again erases it.
     */
    @Test
    void anErasureWaitsForASignatureOfThePersonBeingWrittenAndThenErasesIt() throws Exception {
        String email = email();
        UUID first = signOpen(email, () -> {
            CompletableFuture<Response> erasure = CompletableFuture.supplyAsync(() -> erase(entityKey("ai-france"), email));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !erasure.isDone());
            return erasure;
        }, erasure -> {
            erasure.get(60, java.util.concurrent.TimeUnit.SECONDS).then().statusCode(202);
            return null;
        });
        assertEquals("-|-|f|f|FR|f", stored(first.toString()), "erased once the signature committed");

        String other = email();
        UUID second = signOpen(other, () -> {
            Response busy = erase(entityKey("ai-france"), other);
            busy.then().statusCode(503).header("Retry-After", "1").body("type", org.hamcrest.Matchers.endsWith("/erasure-busy"));
            return busy;
        }, busy -> null);
        assertTrue(stored(second.toString()).startsWith("Held Open "), "nothing erased by the refused request");
        erase(entityKey("ai-france"), other).then().statusCode(202);
        assertEquals("-|-|f|f|FR|f", stored(second.toString()), "the request sent again erases it");
    }

    /**
     * A signature of {@code email} inserted in a transaction held open while {@code during} runs, then committed, then
     * {@code after} given what {@code during} returned; the signature's id.
     */
    private <T> UUID signOpen(String email, java.util.concurrent.Callable<T> during,
                              FailableFunction<T> after) throws Exception {
        UUID actionId = UUID.randomUUID();
        T result;
        transaction.begin();
        try {
            java.time.Instant now = java.time.Instant.now();
            boolean[] inserted = signatures.insertIfFirst(List.of(new SignatureRepository.NewSignature(actionId,
                    ReferenceFixtures.CAMPAIGN, "el-hiblu-3", "ai-france", hasher.hash(email),
                    hasher.hashDomain("example.org"), "Held Open " + UUID.randomUUID().toString().substring(0, 8),
                    "FR", true, true, now, now)));
            assertTrue(inserted[0]);
            result = during.call();
        } catch (Throwable e) {
            transaction.rollback();
            throw e;
        }
        transaction.commit();
        after.apply(result);
        return actionId;
    }

    @FunctionalInterface
    private interface FailableFunction<T> {
        Object apply(T value) throws Exception;
    }

}

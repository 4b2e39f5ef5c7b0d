package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Found by a read-only review, 6 December 2026: an entity's keyed signature is answered 503 database-unavailable
 * (nothing stored), the signer is erased (the erasure finds nothing), and the entity's retry with the same key stored
 * a new row with her name and consent, which the next signer list delivered. The database is really cut (the proxy of
 * {@link ProxiedDatabaseProfile}), as in {@link OutcomeUnknownTest}.
 */
@QuarkusTest
@TestProfile(ProxiedDatabaseProfile.class)
// the lost commit's test last: run first (CI, 8 December 2026), the pause-and-cut that follows it met the open defect
// "a signature writer held in one connection attempt" (reliability.md) and the signature went unanswered for 120 s
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ErasureAfterOutageTest {
    @AfterEach
    void reconnect() {
        ProxiedDatabaseProfile.PROXY.resume();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void aRetryAfterA503StoresNoNameOnceTheSignerWasErased() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> OutcomeUnknownTest.sign(UUID.randomUUID().toString(),
                OutcomeUnknownTest.body("Healthy", "healthy-" + UUID.randomUUID() + "@example.org")).statusCode() == 202);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String name = "Erased Retry " + run;
        String email = "ana+" + run + "@x.org";
        String key = UUID.randomUUID().toString();
        String body = OutcomeUnknownTest.body(name, email).replace("}}", "},\"consent\":{\"showName\":true}}");

        Response first;
        ProxiedDatabaseProfile.PROXY.pause(); // no new connection answered
        ProxiedDatabaseProfile.PROXY.cut();   // and the pooled ones lost
        try {
            first = OutcomeUnknownTest.sign(key, body);
        } finally {
            ProxiedDatabaseProfile.PROXY.resume();
        }
        first.then().statusCode(503);
        assertEquals("database-unavailable", OutcomeUnknownTest.type(first), first.asString());
        assertEquals(0, count("select count(*) from signature where name = ?", name), "nothing stored");

        // the person is erased: nothing of hers is found, the erasure is accepted
        await().atMost(Duration.ofSeconds(90)).until(() -> given().auth().oauth2(entityKey("ai-france"))
                .contentType("application/json").body("{\"email\":\"" + email + "\"}").post("/api/v1/erasures")
                .statusCode() == 202);

        // the entity's retry, same key, same body: taken now (nothing was stored under the key), and counted
        Response retry = await().atMost(Duration.ofSeconds(60)).until(() -> OutcomeUnknownTest.sign(key, body),
                r -> r.statusCode() != 503);
        retry.then().statusCode(202).body("results[0].status", org.hamcrest.Matchers.equalTo("accepted"));
        assertNull(retry.header("Idempotent-Replayed"), "stored by this attempt");
        String actionId = retry.path("results[0].actionId");
        try (Connection c = ProxiedDatabaseProfile.direct(); PreparedStatement ps = c.prepareStatement(
                "select name, country, show_name, contact_me from signature where action_id = cast(? as uuid)")) {
            ps.setString(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the retry's signature is stored: it counts");
                assertNull(rs.getString(1), "without her name");
                assertNull(rs.getString(2));
                assertFalse(rs.getBoolean(3));
                assertFalse(rs.getBoolean(4));
            }
        }
        String csv = await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + OutcomeUnknownTest.CASE + "/signers.csv"), r -> r.statusCode() == 200).asString();
        assertFalse(csv.contains(name), "the next signer list does not name her");
        String log = java.nio.file.Files.readString(ProxiedDatabaseProfile.LOG);
        assertFalse(log.contains(name) || log.contains(email), "no signer's name or email in the log");
    }

    /**
     * An erasure takes no Idempotency-Key (done twice it erases once): when the answer to its commit is lost, its
     * outcome-unknown says that sending it again is safe. It told the caller to send an Idempotency-Key, which the
     * endpoint ignores (a read-only review, 8 December 2026). Sent again, it is accepted and the person erased once.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void anErasureWhoseCommitAnswerIsLostSaysSendingItAgainIsSafe() throws Exception {
        String email = "lost-commit+" + UUID.randomUUID().toString().substring(0, 8) + "@x.org";
        await().atMost(Duration.ofSeconds(90)).until(() -> OutcomeUnknownTest.sign(UUID.randomUUID().toString(),
                OutcomeUnknownTest.body("Lost Commit", email)).statusCode() == 202);
        int before = ProxiedDatabaseProfile.PROXY.getCutsOnReply();
        ProxiedDatabaseProfile.PROXY.cutOnReplyTo("COMMIT", "insert into erased_signer");
        Response first = erase(email);
        assertEquals(1, ProxiedDatabaseProfile.PROXY.getCutsOnReply() - before, "the commit's answer was cut");
        first.then().statusCode(503);
        assertEquals("outcome-unknown", OutcomeUnknownTest.type(first), first.asString());
        String detail = first.path("detail");
        assertTrue(detail.contains("Sending it again is safe"), detail);
        assertFalse(detail.contains("Send an Idempotency-Key"), detail);

        Response again = await().atMost(Duration.ofSeconds(60)).until(() -> erase(email), r -> r.statusCode() != 503);
        again.then().statusCode(202);
        assertEquals(0, count("select count(*) from signature where name = ?", "Lost Commit"), "erased");
    }

    private static Response erase(String email) {
        return given().auth().oauth2(entityKey("ai-france")).contentType("application/json")
                .body("{\"email\":\"" + email + "\"}").post("/api/v1/erasures");
    }

    private static int count(String sql, String param) throws Exception {
        try (Connection c = ProxiedDatabaseProfile.direct(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}

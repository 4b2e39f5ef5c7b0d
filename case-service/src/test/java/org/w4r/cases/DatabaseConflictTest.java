package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write PostgreSQL ends to break a deadlock (40P01) is {@code 503 database-conflict} with {@code Retry-After}: nothing
 * was stored, and the same request again passes (docs/case-service.md, "When the database fails"). Until a read-only
 * review, 6 December 2026, one ended in a statement of Hibernate's was answered 409 {@code concurrent-change} ("read it
 * again"), and one ended in the outbox's insert 503: two answers to one failure. Each deadlock here is real, between a
 * request and a transaction the test holds open on the test database.
 */
@QuarkusTest
class DatabaseConflictTest extends RunningService {
    /** A case manager's token of its own, so the test can lock its credential row without stopping other callers. */
    static String[] managerToken() {
        String principal = CaseLifecycleTest.id("deadlock");
        var issued = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + principal + "\",\"role\":\"case-manager\"}").post("/api/v1/staff")
                .then().statusCode(201).extract().jsonPath();
        String token = issued.getString("token");
        await().atMost(Effects.BOUND).untilAsserted(() ->
                given().auth().oauth2(token).get("/api/v1/staff").then().statusCode(200));
        return new String[]{token, issued.getString("keyId")};
    }

    /**
     * An edit holds its case's row and, last, reads its caller's credential row (LiveCredentialCheck), which the other
     * transaction holds; that one then asks for the case: PostgreSQL ends the edit, which waited first.
     */
    @Test
    void aDeadlockInAStatementIsA503DatabaseConflict() throws Exception {
        String[] manager = managerToken();
        renameDeadlocked(manager[0], "select 1 from credential where key_id = ? for update", manager[1]);
    }

    /** The same deadlock met in the outbox's insert, which the kit answers: the same answer. */
    @Test
    void aDeadlockInTheOutboxIsTheSame503() throws Exception {
        renameDeadlocked(DemoCredentials.caseManager(), "lock table outbox in share mode");
    }

    /**
     * A case renamed with {@code token} while another transaction holds what {@code first} locks; once the rename
     * waits for it, that transaction asks for the case's row: a deadlock, which must be the documented 503 and store
     * nothing.
     */
    private void renameDeadlocked(String token, String first, Object... params) throws Exception {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        try (OpenTransaction other = new OpenTransaction()) {
            other.run(first, params);
            Future<Response> edit = other.meanwhile(() -> given().auth().oauth2(token)
                    .contentType(ContentType.JSON).body("{\"name\":\"Renamed\"}").patch("/api/v1/cases/" + caseId));
            other.awaitBlocked(edit);
            other.run("select 1 from case_file where id = ? for update", caseId);
            other.commit();
            refusedForAConcurrentOne(OpenTransaction.answer(edit));
        }
        assertEquals("Someone at risk", Effects.caseRow(db, caseId).get("name"), "nothing stored");
    }

    private static void refusedForAConcurrentOne(Response answer) {
        assertEquals(503, answer.statusCode(), answer.asString());
        assertEquals("application/problem+json", answer.contentType());
        assertTrue(answer.asString().contains("/database-conflict\""), answer.asString());
        assertEquals("1", answer.header("Retry-After"));
    }
}

package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.ProxiedDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL lost under live staff writes (issue 14): cases created, holds placed, keys issued. A 2xx is stored once;
 * {@code 503 outcome-unknown} is resolved by reading (or by the retry's 409: the case exists, the hold is placed),
 * and never stores twice; any other answer stored nothing. Deterministic cuts of a commit's answer first, then cuts
 * at random under load.
 */
@QuarkusTest
@TestProfile(ProxiedDatabaseProfile.class)
class DatabaseOutageTest {
    static final ProxiedDatabase.Proxy PROXY = ProxiedDatabaseProfile.DATABASE.proxy();
    static String campaign;

    @AfterEach
    void reconnect() {
        PROXY.resume();
    }

    @BeforeEach
    void healthy() {
        await().atMost(Duration.ofSeconds(90)).until(() -> given().auth().oauth2(DemoCredentials.caseManager())
                .get("/api/v1/cases").statusCode() == 200);
        if (campaign == null) {
            Instant now = Instant.now();
            campaign = CaseLifecycleTest.campaign(now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
        }
    }

    @Test
    void aHoldWhoseCommitAnswerIsLostIsOutcomeUnknownAndPlaced() throws Exception {
        String caseId = created(CaseLifecycleTest.id("case"));
        int before = PROXY.getCutsOnReply();
        PROXY.cutOnReplyTo("COMMIT", "insert into case_hold");
        Response r = hold(caseId);
        assertEquals(1, PROXY.getCutsOnReply() - before, "the commit was cut");
        assertOutcomeUnknown(r);
        assertEquals(1, holds(caseId), "PostgreSQL committed it");
        // resolved: sent again, the hold is found in place
        Response again = await().atMost(Duration.ofSeconds(60)).until(() -> hold(caseId), a -> a.statusCode() != 503);
        assertEquals(409, again.statusCode(), again.asString());
        assertEquals(1, holds(caseId));
    }

    @Test
    void aCaseWhoseCommitAnswerIsLostIsOutcomeUnknownAndCreatedOnce() throws Exception {
        String caseId = CaseLifecycleTest.id("case");
        int before = PROXY.getCutsOnReply();
        PROXY.cutOnReplyTo("COMMIT", "insert into case_file");
        Response r = create(caseId);
        assertEquals(1, PROXY.getCutsOnReply() - before, "the commit was cut");
        assertOutcomeUnknown(r);
        assertEquals(1, cases(caseId), "PostgreSQL committed it");
        Response again = await().atMost(Duration.ofSeconds(60)).until(() -> create(caseId), a -> a.statusCode() != 503);
        assertEquals(409, again.statusCode(), "the retry finds it: " + again.asString());
    }

    @Test
    void aKeyWhoseCommitAnswerIsLostIsOutcomeUnknownAndListed() throws Exception {
        long before = keys("ai-iceland");
        int cuts = PROXY.getCutsOnReply();
        PROXY.cutOnReplyTo("COMMIT", "insert into credential");
        Response r = given().auth().oauth2(DemoCredentials.caseManager()).post("/api/v1/entities/ai-iceland/keys");
        assertEquals(1, PROXY.getCutsOnReply() - cuts, "the commit was cut");
        assertOutcomeUnknown(r);
        assertEquals(before + 1, keys("ai-iceland"), "PostgreSQL committed it");
        // its secret was never shown: the caller lists the keys and revokes the one it does not know
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(before + 1, given().auth()
                .oauth2(DemoCredentials.caseManager()).get("/api/v1/entities/ai-iceland/keys").then().statusCode(200)
                .extract().jsonPath().getList("keyId").size()));
    }

    @Test
    void underLoadEveryAnswerTellsTheTruth() throws Exception {
        int requests = 60;
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger unknown = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        CompletableFuture<Void> chaos = CompletableFuture.runAsync(() -> {
            for (int round = 1; !done.get(); round++) {
                int before = PROXY.getCutsOnReply();
                PROXY.cutOnReplyTo("COMMIT", round % 2 == 0 ? "insert into case_hold" : "insert into case_file");
                try {
                    await().atMost(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(10))
                            .until(() -> PROXY.getCutsOnReply() != before || done.get());
                } catch (ConditionTimeoutException e) {
                    // nothing committed meanwhile: arm the next one
                }
                pause(150);
                if (round % 5 == 0) {
                    PROXY.cut(); // whatever is in flight, wherever it is in its transaction
                    pause(150);
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> calls = IntStream.range(0, requests).mapToObj(i -> CompletableFuture.runAsync(() -> {
                String caseId = CaseLifecycleTest.id("outage");
                for (int tries = 0; ; tries++) {
                    assertTrue(tries < 200, "never created");
                    Response r = create(caseId);
                    long stored = cases(caseId);
                    if (r.statusCode() == 409 && stored == 1) {
                        break; // the retry of an outcome-unknown: it was stored
                    }
                    if (countUnknown(r, unknown) && stored == 1) {
                        break;
                    }
                    assertTruthful("case " + caseId, r, stored);
                    if (r.statusCode() == 201) {
                        break;
                    }
                    pause(50);
                }
                assertEquals(1, cases(caseId));
                for (int tries = 0; ; tries++) {
                    assertTrue(tries < 200, "never held");
                    Response r = hold(caseId);
                    long stored = holds(caseId);
                    if (r.statusCode() == 409 && stored == 1) {
                        break;
                    }
                    if (countUnknown(r, unknown) && stored == 1) {
                        break;
                    }
                    assertTruthful("hold " + caseId, r, stored);
                    if (r.statusCode() / 100 == 2) {
                        acknowledged.incrementAndGet();
                        break;
                    }
                    pause(50);
                }
                assertEquals(1, holds(caseId), "held once");
            }, pool)).toList();
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        } finally {
            done.set(true);
            pool.shutdown();
            chaos.join();
        }
        assertTrue(PROXY.getCutsOnReply() > 0, "some commits were cut");
        System.out.printf("case outage: %d cases and %d holds, %d holds acknowledged, %d outcome-unknown, %d commits cut%n",
                requests, requests, acknowledged.get(), unknown.get(), PROXY.getCutsOnReply());
    }

    private static boolean countUnknown(Response r, AtomicInteger unknown) {
        boolean isUnknown = r.statusCode() == 503 && "outcome-unknown".equals(type(r));
        if (isUnknown) {
            unknown.incrementAndGet();
        }
        return isUnknown;
    }

    /** 2xx: stored; 503 outcome-unknown: either; anything else: not stored. */
    static void assertTruthful(String what, Response r, long stored) {
        int status = r.statusCode();
        if (status / 100 == 2) {
            assertEquals(1, stored, what + " answered " + status + " is stored once");
        } else if (status == 503 && "outcome-unknown".equals(type(r))) {
            assertTrue(stored <= 1, what + " stored at most once");
        } else {
            assertEquals(0, stored, what + " answered " + status + " " + r.asString() + " but stored");
            assertEquals("application/problem+json", r.contentType(), r.asString());
        }
    }

    static void assertOutcomeUnknown(Response r) {
        r.then().statusCode(503).contentType("application/problem+json");
        assertEquals("outcome-unknown", type(r), r.asString());
    }

    static String type(Response r) {
        String type = r.contentType() != null && r.contentType().startsWith("application/problem+json") ? r.path("type") : null;
        return type == null ? "" : type.substring(type.lastIndexOf('/') + 1);
    }

    static Response create(String caseId) {
        return given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON).body("""
                {"caseId":"%s","campaignId":"%s","name":"Someone at risk","country":"mm",
                 "targetAuthority":"Minister of Justice","goal":1000}""".formatted(caseId, campaign)).post("/api/v1/cases");
    }

    static Response hold(String caseId) {
        return given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"reason\":\"safety\"}").put("/api/v1/cases/" + caseId + "/hold");
    }

    static String created(String caseId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> create(caseId).statusCode() == 201);
        return caseId;
    }

    static long cases(String caseId) {
        return number("select count(*) from case_file where id = ?", caseId);
    }

    static long holds(String caseId) {
        return number("select count(*) from case_hold where case_id = ?", caseId);
    }

    static long keys(String entityId) {
        return number("select count(*) from credential where entity_id = ?", entityId);
    }

    static long number(String sql, String parameter) {
        try (Connection c = ProxiedDatabaseProfile.DATABASE.direct(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

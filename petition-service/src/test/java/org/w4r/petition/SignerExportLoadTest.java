package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * A signer export reads the whole list into the heap: two or three large ones at once ran petition-service out of
 * memory (read-only audit, 4 December 2026). One is exported at a time per instance; another is refused at once,
 * {@code 503 overloaded} with Retry-After, and served when sent again.
 */
@QuarkusTest
@WithPlatformResources
class SignerExportLoadTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    AgroalDataSource db;

    /** The first export is held on a lock of the signature table, taken by the test, while it reads. */
    @Test
    void anExportAskedWhileAnotherIsReadIsRefusedAtOnceAndServedWhenAskedAgain() throws Exception {
        String first = activeCase();
        String second = activeCase();
        sign(first, "Ada Lovelace");
        sign(second, "Marie Curie");

        CompletableFuture<Response> reading;
        CompletableFuture<Response> refused;
        try (Connection lock = db.getConnection(); Statement hold = lock.createStatement()) {
            lock.setAutoCommit(false);
            try {
                hold.execute("lock table signature in access exclusive mode");
                reading = CompletableFuture.supplyAsync(() -> export(first));
                await().atMost(Duration.ofSeconds(60)).until(() -> exportsWaiting() == 1);
                CompletableFuture<Response> another = CompletableFuture.supplyAsync(() -> export(second));
                refused = another;
                // answered at once, or (without the bound) reading too: waiting for the lock beside the first
                await().atMost(Duration.ofSeconds(60)).until(() -> another.isDone() || exportsWaiting() >= 2);
                assertTrue(another.isDone(), "a second export was let through to read while the first was reading");
            } finally {
                lock.rollback();
            }
        }
        refused.get(60, TimeUnit.SECONDS).then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5").body("type", endsWith("/overloaded")).body("retryAfterSeconds", equalTo(5));
        reading.get(60, TimeUnit.SECONDS).then().statusCode(200)
                .body(equalTo("name,country\n\"Ada Lovelace\",\"FR\"\n"));
        // the first is done: the one refused is served when sent again
        assertEquals("name,country\n\"Marie Curie\",\"FR\"\n", export(second).then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString());
    }

    /** A case of its own, once petition-service knows it (as SignerExportTest's). */
    private String activeCase() {
        String caseId = "load-" + UUID.randomUUID().toString().substring(0, 8);
        ReferenceFixtures.publishCase(kafka, caseId, null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> export(caseId).then().statusCode(200));
        return caseId;
    }

    private static void sign(String caseId, String name) {
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).body("""
                        {"caseIds":["%s"],"signer":{"name":"%s","email":"%s@example.org","country":"FR"},
                         "consent":{"showName":true},"occurredAt":"%s"}"""
                        .formatted(caseId, name, UUID.randomUUID(), Instant.now().minusSeconds(60)))
                .post("/api/v1/signatures").then().statusCode(202);
    }

    private static Response export(String caseId) {
        return given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv");
    }

    /**
     * Exports (SignatureRepository.consenting's statement) waiting for a lock. Read on a connection of its own: within
     * the locking transaction, pg_stat_activity would be the snapshot taken at its first read.
     */
    private int exportsWaiting() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
                and query ilike 'select name, country from signature%'""")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

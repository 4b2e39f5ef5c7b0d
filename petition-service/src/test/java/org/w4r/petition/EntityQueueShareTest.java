package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.petition.service.GroupCommit;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/**
 * One entity's flood waits in its share of the signature queue and no more; another entity's signature is still
 * taken. The writers are held on a table lock, so nothing is answered until it is released, except what is over the
 * share: that is answered at once, 429 (the entity's to slow down), never the shared 503. Read-only audit,
 * 4 December 2026: the queue was one FIFO for all, so a leaked key at its rate limit made every entity wait.
 */
@QuarkusTest
@TestProfile(EntityQueueShareTest.SmallShare.class)
@WithPlatformResources
class EntityQueueShareTest {
    static final int SHARE = 6;

    public static class SmallShare implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("w4r.signatures.entity-share", String.valueOf(SHARE));
        }
    }

    @Inject
    AgroalDataSource db;

    @Inject
    GroupCommit groupCommit;

    static Response sign(String entity, String run, int i) {
        return given().auth().oauth2(entityKey(entity)).contentType(ContentType.JSON).body("""
                {"caseIds":["el-hiblu-3"],"signer":{"name":"Queue %d","email":"queue-%s-%d@example.org"}}"""
                .formatted(i, run, i)).post("/api/v1/signatures");
    }

    @Test
    void oneEntitysFloodWaitsInItsShareAndAnotherEntityIsStillServed() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int flood = SHARE + 3;
        ExecutorService pool = Executors.newFixedThreadPool(flood + 1);
        try (Connection lock = db.getConnection(); Statement hold = lock.createStatement()) {
            lock.setAutoCommit(false);
            hold.execute("lock table signature in share row exclusive mode");
            List<CompletableFuture<Response>> floods = IntStream.range(0, flood).mapToObj(i -> CompletableFuture.supplyAsync(
                    () -> sign("ai-malta", run, i), pool)).toList();
            // the share waits on the lock; the three over it are answered at once
            await().atMost(Duration.ofSeconds(60)).until(() -> floods.stream().filter(CompletableFuture::isDone).count() == 3);
            for (CompletableFuture<Response> done : floods.stream().filter(CompletableFuture::isDone).toList()) {
                Response r = done.join();
                r.then().statusCode(429).contentType("application/problem+json").header("Retry-After", "1");
                assertEquals("entity-queue", r.path("scope"), r.asString());
            }
            assertEquals(SHARE, groupCommit.waiting("ai-malta"));
            CompletableFuture<Response> other = CompletableFuture.supplyAsync(() -> sign("ai-france", run, 100), pool);
            // taken in beside the flood's share, not refused for it
            await().atMost(Duration.ofSeconds(60)).until(() -> groupCommit.waiting("ai-france") == 1 || other.isDone());
            assertEquals(1, groupCommit.waiting("ai-france"), () -> other.join().asString());
            lock.commit();
            other.join().then().statusCode(202);
            assertEquals(SHARE, floods.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 202).count());
        } finally {
            pool.shutdown();
        }
        // the share is given back as signatures are answered
        await().atMost(Duration.ofSeconds(10)).until(() -> groupCommit.waiting("ai-malta") == 0);
        for (int i = 0; i < SHARE + 1; i++) {
            sign("ai-malta", run, 200 + i).then().statusCode(202);
        }
    }
}

package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.EntityChanged;
import org.w4r.events.Topics;
import org.w4r.kit.problem.Problem;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.ReferenceDataResource;
import org.w4r.testsupport.ReferenceFixtures;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Rate limits as an entity website meets them: a burst from one key is refused with 429 while other entities go on,
 * one signer email domain is limited within an entity, a batch is refused whole, and a refused request stored nothing
 * and can be sent again once the bucket refilled. Each test has an entity of its own with its own limits
 * ({@code %test.w4r.limits.entity."limits-…"} in application.properties); everyone else's are high.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ReferenceDataResource.class, scope = TestResourceScope.GLOBAL)
class RateLimitsTest {
    @Inject
    AgroalDataSource db;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    /** Makes {@code entityId} an entity with the key {@code entityKey(entityId)}, as case-service would, and waits for it. */
    String enrol(String entityId) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, Topics.ENTITIES, entityId, new EntityChanged(UUID.randomUUID(), entityId,
                    entityId, null, "section", Instant.now()));
            ReferenceFixtures.send(producer, Topics.CREDENTIALS, "key_" + entityId,
                    ReferenceFixtures.entityCredential("key_" + entityId, entityId, entityKey(entityId)));
        }
        String key = entityKey(entityId);
        // a read is not limited: it tells when the key is known without spending a token
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(key)
                .get("/api/v1/offline-counts/" + UUID.randomUUID()).statusCode() == 404);
        return key;
    }

    static Response post(String key, String path, String body, String idempotencyKey) {
        var request = given().auth().oauth2(key).contentType(ContentType.JSON).body(body);
        return (idempotencyKey == null ? request : request.header("Idempotency-Key", idempotencyKey)).post(path);
    }

    static Response sign(String key, String email) {
        return post(key, "/api/v1/signatures", SignatureResourceTest.body(email, "el-hiblu-3"), null);
    }

    static String signer(String domain) {
        return "signer-" + UUID.randomUUID() + "@" + domain;
    }

    static String batch(int items) {
        return IntStream.range(0, items).mapToObj(i -> "{\"id\":\"row-" + i + "\",\"kind\":\"action\",\"body\":"
                + "{\"caseId\":\"el-hiblu-3\",\"type\":\"letter\"}}").collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }

    /** A 429 problem of {@code scope}, with a Retry-After in whole seconds; returns the seconds. */
    static long assertRateLimited(Response response, String scope) {
        assertEquals(429, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith(Problem.MEDIA_TYPE), response.contentType());
        assertTrue(response.jsonPath().getString("type").endsWith("/rate-limited"), response.asString());
        assertEquals(scope, response.jsonPath().getString("scope"));
        assertTrue(response.jsonPath().getString("limit").contains("per"), response.asString());
        long seconds = Long.parseLong(response.header("Retry-After"));
        assertTrue(seconds >= 1, "Retry-After " + seconds);
        assertEquals(seconds, response.jsonPath().getLong("retryAfter"));
        return seconds;
    }

    double refused(String entityId, String scope) {
        var counter = registry.find("w4r.petition.rate.limited").tags("entity", entityId, "scope", scope).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aBurstFromOneKeyMeets429sWhileOtherEntitiesAreAnswered() {
        String flooding = enrol("limits-burst"); // 5 tokens, refilled over an hour
        String malta = entityKey("ai-malta");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Response answer = sign(flooding, signer("burst-signers.example"));
            statuses.add(answer.statusCode());
            if (answer.statusCode() == 429) {
                assertRateLimited(answer, "entity");
                // the same moment, another entity's site is untouched
                sign(malta, signer("example.org")).then().statusCode(202);
            }
        }
        assertEquals(List.of(202, 202, 202, 202, 202, 429, 429, 429), statuses);
        assertEquals(3.0, refused("limits-burst", "entity"));

        Effects.Snapshot before = Effects.take(db);
        String key = UUID.randomUUID().toString();
        Response refused = post(flooding, "/api/v1/signatures", SignatureResourceTest.body(signer("burst-signers.example"),
                "el-hiblu-3"), key);
        assertRateLimited(refused, "entity");
        assertFalse(refused.asString().contains("burst-signers"), "no email in a refusal: " + refused.asString());
        assertRateLimited(post(flooding, "/api/v1/actions", "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\"}", null), "entity");
        assertRateLimited(post(flooding, "/api/v1/messages", NothingPublishedOnRefusalTest.message("el-hiblu-3", "Hi"),
                null), "entity");
        assertRateLimited(post(flooding, "/api/v1/batches", batch(1), null), "entity");
        Effects.assertNothingSince(before, db, "requests over the entity's limit");
        assertEquals(7.0, refused("limits-burst", "entity"));
    }

    @Test
    void oneSignerEmailDomainIsLimitedWithinItsEntityOnly() {
        String site = enrol("limits-domain"); // 3 signers of one domain an hour, the entity itself unlimited
        for (int i = 0; i < 3; i++) {
            sign(site, signer("flood.example")).then().statusCode(202);
        }
        Effects.Snapshot before = Effects.take(db);
        Response refused = sign(site, signer("flood.example"));
        assertRateLimited(refused, "email-domain");
        assertFalse(refused.asString().contains("flood"), "the domain is not named: " + refused.asString());
        assertRateLimited(sign(site, signer("FLOOD.Example")), "email-domain"); // one domain whatever its case
        assertRateLimited(post(site, "/api/v1/messages", "{\"caseId\":\"el-hiblu-3\",\"author\":{\"name\":\"Grace\","
                + "\"email\":\"" + signer("flood.example") + "\"},\"text\":\"Hi\"}", null), "email-domain");
        Effects.assertNothingSince(before, db, "signatures over a domain's limit");
        assertEquals(3.0, refused("limits-domain", "email-domain"));
        assertEquals(0.0, refused("limits-domain", "entity"));

        sign(site, signer("other.example")).then().statusCode(202); // another domain of the same entity
        sign(entityKey("ai-malta"), signer("flood.example")).then().statusCode(202); // the same domain, another entity
        post(site, "/api/v1/actions", "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\"}", null).then().statusCode(202);
    }

    @Test
    void aBatchLargerThanWhatIsLeftIsRefusedWholeAndSaysHowManyFit() {
        String backEnd = enrol("limits-batch"); // 10 tokens, refilled over an hour
        post(backEnd, "/api/v1/batches", batch(4), null).then().statusCode(200);

        Effects.Snapshot before = Effects.take(db);
        String key = UUID.randomUUID().toString();
        Response refused = post(backEnd, "/api/v1/batches", batch(7), key);
        assertRateLimited(refused, "entity");
        assertEquals(7, refused.jsonPath().getInt("requested"));
        assertEquals(6, refused.jsonPath().getInt("available"));
        // sent with a key: an earlier attempt under it may have been stored (the limit is taken before the key is
        // looked up), so it says neither "nothing was stored" nor to send less as a new request (a new key), which
        // would count the earlier attempt's actions twice (a read-only review, 8 December 2026)
        String keyed = refused.jsonPath().getString("detail");
        assertTrue(keyed.contains("an earlier one under the same Idempotency-Key may have been stored"), keyed);
        assertFalse(keyed.contains("nothing was stored") || keyed.contains("at most 6 tokens"), keyed);
        Response unkeyed = post(backEnd, "/api/v1/batches", batch(7), null);
        assertRateLimited(unkeyed, "entity");
        assertTrue(unkeyed.jsonPath().getString("detail").contains("nothing was stored"), unkeyed.asString());
        assertTrue(unkeyed.jsonPath().getString("detail").contains("at most 6 tokens"), unkeyed.asString());
        Response neverFits = post(backEnd, "/api/v1/batches", batch(11), null);
        assertRateLimited(neverFits, "entity");
        assertTrue(neverFits.jsonPath().getString("detail").contains("never fit, send requests of at most"),
                neverFits.asString());
        Response neverFitsKeyed = post(backEnd, "/api/v1/batches", batch(11), UUID.randomUUID().toString());
        assertRateLimited(neverFitsKeyed, "entity");
        assertTrue(neverFitsKeyed.jsonPath().getString("detail").contains("send it again with the same key once the limit "
                + "is raised"), neverFitsKeyed.asString());
        Effects.assertNothingSince(before, db, "batches over the entity's limit");

        post(backEnd, "/api/v1/batches", batch(6), null).then().statusCode(200);
        assertRateLimited(post(backEnd, "/api/v1/actions", "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\"}", null),
                "entity");
    }

    /**
     * A signature stores an action per case it names, and takes a token per case: until 5 December 2026 it took one
     * whatever its cases (up to 50), so an entity at its limit could store 50 times what another stored.
     */
    @Test
    void aSignatureTakesATokenPerCaseItNames() {
        String site = enrol("limits-cases"); // 5 tokens, refilled over an hour
        sign3(site).then().statusCode(202);
        Effects.Snapshot before = Effects.take(db);
        Response refused = sign3(site);
        assertRateLimited(refused, "entity");
        assertEquals(3, refused.jsonPath().getInt("requested"));
        assertEquals(2, refused.jsonPath().getInt("available"));
        Effects.assertNothingSince(before, db, "a signature of three cases with two tokens left");

        // a batch: its signature's one case and an action, two tokens, all that was left
        String batch = "{\"items\":[{\"id\":\"s\",\"kind\":\"signature\",\"body\":" + SignatureResourceTest.body(
                signer("example.org"), "el-hiblu-3") + "},{\"id\":\"a\",\"kind\":\"action\","
                + "\"body\":{\"caseId\":\"el-hiblu-3\",\"type\":\"letter\"}}]}";
        post(site, "/api/v1/batches", batch, null).then().statusCode(200);
        assertRateLimited(sign(site, signer("example.org")), "entity");
    }

    private Response sign3(String site) {
        return post(site, "/api/v1/signatures", SignatureResourceTest.body(signer("example.org"), "el-hiblu-3",
                "nassima-al-sada", "paing-phyo-min"), null);
    }

    @Test
    void theBucketRefillsAndTheRefusedRequestCanBeSentAgainWithItsKey() throws InterruptedException {
        String site = enrol("limits-refill"); // 1 token a second
        sign(site, signer("example.org")).then().statusCode(202);
        String key = UUID.randomUUID().toString();
        String body = SignatureResourceTest.body(signer("example.org"), "el-hiblu-3");
        long seconds = assertRateLimited(post(site, "/api/v1/signatures", body, key), "entity");
        assertEquals(1, seconds);

        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        Response again = post(site, "/api/v1/signatures", body, key);
        assertEquals(202, again.statusCode(), again.asString());
        assertNull(again.header("Idempotent-Replayed"), "the key was not used by the refusal");
        assertEquals("accepted", again.jsonPath().getString("results[0].status"));
    }

    /**
     * An erasure was not limited, and each one, of any address, writes an append-only audit row and publishes a
     * {@code SignerErased}: a leaked key could grow both without bound (found by a read-only audit, 4 December 2026).
     * It takes a token of the entity's one bucket, as signatures do; beyond it the answer is a 429 and neither the
     * trail nor the erasures topic moved. A coordinator's erasure is not limited.
     */
    @Test
    void anErasureTakesTheEntitysTokensAndBeyondThemWritesAndPublishesNothing() {
        String site = enrol("limits-erasure"); // 3 tokens, refilled over an hour
        sign(site, signer("erasure-signers.example")).then().statusCode(202);
        for (int i = 0; i < 2; i++) {
            ErasureTest.erase(site, signer("erasure-signers.example")).then().statusCode(202);
        }

        Effects.Snapshot before = Effects.take(db); // audit_entry and the erasures topic among what it compares
        Response refused = ErasureTest.erase(site, signer("erasure-signers.example"));
        assertRateLimited(refused, "entity");
        assertEquals(1, refused.jsonPath().getInt("requested"));
        assertFalse(refused.asString().contains("erasure-signers"), "no email in a refusal: " + refused.asString());
        // one bucket: the erasures took what the entity's signatures would have used
        assertRateLimited(sign(site, signer("erasure-signers.example")), "entity");
        Effects.assertNothingSince(before, db, "an erasure over the entity's limit");
        assertEquals(2.0, refused("limits-erasure", "entity"));

        ErasureTest.erase(staffToken("coordinator"), signer("erasure-signers.example")).then().statusCode(202);
    }

    @Test
    void anEntityWithoutItsOwnLimitsIsNotLimitedByAnotherEntitysOverride() {
        String france = entityKey("ai-france");
        for (int i = 0; i < 12; i++) { // more than any override above allows, at once
            sign(france, signer("flood.example")).then().statusCode(202);
        }
        assertEquals(0.0, refused("ai-france", "entity") + refused("ai-france", "email-domain"));
    }
}

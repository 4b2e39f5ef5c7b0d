package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Every kind of refused write leaves no trace: nothing stored and, once a later accepted action has reached the
 * topic, nothing published on any of the service's topics in between.
 */
@QuarkusTest
@WithPlatformResources
class NothingPublishedOnRefusalTest {
    @Inject
    AgroalDataSource db;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    /** A refused request: {@code token} null sends none, {@code key} null no Idempotency-Key. */
    record Refusal(String label, String token, String path, String body, String key, int status) {
    }

    static final String FRANCE = entityKey("ai-france");
    static final String MALTA = entityKey("ai-malta");

    static String signature(String caseId, String email) {
        return SignatureResourceTest.body(email, caseId);
    }

    static String message(String caseId, String text) {
        return "{\"caseId\":\"" + caseId + "\",\"author\":{\"name\":\"Grace\",\"country\":\"US\"},\"text\":\"" + text + "\"}";
    }

    static String offlineCount(int count, LocalDate date) {
        return "{\"caseId\":\"el-hiblu-3\",\"type\":\"letter\",\"count\":" + count
                + ",\"event\":{\"name\":\"Fair\",\"date\":\"" + date + "\"}}";
    }

    static Response post(String token, String path, String body, String key) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post(path);
    }

    void publish(String topic, String key, Object event) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, topic, key, event);
        }
    }

    String publishCase(String prefix, String campaignId, String status, String scope, String localEntity) {
        String caseId = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        publish(Topics.CASES, caseId, new CaseChanged(UUID.randomUUID(), caseId, campaignId, caseId, "AR", "Authorities",
                scope, localEntity, null, status, true, null, ReferenceFixtures.version(), Instant.now()));
        return caseId;
    }

    @Test
    void noRefusedWriteStoresOrPublishesAnything() {
        Instant now = Instant.now();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String ended = "ended-" + UUID.randomUUID().toString().substring(0, 8);
        publish(Topics.CAMPAIGNS, ended, new CampaignChanged(UUID.randomUUID(), ended, "Ended",
                now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1)), false, List.of(), now));
        String closed = publishCase("closed", ReferenceFixtures.CAMPAIGN, "closed", "global", null);
        String draft = publishCase("draft", ReferenceFixtures.CAMPAIGN, "draft", "global", null);
        String maltaOnly = publishCase("local", ReferenceFixtures.CAMPAIGN, "active", "local", "ai-malta");
        // active, then closed: a case entities could see, still told case-not-active (a draft closed is not: 404)
        String seenClosed = publishCase("seen", ReferenceFixtures.CAMPAIGN, "active", "global", null);
        publish(Topics.CASES, seenClosed, new CaseChanged(UUID.randomUUID(), seenClosed, ReferenceFixtures.CAMPAIGN,
                seenClosed, "AR", "Authorities", "global", null, null, "closed", true, null, ReferenceFixtures.version(),
                Instant.now()));
        String late = publishCase("late", ended, "active", "global", null);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                post(MALTA, "/api/v1/actions", "{\"caseId\":\"" + late + "\",\"type\":\"tweet\"}", null).statusCode() == 422);

        String offlineCountId = post(FRANCE, "/api/v1/offline-counts", offlineCount(10, today), null)
                .then().statusCode(202).extract().path("results[0].actionId");
        String reviewed = post(FRANCE, "/api/v1/messages", message("el-hiblu-3", "Courage"), null)
                .then().statusCode(202).extract().path("results[0].actionId");
        given().auth().oauth2(staffToken("moderator")).contentType(ContentType.JSON).body("{\"decision\":\"approve\"}")
                .post("/api/v1/messages/" + reviewed + "/decision").then().statusCode(200);
        String usedKey = UUID.randomUUID().toString();
        post(FRANCE, "/api/v1/actions", "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\"}", usedKey).then().statusCode(202);
        String email = "refused-" + UUID.randomUUID() + "@example.org";
        String corrections = "/api/v1/offline-counts/" + offlineCountId + "/corrections";

        List<Refusal> refusals = List.of(
                new Refusal("signature with a bad email", FRANCE, "/api/v1/signatures", signature("el-hiblu-3", "not-an-email"), null, 400),
                new Refusal("signature for a draft case (as an unknown id)", FRANCE, "/api/v1/signatures", signature(draft, email), null, 404),
                new Refusal("signature for a case closed never active (as an unknown id)", FRANCE, "/api/v1/signatures", signature(closed, email), UUID.randomUUID().toString(), 404),
                new Refusal("signature for a case closed after being active", FRANCE, "/api/v1/signatures", signature(seenClosed, email), UUID.randomUUID().toString(), 422),
                new Refusal("signature for another entity's local case (as an unknown id)", FRANCE, "/api/v1/signatures", signature(maltaOnly, email), null, 404),
                new Refusal("signature outside the campaign window", MALTA, "/api/v1/signatures", signature(late, email), null, 422),
                new Refusal("signature for an unknown case", FRANCE, "/api/v1/signatures", signature("no-such-case", email), null, 404),
                new Refusal("signature from a staff token", staffToken("coordinator"), "/api/v1/signatures", signature("el-hiblu-3", email), null, 403),
                new Refusal("signature without a key", null, "/api/v1/signatures", signature("el-hiblu-3", email), null, 401),
                new Refusal("action outside the campaign window", MALTA, "/api/v1/actions", "{\"caseId\":\"" + late + "\",\"type\":\"letter\"}", null, 422),
                new Refusal("action for a case closed never active (as an unknown id)", MALTA, "/api/v1/actions", "{\"caseId\":\"" + closed + "\",\"type\":\"letter\"}", UUID.randomUUID().toString(), 404),
                new Refusal("action from the future", MALTA, "/api/v1/actions", "{\"caseId\":\"el-hiblu-3\",\"type\":\"letter\",\"occurredAt\":\""
                        + now.plus(Duration.ofDays(1)) + "\"}", null, 400),
                new Refusal("action of another campaign's case", FRANCE, "/api/v1/actions", "{\"caseId\":\"el-hiblu-3\",\"type\":\"letter\",\"campaignId\":\""
                        + ended + "\"}", null, 422),
                new Refusal("action from a moderator", staffToken("moderator"), "/api/v1/actions", "{\"type\":\"letter\"}", null, 403),
                new Refusal("action under a reused key", FRANCE, "/api/v1/actions", "{\"caseId\":\"el-hiblu-3\",\"type\":\"email\"}", usedKey, 422),
                new Refusal("message too long", FRANCE, "/api/v1/messages", message("el-hiblu-3", "x".repeat(2001)), null, 400),
                new Refusal("message for a draft case (as an unknown id)", FRANCE, "/api/v1/messages", message(draft, "Courage"), null, 404),
                new Refusal("offline count of zero", FRANCE, "/api/v1/offline-counts", offlineCount(0, today), null, 400),
                new Refusal("offline count of a future event", FRANCE, "/api/v1/offline-counts", offlineCount(5, today.plusDays(2)), null, 400),
                new Refusal("correction below zero", FRANCE, corrections, "{\"delta\":-11,\"reason\":\"too much\"}", UUID.randomUUID().toString(), 422),
                new Refusal("correction of another entity's count", MALTA, corrections, "{\"delta\":-1,\"reason\":\"not mine\"}", null, 404),
                new Refusal("batch whose every item is refused", FRANCE, "/api/v1/batches", """
                        {"items":[{"id":"a","kind":"action","body":{"type":"postcard","caseId":"%s"}},
                                  {"id":"b","kind":"signature","body":%s},
                                  {"id":"c","kind":"offline-correction","body":{"offlineCountId":"%s","delta":-11,"reason":"x"}},
                                  {"id":"d","kind":"message","body":%s}]}"""
                        .formatted(closed, signature(draft, email), offlineCountId, message(maltaOnly, "hi")), null, 200),
                new Refusal("batch with one id twice", FRANCE, "/api/v1/batches",
                        "{\"items\":[{\"id\":\"x\",\"kind\":\"action\",\"body\":{\"type\":\"sms\"}},{\"id\":\"x\",\"kind\":\"action\",\"body\":{\"type\":\"sms\"}}]}",
                        null, 400),
                new Refusal("decision on a reviewed message", staffToken("moderator"), "/api/v1/messages/" + reviewed + "/decision",
                        "{\"decision\":\"reject\",\"reason\":\"late\",\"abuse\":true}", null, 409),
                new Refusal("decision by an entity", FRANCE, "/api/v1/messages/" + reviewed + "/decision",
                        "{\"decision\":\"reject\",\"reason\":\"x\",\"abuse\":true}", null, 403),
                new Refusal("erasure by a moderator", staffToken("moderator"), "/api/v1/erasures", "{\"email\":\"" + email + "\"}", null, 403),
                new Refusal("erasure of a non-email", FRANCE, "/api/v1/erasures", "{\"email\":\"nobody\"}", null, 400));

        List<String> failures = new ArrayList<>();
        for (Refusal r : refusals) {
            Effects.Snapshot before = Effects.take(db);
            Response answer = post(r.token(), r.path(), r.body(), r.key());
            try {
                assertEquals(r.status(), answer.statusCode(), answer.asString());
                if (r.status() == 200) {
                    assertEquals(0, (int) answer.path("accepted"), answer.asString());
                } else {
                    assertEquals("application/problem+json", answer.contentType().split(";")[0], answer.asString());
                }
                if (r.key() == null) {
                    Effects.assertNothingSince(before, db, r.label());
                } else if (r.key().equals(usedKey)) {
                    // a key another request holds is met after the request was applied, which is then rolled back
                    Effects.assertNothingKeptSince(before, db, r.label());
                } else {
                    // a refusal under a new key is kept under it, and nothing else (IdempotencyService.earlierOr)
                    Effects.assertOnlySince(before, db, r.label(), Map.of("idempotency_key", 1L));
                }
            } catch (AssertionError e) {
                failures.add(r.label() + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + refusals.size() + " refusals left a trace");
    }
}

package org.w4r.tally;

import com.sun.net.httpserver.HttpServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.CaseChanged;
import org.w4r.events.Mode;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.WebhookRepository;
import org.w4r.tally.service.Milestones;
import org.w4r.tally.service.WebhookSettings;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.net.URI;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Webhooks end to end: registered through the API, case events published to the real {@code cases} topic, deliveries
 * POSTed to a real HTTP receiver in this JVM (the JDK's server), whose signatures the test verifies with the secret the
 * registration showed. Retries, the dead letter and the replay run on the test profile's small backoff and limit (3
 * attempts); the mechanism is the one of production.
 */
@QuarkusTest
@WithPlatformResources
class WebhookTest {
    private static final Logger LOG = Logger.getLogger(WebhookTest.class);
    /** Not the current campaign: these cases stay out of every total the other tests read. */
    static final String CAMPAIGN = "webhook-campaign";

    /** A request the receiver got: its path, headers of interest, body and when (System.nanoTime()). */
    record Received(String path, String signature, String eventId, String eventType, String contentType, String body,
                    long nanos) {
        Map<?, ?> json() {
            return Events.fromJson(body, Map.class);
        }
    }

    static HttpServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();
    /** What each path answers; 200 unless set. */
    static final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            long at = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, exchange.getRequestHeaders().getFirst("W4R-Signature"),
                    exchange.getRequestHeaders().getFirst("W4R-Event-Id"),
                    exchange.getRequestHeaders().getFirst("W4R-Event-Type"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, at));
            int status = answers.computeIfAbsent(path, p -> new AtomicInteger(200)).get();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    /** Every webhook a test registered, so none goes on receiving totals after this class (its receiver stops). */
    static final List<String[]> registered = new CopyOnWriteArrayList<>();

    @AfterEach
    void deleteWebhooks() {
        for (String[] hook : registered) {
            given().auth().oauth2(entityKey(hook[0])).delete("/api/v1/webhooks/" + hook[1]);
        }
        registered.clear();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    record Hook(String id, String secret) {
    }

    static Hook register(String entity, String path, String... events) {
        return registerUrl(entity, url(path), events);
    }

    /** As {@link #register}, for a receiver other than this class's. */
    static Hook registerUrl(String entity, String url, String... events) {
        var response = given().auth().oauth2(entityKey(entity)).contentType(ContentType.JSON)
                .body(Map.of("url", url, "events", List.of(events)))
                .post("/api/v1/webhooks").then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("url", equalTo(url))
                .body("secret", startsWith("whsec_"))
                .extract();
        registered.add(new String[]{entity, response.path("id")});
        return new Hook(response.path("id"), response.path("secret"));
    }

    static String path() {
        return "/hook-" + UUID.randomUUID();
    }

    static String caseId() {
        return "webhook-case-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static CaseChanged caseChange(String caseId, String scope, String localEntity, String status, CaseChanged.Hold hold) {
        return new CaseChanged(UUID.randomUUID(), caseId, CAMPAIGN, "Name of " + caseId, "MT", "Authorities", scope,
                localEntity, 1000L, status, true, hold, ReferenceFixtures.version(), Instant.now());
    }

    /** A global case of this class's campaign with a goal, held or not (the milestone tests). */
    static CaseChanged goalCase(String caseId, long goal, CaseChanged.Hold hold) {
        return new CaseChanged(UUID.randomUUID(), caseId, CAMPAIGN, "Name", "MT", "Authorities", "global", null, goal,
                "active", true, hold, ReferenceFixtures.version(), Instant.now());
    }

    static List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    static List<Received> about(String path, String caseId) {
        return at(path).stream().filter(r -> caseId.equals(r.json().get("caseId"))).toList();
    }

    /** Verifies the signature as docs/entity-developers.md tells an entity to. */
    static void assertSigned(Received r, String secret) throws Exception {
        Map<String, String> parts = new java.util.HashMap<>();
        for (String part : r.signature().split(",")) {
            String[] kv = part.split("=", 2);
            parts.put(kv[0], kv[1]);
        }
        long t = Long.parseLong(parts.get("t"));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - t) < 300, "a fresh timestamp: " + t);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, parts.get("v1"), "the signature of " + r.body());
        assertEquals("application/json", r.contentType());
        assertEquals(r.eventId(), r.json().get("eventId"), "W4R-Event-Id is the body's eventId");
        assertEquals(r.eventType(), r.json().get("type"));
    }

    @Test
    void registrationShowsTheSecretOnceAndAnEntityReachesOnlyItsOwn() {
        String path = path();
        Hook hook = register("ai-france", path, "case.held", "case.held", "totals.entity");
        // listed without its secret, events as a set
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/webhooks").then().statusCode(200)
                .body("find { it.id == '" + hook.id() + "' }.url", equalTo(url(path)))
                .body("find { it.id == '" + hook.id() + "' }.events", equalTo(List.of("case.held", "totals.entity")))
                .body("find { it.id == '" + hook.id() + "' }.secret", nullValue());
        // another entity neither sees, reads the deliveries of, nor deletes it
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/webhooks").then().statusCode(200)
                .body("id", not(hasItem(hook.id())));
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/webhooks/" + hook.id() + "/deliveries").then()
                .statusCode(404);
        given().auth().oauth2(entityKey("ai-malta")).delete("/api/v1/webhooks/" + hook.id()).then().statusCode(404);
        given().auth().oauth2(entityKey("ai-malta")).post("/api/v1/webhooks/" + hook.id() + "/deliveries/"
                + UUID.randomUUID() + "/replay").then().statusCode(404);
        // staff are not entities; nobody without a credential
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/webhooks").then().statusCode(403);
        given().auth().oauth2(staffToken("case-manager")).contentType(ContentType.JSON)
                .body(Map.of("url", url(path), "events", List.of("case.held"))).post("/api/v1/webhooks").then()
                .statusCode(403);
        given().get("/api/v1/webhooks").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("url", url(path), "events", List.of("case.held")))
                .post("/api/v1/webhooks").then().statusCode(401);
        // its owner deletes it, once
        given().auth().oauth2(entityKey("ai-france")).delete("/api/v1/webhooks/" + hook.id()).then().statusCode(204);
        given().auth().oauth2(entityKey("ai-france")).delete("/api/v1/webhooks/" + hook.id()).then().statusCode(404);
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/webhooks").then().statusCode(200)
                .body("id", not(hasItem(hook.id())));
        // the registration and the deletion are in the audit trail, with the receiver's host, never its path or secret
        var trail = given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?subjectId=" + hook.id());
        trail.then().statusCode(200)
                .body("entries.action", equalTo(List.of("webhook.deleted", "webhook.registered")))
                .body("entries.entityId", everyItem(equalTo("ai-france")))
                .body("entries.actorEntity", everyItem(equalTo("ai-france")))
                .body("entries[1].detail.host", equalTo(URI.create(url(path)).getHost()))
                .body("entries[1].detail.events", equalTo(List.of("case.held", "totals.entity")));
        assertFalse(trail.asString().contains(path), "the receiver's path is not kept");
        assertFalse(trail.asString().contains(hook.secret()), "nor its secret");
    }

    /**
     * A coordinator finds and deletes a webhook a leaked key of another entity registered: listed without its secret,
     * deleted once, gone from the entity's own list, its pending delivery given up, nothing more sent to it (the
     * entity's totals every 2 s, a hold), and the deletion in the audit trail with the coordinator as actor. No staff
     * role could until the fourth round of audits (docs/reliability.md): the receiver kept getting the entity's totals
     * until the entity itself deleted it.
     */
    @Test
    void aCoordinatorListsAndDeletesAnEntitysWebhookAndNothingMoreIsSentToIt() throws Exception {
        String leaked = path(), kept = path();
        Hook hook = register("ai-malta", leaked, "case.held", "totals.entity");
        Hook marker = register("ai-malta", kept, "case.held", "totals.entity");
        // the coordinator lists the entity's webhooks: the receiver's host, events and when, never a path or a secret
        var listed = given().auth().oauth2(staffToken("coordinator")).get("/api/v1/entities/ai-malta/webhooks");
        listed.then().statusCode(200)
                .body("id", hasItem(hook.id()))
                .body("find { it.id == '" + hook.id() + "' }.host", equalTo(URI.create(url(leaked)).getHost()))
                .body("find { it.id == '" + hook.id() + "' }.url", nullValue())
                .body("find { it.id == '" + hook.id() + "' }.events", equalTo(List.of("case.held", "totals.entity")))
                .body("find { it.id == '" + hook.id() + "' }.createdAt", not(nullValue()))
                .body("find { it.id == '" + hook.id() + "' }.secret", nullValue());
        assertFalse(listed.asString().contains(hook.secret()) || listed.asString().contains(marker.secret())
                || listed.asString().contains(leaked), "no secret, no path in " + listed.asString());
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/entities/ai-france/webhooks").then()
                .statusCode(200).body("id", not(hasItem(hook.id())));
        // it is live: the entity's totals reach it (the test profile's period is 2 s)
        await().atMost(Duration.ofSeconds(30)).until(() -> !at(leaked).isEmpty());
        // a delivery waiting for its next attempt, as one in backoff after a failure would
        UUID waiting = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); var insert = c.prepareStatement("""
                insert into webhook_delivery (id, webhook_id, event_id, event_type, body, state, attempts, next_attempt_at)
                values (?, ?, ?, 'case.held', '{}', 'pending', 1, now() + interval '1 hour')""")) {
            insert.setObject(1, waiting);
            insert.setObject(2, UUID.fromString(hook.id()));
            insert.setObject(3, UUID.randomUUID());
            insert.executeUpdate();
        }

        // another entity's path, or an id the entity does not have, is a 404 and deletes nothing
        given().auth().oauth2(staffToken("coordinator")).delete("/api/v1/entities/ai-france/webhooks/" + hook.id())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(staffToken("coordinator")).delete("/api/v1/entities/ai-malta/webhooks/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/webhooks").then().statusCode(200)
                .body("id", hasItem(hook.id()));

        given().auth().oauth2(staffToken("coordinator")).delete("/api/v1/entities/ai-malta/webhooks/" + hook.id())
                .then().statusCode(204);
        Instant deleted = Instant.now();
        given().auth().oauth2(staffToken("coordinator")).delete("/api/v1/entities/ai-malta/webhooks/" + hook.id())
                .then().statusCode(404).contentType("application/problem+json");
        // gone for the entity as for the coordinator; the other webhook stays
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/webhooks").then().statusCode(200)
                .body("id", not(hasItem(hook.id()))).body("id", hasItem(marker.id()));
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/entities/ai-malta/webhooks").then()
                .statusCode(200).body("id", not(hasItem(hook.id()))).body("id", hasItem(marker.id()));
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/webhooks/" + hook.id() + "/deliveries").then()
                .statusCode(404);
        try (Connection c = dataSource.getConnection(); var select = c.prepareStatement(
                "select state, last_error from webhook_delivery where id = ?")) {
            select.setObject(1, waiting);
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("dead", rs.getString(1), "its pending delivery is given up");
                assertEquals("webhook deleted", rs.getString(2));
            }
        }

        // nothing more is sent to it: not a hold, not the totals of a period begun after the deletion (one claimed or
        // queued just before may still arrive), while the entity's other webhook gets both
        String caseId = caseId();
        CaseChanged held = caseChange(caseId, "global", null, "active", new CaseChanged.Hold(9, Instant.now()));
        TallyFixtures.publish(Topics.CASES, List.of(held));
        await().atMost(Duration.ofSeconds(60)).until(() -> about(kept, caseId).size() == 1 && at(kept).stream()
                .anyMatch(r -> "totals.entity".equals(r.eventType())
                        && Instant.parse((String) r.json().get("occurredAt")).isAfter(deleted)));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10)).until(() -> about(leaked, caseId).isEmpty()
                && at(leaked).stream().noneMatch(r -> Instant.parse((String) r.json().get("occurredAt")).isAfter(deleted)));

        // audited as the entity's own delete, with the coordinator as actor; no path, no secret
        var trail = given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?subjectId=" + hook.id());
        trail.then().statusCode(200)
                .body("entries.action", equalTo(List.of("webhook.deleted", "webhook.registered")))
                .body("entries.entityId", everyItem(equalTo("ai-malta")))
                .body("entries[0].actor", equalTo("test-coordinator"))
                .body("entries[0].actorRole", equalTo("coordinator"))
                .body("entries[0].actorEntity", nullValue())
                .body("entries[1].actorEntity", equalTo("ai-malta"));
        assertFalse(trail.asString().contains(leaked), "the receiver's path is not kept");
        assertFalse(trail.asString().contains(hook.secret()), "nor its secret");
    }

    /** Coordinators only: entity keys (its own entity's path too) and the other staff roles 403, nobody 401. */
    @Test
    void onlyACoordinatorReachesAnEntitysWebhooks() {
        Hook hook = register("ai-malta", path(), "case.closed");
        String list = "/api/v1/entities/ai-malta/webhooks", one = list + "/" + hook.id();
        for (String token : List.of(entityKey("ai-malta"), entityKey("ai-france"), staffToken("case-manager"),
                staffToken("delivery"), staffToken("moderator"))) {
            given().auth().oauth2(token).get(list).then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).delete(one).then().statusCode(403).contentType("application/problem+json");
        }
        given().get(list).then().statusCode(401).contentType("application/problem+json");
        given().delete(one).then().statusCode(401).contentType("application/problem+json");
        // none of them deleted it
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/webhooks").then().statusCode(200)
                .body("id", hasItem(hook.id()));
        // an entity with none: an empty list; one the platform does not know: 404; not an id: 400
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/entities/international-members/webhooks").then()
                .statusCode(200).body("size()", equalTo(0));
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/entities/no-such-entity/webhooks").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(staffToken("coordinator")).delete("/api/v1/entities/no-such-entity/webhooks/"
                + hook.id()).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/entities/AI_Malta/webhooks").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @jakarta.inject.Inject
    ReferenceData reference;

    @jakarta.inject.Inject
    Milestones milestones;

    static ActionRecorded action(String caseId, long count) {
        Instant now = Instant.now();
        return new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), CAMPAIGN, caseId, "ai-malta",
                ActionType.SIGNATURE, Mode.ONLINE, count, now, now);
    }

    /** The percentages told about a case, in ascending order: webhooks may arrive in any order. */
    List<Object> percents(String path, String caseId) {
        return about(path, caseId).stream().map(r -> (Integer) r.json().get("percent")).sorted().<Object>map(p -> p)
                .toList();
    }

    @Test
    void eachMilestoneOfACaseIsToldOnceAndOneReachedWhileHeldWhenTheHoldIsLifted() throws Exception {
        String path = path(), holds = path();
        Hook hook = register("ai-france", path, "milestone.reached");
        register("ai-france", holds, "case.held");
        String caseId = caseId();
        // a goal of 8: 25 % is 2, 50 % is 4, 75 % is 6, 100 % is 8
        CaseChanged open = goalCase(caseId, 8, null);
        TallyFixtures.publish(Topics.CASES, List.of(open));
        await().until(() -> reference.findCase(caseId).isPresent());

        TallyFixtures.publishActions(List.of(action(caseId, 1), action(caseId, 2), action(caseId, 2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> percents(path, caseId).size() >= 2);
        // a dip under 50 % and back over it tells nothing again; 75 % is new
        ActionRecorded taken = action(caseId, 1);
        TallyFixtures.publishActions(List.of(new ActionCorrected(UUID.randomUUID(), taken.actionId(), CAMPAIGN, caseId,
                "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, -3, taken.occurredAt(), taken.recordedAt())));
        TallyFixtures.publishActions(List.of(action(caseId, 3), action(caseId, 1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> percents(path, caseId).size() >= 3);
        for (Received r : about(path, caseId)) {
            assertSigned(r, hook.secret());
            assertEquals("milestone.reached", r.eventType());
            assertEquals(8, r.json().get("goal"));
        }

        // reached while the case is on safety hold: recorded, not told until the hold is lifted
        CaseChanged held = goalCase(caseId, 8, new CaseChanged.Hold(3, Instant.now()));
        TallyFixtures.publish(Topics.CASES, List.of(held));
        // from the moment its sites are told it is held, nothing is told of its milestones
        await().atMost(Duration.ofSeconds(30)).until(() -> !about(holds, caseId).isEmpty());
        TallyFixtures.publishActions(List.of(action(caseId, 2)));
        TallyFixtures.publishCampaign(CAMPAIGN, Instant.now().minus(Duration.ofDays(1)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(staffToken("coordinator"))
                .get("/api/v1/dashboard/milestones?campaign=" + CAMPAIGN).then().statusCode(200)
                .body("findAll { it.caseId == '" + caseId + "' }.percent", equalTo(List.of(100, 75, 50, 25))));
        milestones.sweep(CAMPAIGN); // the sweep, which tells what a release overtook, tells nothing of a held case
        // nothing of 100 % while held, for longer than the dispatcher's 1 s poll: one queued by mistake would arrive
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> percents(path, caseId).equals(List.of(25, 50, 75)));

        CaseChanged released = goalCase(caseId, 8, null);
        TallyFixtures.publish(Topics.CASES, List.of(released));
        await().atMost(Duration.ofSeconds(30)).until(() -> percents(path, caseId).size() >= 4);
        TallyFixtures.publishActions(List.of(action(caseId, 5)));
        // each milestone once, in order: the actions past the goal tell nothing more
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> percents(path, caseId).equals(List.of(25, 50, 75, 100)));
        assertEquals(4, about(path, caseId).stream().map(Received::eventId).distinct().count());
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/dashboard/milestones?campaign=" + CAMPAIGN)
                .then().body("find { it.caseId == '" + caseId + "' && it.percent == 75 }.threshold", equalTo(6));
    }

    /**
     * The webhook consumer's state of a case can lag behind the read model that already hides it from the public: a
     * rebalance after an instance died stops that consumer for a session timeout while the other instances go on
     * counting, and a failing batch stops it for its retries. A milestone crossed then is not told while either copy
     * holds the hold (a read-only review, 6 December 2026: it was told to every subscribed site). The lag is made by
     * giving the consumer's state a version no event reaches, so it passes over the hold and the release alike; the
     * release is then told by the sweep, once the read model has it.
     */
    @Test
    void aMilestoneIsNotToldWhileTheReadModelHoldsTheCaseThoughTheWebhookStateLags() {
        String path = path();
        register("ai-france", path, "milestone.reached");
        String caseId = caseId();
        TallyFixtures.publish(Topics.CASES, List.of(goalCase(caseId, 4, null)));
        await().until(() -> reference.findCase(caseId).isPresent());
        webhookRows.saveCaseState(caseId, new WebhookRepository.CaseState(Long.MAX_VALUE, null, "active"));
        TallyFixtures.publish(Topics.CASES, List.of(goalCase(caseId, 4, new CaseChanged.Hold(7, Instant.now()))));
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.heldCaseIds().contains(caseId));

        TallyFixtures.publishActions(List.of(action(caseId, 1))); // 25 % of 4
        await().atMost(Duration.ofSeconds(30)).until(() -> milestones.list(CAMPAIGN, 1000).stream()
                .anyMatch(m -> m.caseId().equals(caseId) && m.percent() == 25));
        assertFalse(milestones.list(CAMPAIGN, 1000).stream().filter(m -> m.caseId().equals(caseId)).findFirst()
                .orElseThrow().announced(), "recorded as held");
        milestones.sweep(CAMPAIGN); // nor does the sweep tell it
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10)).until(() -> about(path, caseId).isEmpty());

        TallyFixtures.publish(Topics.CASES, List.of(goalCase(caseId, 4, null)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !reference.heldCaseIds().contains(caseId));
        milestones.sweep(CAMPAIGN);
        await().atMost(Duration.ofSeconds(30)).until(() -> percents(path, caseId).equals(List.of(25)));
    }

    /** A dead delivery and how many attempts its receiver saw. */
    record Dead(String deliveryId, int attempts) {
    }

    /**
     * 25 % of a goal of 4, reached and queued while the case is open and the receiver at {@code path} answers 500: the
     * delivery ends dead.
     */
    Dead deadMilestone(Hook hook, String path, String caseId) {
        TallyFixtures.publish(Topics.CASES, List.of(goalCase(caseId, 4, null)));
        await().until(() -> reference.findCase(caseId).isPresent());
        TallyFixtures.publishActions(List.of(action(caseId, 1)));
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(hook).stream()
                .anyMatch(d -> "dead".equals(d.get("state"))));
        return new Dead((String) deliveries(hook).get(0).get("id"), about(path, caseId).size());
    }

    /** As the test above, for a milestone queued before the hold: not sent while the read model holds its case. */
    @Test
    void aQueuedMilestoneWaitsWhileTheReadModelHoldsTheCaseThoughTheWebhookStateLags() {
        String path = path();
        answers.put(path, new AtomicInteger(500));
        Hook hook = register("ai-france", path, "milestone.reached");
        String caseId = caseId();
        Dead dead = deadMilestone(hook, path, caseId);
        String deliveryId = dead.deliveryId();
        int attempts = dead.attempts();

        webhookRows.saveCaseState(caseId, new WebhookRepository.CaseState(Long.MAX_VALUE, null, "active"));
        TallyFixtures.publish(Topics.CASES, List.of(goalCase(caseId, 4, new CaseChanged.Hold(8, Instant.now()))));
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.heldCaseIds().contains(caseId));
        answers.get(path).set(204);
        given().auth().oauth2(entityKey("ai-france")).post("/api/v1/webhooks/" + hook.id() + "/deliveries/" + deliveryId
                + "/replay").then().statusCode(202);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> about(path, caseId).size() == attempts);

        TallyFixtures.publish(Topics.CASES, List.of(goalCase(caseId, 4, null)));
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(hook).stream()
                .anyMatch(d -> deliveryId.equals(d.get("id")) && "delivered".equals(d.get("state"))));
    }

    /**
     * A milestone queued before a hold is not sent during it: not on a retry, not on a replay. It was checked only when
     * queued until 4 December 2026, so a receiver that was down when it was reached got it in the middle of the hold.
     */
    @Test
    void aMilestoneQueuedBeforeAHoldWaitsForTheRelease() {
        String path = path(), holds = path();
        answers.put(path, new AtomicInteger(500));
        Hook hook = register("ai-france", path, "milestone.reached");
        register("ai-france", holds, "case.held");
        String caseId = caseId();
        Dead dead = deadMilestone(hook, path, caseId);
        String deliveryId = dead.deliveryId();
        int attempts = dead.attempts();

        CaseChanged held = goalCase(caseId, 4, new CaseChanged.Hold(5, Instant.now()));
        TallyFixtures.publish(Topics.CASES, List.of(held));
        await().atMost(Duration.ofSeconds(30)).until(() -> !about(holds, caseId).isEmpty());
        // the receiver is mended and the entity replays the milestone during the hold: accepted, not sent
        answers.get(path).set(204);
        given().auth().oauth2(entityKey("ai-france")).post("/api/v1/webhooks/" + hook.id() + "/deliveries/" + deliveryId
                + "/replay").then().statusCode(202);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> about(path, caseId).size() == attempts && deliveries(hook).stream()
                        .allMatch(d -> "pending".equals(d.get("state"))));

        CaseChanged released = goalCase(caseId, 4, null);
        TallyFixtures.publish(Topics.CASES, List.of(released));
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(hook).stream()
                .anyMatch(d -> deliveryId.equals(d.get("id")) && "delivered".equals(d.get("state"))));
        assertEquals(attempts + 1, about(path, caseId).size());
        assertEquals(List.of(25), percents(path, caseId).stream().distinct().toList());
    }

    /** A case with milestones of its own (case-service's {@code milestones}) reaches those, not the default ones. */
    @Test
    void aCaseWithItsOwnMilestonesReachesThoseAndNoOthers() {
        String caseId = "own-milestones-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(CAMPAIGN, Instant.now().minus(Duration.ofDays(1)));
        TallyFixtures.publish(Topics.CASES, List.of(new CaseChanged(UUID.randomUUID(), caseId, CAMPAIGN, "Name", "MT",
                "Authorities", "global", null, 40L, "active", true, null, ReferenceFixtures.version(), Instant.now(),
                List.of(10, 60, 150))));
        await().until(() -> reference.findCase(caseId).map(c -> c.milestones() != null).orElse(false));
        // 30 of 40: past its 10 % (4) and 60 % (24), and past the default 25, 50 and 75 %, which are not its own
        TallyFixtures.publishActions(List.of(action(caseId, 30)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(staffToken("coordinator"))
                .get("/api/v1/dashboard/milestones?campaign=" + CAMPAIGN).then().statusCode(200)
                .body("findAll { it.caseId == '" + caseId + "' }.percent", equalTo(List.of(60, 10))));
        // past the goal to 65: its 150 % (60) is reached; the default 75 and 100 % never were its milestones
        TallyFixtures.publishActions(List.of(action(caseId, 15)));
        TallyFixtures.publishActions(List.of(action(caseId, 20)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(staffToken("coordinator"))
                .get("/api/v1/dashboard/milestones?campaign=" + CAMPAIGN).then()
                .body("findAll { it.caseId == '" + caseId + "' }.percent", equalTo(List.of(150, 60, 10)))
                .body("find { it.caseId == '" + caseId + "' && it.percent == 150 }.threshold", equalTo(60)));
    }

    /**
     * A goal lowered after a milestone: each percentage is told once, whatever its new threshold. Keyed by threshold
     * (until 6 December 2026), goal 8 to 4 at a total of 3 told "25 %" again (its new threshold, 1, was new) and never
     * "50 %" (its new threshold, 2, was the old 25 %'s): [25, 25, 75] (read-only review).
     */
    @Test
    void aGoalLoweredTellsEachPercentageOnceWhateverItsNewThreshold() {
        String path = path();
        register("ai-france", path, "milestone.reached");
        String caseId = caseId();
        TallyFixtures.publishCampaign(CAMPAIGN, Instant.now().minus(Duration.ofDays(1)));
        TallyFixtures.publish(Topics.CASES, List.of(goalCase(caseId, 8, null)));
        await().until(() -> reference.findCase(caseId).isPresent());
        TallyFixtures.publishActions(List.of(action(caseId, 3))); // 25 % of 8 is 2
        await().atMost(Duration.ofSeconds(30)).until(() -> percents(path, caseId).equals(List.of(25)));

        TallyFixtures.publish(Topics.CASES, List.of(goalCase(caseId, 4, null))); // 3 of 4: 25, 50 and 75 %
        await().until(() -> reference.findCase(caseId).map(CaseChanged::goal).orElse(0L) == 4L);
        milestones.sweep(CAMPAIGN); // a goal changes without an action: the sweep finds what it reached
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> percents(path, caseId).equals(List.of(25, 50, 75)));
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "w4r.webhooks.max-per-entity")
    int maxPerEntity;

    @jakarta.inject.Inject
    AgroalDataSource dataSource;

    /**
     * More registrations of one entity than it has free places, sent at once (a latch releases them together): exactly
     * the free places are registered and every other is the cap's 409. The cap was counted, then inserted, without a
     * lock, so registrations that counted before any of them inserted all counted the same free places and together
     * passed it (found by a read-only audit, 4 December 2026).
     *
     * <p>The race is made certain, not left to the scheduler: this test holds a SHARE lock on {@code webhook}, which lets
     * a count through but holds up every insert, until each registration waits on a lock (the insert, or the entity's
     * turn), then releases it. Without the per-entity turn every registration has counted by then.
     */
    @Test
    void concurrentRegistrationsOfOneEntityStayWithinItsCap() throws Exception {
        String entity = "ai-malta";
        int free = maxPerEntity - given().auth().oauth2(entityKey(entity)).get("/api/v1/webhooks").then().statusCode(200)
                .extract().jsonPath().getList("id").size();
        // more than the free places; fewer than the pool's 20 connections, each one waiting holds one
        int attempts = free + 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        List<Future<io.restassured.response.Response>> replies = new ArrayList<>();
        try (Connection inserts = dataSource.getConnection(); Statement hold = inserts.createStatement()) {
            inserts.setAutoCommit(false);
            hold.execute("lock table webhook in share mode");
            try {
                for (int i = 0; i < attempts; i++) {
                    String path = path();
                    replies.add(pool.submit(() -> {
                        start.await();
                        return given().auth().oauth2(entityKey(entity)).contentType(ContentType.JSON)
                                .body(Map.of("url", url(path), "events", List.of("case.closed"))).post("/api/v1/webhooks");
                    }));
                }
                start.countDown();
                await().atMost(Duration.ofSeconds(60)).until(() -> waitingRegistrations() == attempts);
            } finally {
                inserts.rollback();
                inserts.setAutoCommit(true);
            }
            int created = 0;
            for (Future<io.restassured.response.Response> reply : replies) {
                io.restassured.response.Response r = reply.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 201) {
                    registered.add(new String[]{entity, r.path("id")});
                    created++;
                } else {
                    r.then().statusCode(409).contentType("application/problem+json")
                            .body("type", endsWith("/too-many-webhooks"));
                }
            }
            assertEquals(free, created, "registered: exactly the free places");
        } finally {
            pool.shutdownNow();
        }
        given().auth().oauth2(entityKey(entity)).get("/api/v1/webhooks").then().statusCode(200)
                .body("size()", equalTo(maxPerEntity));
    }

    @jakarta.inject.Inject
    WebhookRepository webhookRows;

    @jakarta.inject.Inject
    WebhookSettings webhookSettings;

    @jakarta.inject.Inject
    jakarta.transaction.UserTransaction transaction;

    /**
     * A claim takes at most {@code w4r.webhooks.batch-per-entity} of one entity's due deliveries, however many it has
     * and however long they have waited, so another entity's are in the same claim. Claimed by age alone, 60 deliveries
     * of one entity to slow receivers filled the whole claim of 50, and the next (review, 4 December 2026).
     *
     * <p>The rows are written and claimed in one transaction that is rolled back: the running dispatcher never sees
     * them, so the claim is this test's alone, and nothing is left behind.
     */
    @Test
    void aClaimTakesAtMostItsShareOfOneEntitysDeliveries() throws Exception {
        UUID heavy = UUID.randomUUID(), light = UUID.randomUUID();
        int perEntity = webhookSettings.batchPerEntity();
        List<WebhookRepository.Due> claimed;
        List<WebhookRepository.Due> claimedWhileFlying;
        transaction.begin();
        try {
            try (Connection c = dataSource.getConnection();
                 java.sql.PreparedStatement hook = c.prepareStatement("insert into webhook (id, entity_id, url, events, "
                         + "secret) values (?, ?, 'https://receiver.example.org/hook', '{case.held}', 'whsec_test')");
                 java.sql.PreparedStatement due = c.prepareStatement("insert into webhook_delivery (id, webhook_id, "
                         + "event_id, event_type, body, state, next_attempt_at) select gen_random_uuid(), ?, "
                         + "gen_random_uuid(), 'case.held', '{}', 'pending', now() - make_interval(days => ?) + "
                         + "make_interval(secs => g) from generate_series(1, ?) g")) {
                // the heavy entity's 60 have waited a month, longer than anything else due; the light one's 5 a day
                for (Object[] row : new Object[][]{{heavy, "claim-heavy-" + heavy, 30, 60}, {light, "claim-light-" + light, 1, 5}}) {
                    hook.setObject(1, row[0]);
                    hook.setString(2, (String) row[1]);
                    hook.executeUpdate();
                    due.setObject(1, row[0]);
                    due.setInt(2, (Integer) row[2]);
                    due.setInt(3, (Integer) row[3]);
                    due.executeUpdate();
                }
            }
            claimed = webhookRows.claimDue(50, perEntity, Duration.ofMinutes(1), Set.of(), Map.of());
            // its attempts still going count against its share (a review of 6 December 2026: the share was checked
            // per claim only, so an entity with nine attempts stalled got ten more)
            claimedWhileFlying = webhookRows.claimDue(50, perEntity, Duration.ofMinutes(1), Set.of(),
                    Map.of("claim-heavy-" + heavy, perEntity - 3));
        } finally {
            transaction.rollback();
        }
        assertEquals(perEntity, claimed.stream().filter(d -> d.webhookId().equals(heavy)).count(),
                "the heavy entity's share, no more");
        assertEquals(5, claimed.stream().filter(d -> d.webhookId().equals(light)).count(), "all of the light entity's");
        assertEquals(3, claimedWhileFlying.stream().filter(d -> d.webhookId().equals(heavy)).count(),
                "what is left of its share with " + (perEntity - 3) + " in flight");
    }

    /** Sessions of this database waiting on a lock in a statement about webhooks: the registrations held up. */
    private int waitingRegistrations() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where datname = current_database()"
                     + " and pid <> pg_backend_pid() and wait_event_type = 'Lock' and query ilike '%webhook%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aBadRegistrationIsA400() {
        for (String bad : List.of("ftp://example.org/hook", "https://user:pw@example.org/hook", "not a url",
                "https://example.org/hook#fragment", "https:///no-host")) {
            given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                    .body(Map.of("url", bad, "events", List.of("case.held"))).post("/api/v1/webhooks").then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo("url"));
        }
        for (List<String> events : List.of(List.<String>of(), List.of("milestone.Reached"), List.of("case.HELD"))) {
            given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                    .body(Map.of("url", url(path()), "events", events)).post("/api/v1/webhooks").then()
                    .statusCode(400).contentType("application/problem+json");
        }
        // every type there is, in one webhook (the bound said five of the six until 6 December 2026)
        register("ai-france", path(), "case.held", "case.released", "case.closed", "case.changed", "totals.entity",
                "milestone.reached");
    }

    @Test
    void aHoldReachesEveryRegisteredSiteSignedAndItsLatencyIsLogged() throws Exception {
        String france = path(), malta = path();
        Hook franceHook = register("ai-france", france, "case.held", "case.released", "case.changed", "case.closed");
        Hook maltaHook = register("ai-malta", malta, "case.held", "case.released");
        String caseId = caseId();
        // the case as it is before its hold; its case.changed shows the consumer is running (so the latencies below
        // are of a running platform, not of a consumer group's first assignment)
        TallyFixtures.publish(Topics.CASES, List.of(caseChange(caseId, "global", null, "active", null)));
        await().atMost(Duration.ofSeconds(60)).until(() -> about(france, caseId).size() == 1);
        assertEquals("case.changed", about(france, caseId).get(0).eventType());
        assertTrue(about(malta, caseId).isEmpty(), "malta did not subscribe to case.changed");

        List<Long> heldMs = new ArrayList<>(), releasedMs = new ArrayList<>();
        // one producer, connected before the clock starts: what is measured is the platform, not a client's start
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                TallyFixtures.kafka(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
            producer.partitionsFor(Topics.CASES);
            for (int round = 1; round <= 5; round++) {
                for (boolean hold : new boolean[]{true, false}) {
                    int before = about(malta, caseId).size();
                    CaseChanged change = caseChange(caseId, "global", null, "active",
                            hold ? new CaseChanged.Hold(round, Instant.now()) : null);
                    long published = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.CASES, caseId, Events.toJson(change))).get();
                    await().atMost(Duration.ofSeconds(30)).until(() -> about(malta, caseId).size() == before + 1
                            && about(france, caseId).size() == before + 2);
                    for (String path : List.of(france, malta)) {
                        Received r = about(path, caseId).get(about(path, caseId).size() - 1);
                        assertEquals(hold ? "case.held" : "case.released", r.eventType());
                        assertEquals(change.eventId().toString(), r.eventId());
                        assertSigned(r, path.equals(france) ? franceHook.secret() : maltaHook.secret());
                        // ids only: nothing of the hold but that there is one
                        assertEquals(java.util.Set.of("eventId", "type", "occurredAt", "caseId", "campaignId", "version"),
                                r.json().keySet());
                        (hold ? heldMs : releasedMs).add((r.nanos() - published) / 1_000_000);
                    }
                }
            }
        }
        heldMs.sort(null);
        releasedMs.sort(null);
        // measured, not asserted (the issue asks for under 5 s; a timed assertion would fail on a loaded machine)
        LOG.infof("webhook latency, published to cases -> received by the site: case.held %s ms (median %d, max %d); "
                        + "case.released %s ms (median %d, max %d)", heldMs, heldMs.get(heldMs.size() / 2),
                heldMs.get(heldMs.size() - 1), releasedMs, releasedMs.get(releasedMs.size() / 2),
                releasedMs.get(releasedMs.size() - 1));

        // closing the case: case.closed, to the site that subscribed to it only
        int maltaBefore = about(malta, caseId).size();
        CaseChanged closed = caseChange(caseId, "global", null, "closed", null);
        TallyFixtures.publish(Topics.CASES, List.of(closed));
        await().atMost(Duration.ofSeconds(30)).until(() -> about(france, caseId).stream()
                .anyMatch(r -> r.eventId().equals(closed.eventId().toString())));
        assertEquals("case.closed", about(france, caseId).get(about(france, caseId).size() - 1).eventType());
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/webhooks/" + maltaHook.id() + "/deliveries")
                .then().statusCode(200).body("eventId", not(hasItem(closed.eventId().toString())));
        assertEquals(maltaBefore, about(malta, caseId).size());
    }

    /**
     * Entities hear nothing of a case still being prepared (its id is a slug of a person's name): not its creation,
     * not a hold on it, not its closing unseen; and no milestone of a case whose counter is off (a share of its total
     * across entities). Each went to every entity's webhooks until a read-only audit, 4 December 2026.
     */
    @Test
    void entitiesHearNothingOfADraftNorAMilestoneOfACaseWhoseCounterIsOff() {
        String path = path();
        Hook hook = register("ai-france", path, "case.changed", "case.held", "case.closed", "milestone.reached");
        String draft = caseId(), droppedDraft = caseId(), counterOff = caseId(), marker = caseId();
        TallyFixtures.publishCampaign(CAMPAIGN, Instant.now().minus(Duration.ofDays(1)));
        List<CaseChanged> unseen = List.of(caseChange(draft, "global", null, "draft", null),
                caseChange(draft, "global", null, "draft", new CaseChanged.Hold(11, Instant.now())),
                caseChange(droppedDraft, "global", null, "draft", null),
                caseChange(droppedDraft, "global", null, "closed", null));
        TallyFixtures.publish(Topics.CASES, unseen);
        CaseChanged off = new CaseChanged(UUID.randomUUID(), counterOff, CAMPAIGN, "Name", "MT", "Authorities", "global",
                null, 4L, "active", false, null, ReferenceFixtures.version(), Instant.now());
        TallyFixtures.publish(Topics.CASES, List.of(off));
        // the case events are consumed in order on one partition: once the marker's change is here, the others were read
        CaseChanged markerChange = caseChange(marker, "global", null, "active", null);
        TallyFixtures.publish(Topics.CASES, List.of(markerChange));
        await().atMost(Duration.ofSeconds(60)).until(() -> about(path, marker).size() == 1);
        await().until(() -> reference.findCase(counterOff).isPresent());

        // 25 % of 4 is reached; a milestone is recorded and queued in one transaction, so once the dashboard lists it,
        // a delivery queued for it would be listed too
        TallyFixtures.publishActions(List.of(action(counterOff, 2)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(staffToken("coordinator"))
                .get("/api/v1/dashboard/milestones?campaign=" + CAMPAIGN).then().statusCode(200)
                .body("findAll { it.caseId == '" + counterOff + "' }.percent", hasItem(50)));

        // told: the active cases' changes (a counter switched off hides figures, not the case), nothing else
        assertEquals(java.util.Set.of(off.eventId().toString(), markerChange.eventId().toString()),
                deliveries(hook).stream().map(d -> (String) d.get("eventId")).collect(java.util.stream.Collectors.toSet()),
                deliveries(hook).toString());
        for (String caseId : List.of(draft, droppedDraft)) {
            assertTrue(about(path, caseId).isEmpty(), caseId);
        }
    }

    /** A global case's state at a version of the caller's: several states made in one microsecond share none. */
    static CaseChanged caseAt(String caseId, String status, CaseChanged.Hold hold, long version) {
        return new CaseChanged(UUID.randomUUID(), caseId, CAMPAIGN, "Name of " + caseId, "MT", "Authorities", "global",
                null, 1000L, status, true, hold, version, Instant.now());
    }

    /**
     * A draft held, then activated still held: its sites hear {@code case.held} (once), then {@code case.released} of
     * a hold they heard of. The webhook state kept the draft's hold, so the activation was told as {@code case.changed}
     * and the release as one of a hold no site had heard of (a review, 6 December 2026).
     */
    @Test
    void aDraftActivatedWhileHeldIsToldHeldOnceThenReleased() {
        String path = path();
        Hook hook = register("ai-france", path, "case.held", "case.released");
        String caseId = caseId();
        CaseChanged.Hold hold = new CaseChanged.Hold(11, Instant.now());
        long version = ReferenceFixtures.version();
        CaseChanged activated = caseAt(caseId, "active", hold, version + 2);
        CaseChanged released = caseAt(caseId, "active", null, version + 3);
        TallyFixtures.publish(Topics.CASES, List.of(caseAt(caseId, "draft", null, version),
                caseAt(caseId, "draft", hold, version + 1), activated, released));
        // one partition, in order: once the release is queued, everything before it was
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(hook).stream()
                .anyMatch(d -> released.eventId().toString().equals(d.get("eventId"))));
        assertEquals(List.of("case.released", "case.held"),
                deliveries(hook).stream().map(d -> (String) d.get("eventType")).toList(), deliveries(hook).toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> about(path, caseId).size() == 2);
        assertEquals(List.of(activated.eventId().toString()), about(path, caseId).stream()
                .filter(r -> "case.held".equals(r.eventType())).map(Received::eventId).toList());
    }

    /**
     * A draft dropped (closed without ever being active) stays unheard of whatever happens to it after: a hold placed
     * on it, its release, an edit. The webhook state kept its status "closed", and a later change of a closed case
     * is told, so a hold on it went to every site (the same review).
     */
    @Test
    void aDroppedDraftStaysUnheardOfThroughLaterChanges() {
        String path = path();
        Hook hook = register("ai-france", path, "case.held", "case.released", "case.closed", "case.changed");
        String dropped = caseId(), marker = caseId();
        long version = ReferenceFixtures.version();
        TallyFixtures.publish(Topics.CASES, List.of(caseAt(dropped, "draft", null, version),
                caseAt(dropped, "closed", null, version + 1),
                caseAt(dropped, "closed", new CaseChanged.Hold(12, Instant.now()), version + 2),
                caseAt(dropped, "closed", null, version + 3),
                caseAt(dropped, "closed", null, version + 4)));
        CaseChanged markerChange = caseChange(marker, "global", null, "active", null);
        TallyFixtures.publish(Topics.CASES, List.of(markerChange));
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(hook).stream()
                .anyMatch(d -> markerChange.eventId().toString().equals(d.get("eventId"))));
        // the marker was queued after every change of the dropped draft: had one been queued, it would be listed
        assertEquals(List.of(markerChange.eventId().toString()),
                deliveries(hook).stream().map(d -> (String) d.get("eventId")).toList(), deliveries(hook).toString());
    }

    @Test
    void aLocalCaseConcernsOnlyItsEntity() {
        String france = path(), malta = path();
        Hook franceHook = register("ai-france", france, "case.held");
        register("ai-malta", malta, "case.held");
        String caseId = caseId();
        CaseChanged held = caseChange(caseId, "local", "ai-malta", "active", new CaseChanged.Hold(7, Instant.now()));
        TallyFixtures.publish(Topics.CASES, List.of(held));
        await().atMost(Duration.ofSeconds(60)).until(() -> about(malta, caseId).size() == 1);
        assertEquals("case.held", about(malta, caseId).get(0).eventType());
        // queued in the same transaction as malta's: had france's been queued, it would be listed now
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/webhooks/" + franceHook.id() + "/deliveries")
                .then().statusCode(200).body("eventId", not(hasItem(held.eventId().toString())));
        assertTrue(about(france, caseId).isEmpty());
    }

    @Test
    void aReceiverThatFailsGetsRetriesThenADeadLetterThenTheReplay() throws Exception {
        String path = path();
        answers.put(path, new AtomicInteger(500));
        Hook hook = register("ai-france", path, "case.held", "case.closed");
        double deadBefore = MetricsTest.value(MetricsTest.metrics(), "w4r_webhooks_dead_letters_total{entity=\"ai-france\"}");
        String caseId = caseId();
        CaseChanged held = caseChange(caseId, "global", null, "active", new CaseChanged.Hold(1, Instant.now()));
        TallyFixtures.publish(Topics.CASES, List.of(held));
        // three attempts (the test profile's limit), then dead
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(hook).stream()
                .anyMatch(d -> held.eventId().toString().equals(d.get("eventId")) && "dead".equals(d.get("state"))));
        Map<String, Object> dead = deliveries(hook).stream()
                .filter(d -> held.eventId().toString().equals(d.get("eventId"))).findFirst().orElseThrow();
        assertEquals(3, dead.get("attempts"));
        assertEquals(500, dead.get("lastStatus"));
        assertEquals(3, about(path, caseId).size(), "three attempts, no more");
        for (Received r : about(path, caseId)) {
            assertEquals(held.eventId().toString(), r.eventId(), "every attempt carries the same event id");
            assertSigned(r, hook.secret());
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < 3; i++) {
            gaps.add((about(path, caseId).get(i).nanos() - about(path, caseId).get(i - 1).nanos()) / 1_000_000);
        }
        LOG.infof("webhook retries: gaps between attempts %s ms (backoff 200 ms doubling, test profile)", gaps);
        await().untilAsserted(() -> assertEquals(deadBefore + 1, MetricsTest.value(MetricsTest.metrics(),
                "w4r_webhooks_dead_letters_total{entity=\"ai-france\"}")));

        // the receiver is mended; a replay sends the same event again, once
        answers.get(path).set(204);
        String deliveryId = (String) dead.get("id");
        given().auth().oauth2(entityKey("ai-malta")).post("/api/v1/webhooks/" + hook.id() + "/deliveries/" + deliveryId
                + "/replay").then().statusCode(404);
        given().auth().oauth2(entityKey("ai-france")).post("/api/v1/webhooks/" + hook.id() + "/deliveries/"
                + UUID.randomUUID() + "/replay").then().statusCode(404);
        given().auth().oauth2(entityKey("ai-france")).post("/api/v1/webhooks/" + hook.id() + "/deliveries/" + deliveryId
                + "/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(hook).stream()
                .anyMatch(d -> deliveryId.equals(d.get("id")) && "delivered".equals(d.get("state"))));
        assertEquals(4, about(path, caseId).size());
        Received replayed = about(path, caseId).get(3);
        assertEquals(held.eventId().toString(), replayed.eventId());
        assertSigned(replayed, hook.secret());
        given().auth().oauth2(entityKey("ai-france")).post("/api/v1/webhooks/" + hook.id() + "/deliveries/" + deliveryId
                + "/replay").then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?subjectId=" + hook.id()
                        + "&action=webhook.delivery.replayed").then().statusCode(200)
                .body("entries.detail.deliveryId", equalTo(List.of(deliveryId)));
    }

    /**
     * A receiver that answers 200 and then never finishes its answer, trickling a byte a second or falling silent after
     * the headers, holds up nobody else's webhooks: a hold on another case reaches another entity's site while it
     * trickles. JDK 17's request timeout ends when the response headers arrive, and the dispatcher waited on every
     * exchange of a claim without a bound, so one such receiver stopped its thread for ever, and after the lease the
     * next instance's too: every entity's webhooks, safety holds included (review, 4 December 2026). Each exchange is
     * now ended, headers and body, at {@code w4r.webhooks.timeout} (the test profile's 2 s), and recorded as failed.
     */
    @Test
    void aReceiverThatNeverFinishesItsAnswerHoldsUpNobodyElse() throws Exception {
        ScheduledExecutorService trickling = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger hostileRequests = new AtomicInteger(), abortedByTally = new AtomicInteger();
        HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hostile.createContext("/trickle", exchange -> {
            exchange.getRequestBody().readAllBytes();
            hostileRequests.incrementAndGet();
            exchange.sendResponseHeaders(200, 0); // chunked: a body of unknown length follows
            java.io.OutputStream body = exchange.getResponseBody();
            ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
            task[0] = trickling.scheduleAtFixedRate(() -> {
                try {
                    body.write('.');
                    body.flush();
                } catch (java.io.IOException closed) {
                    abortedByTally.incrementAndGet();
                    task[0].cancel(false);
                }
            }, 0, 1, TimeUnit.SECONDS);
        });
        hostile.createContext("/silent", exchange -> {
            exchange.getRequestBody().readAllBytes();
            hostileRequests.incrementAndGet();
            exchange.sendResponseHeaders(200, 0); // and then nothing, the exchange left open
        });
        hostile.start();
        try {
            String base = "http://127.0.0.1:" + hostile.getAddress().getPort();
            Hook trickle = registerUrl("ai-france", base + "/trickle", "case.held");
            registerUrl("ai-france", base + "/silent", "case.held");
            String malta = path();
            register("ai-malta", malta, "case.held");

            // a first hold: both hostile receivers have it, and answer it for ever
            String first = caseId();
            TallyFixtures.publish(Topics.CASES, List.of(caseChange(first, "global", null, "active",
                    new CaseChanged.Hold(1, Instant.now()))));
            await().atMost(Duration.ofSeconds(60)).until(() -> hostileRequests.get() >= 2);
            // a second hold while they trickle: it reaches the other entity (the bound is generous, not a timing)
            String second = caseId();
            TallyFixtures.publish(Topics.CASES, List.of(caseChange(second, "global", null, "active",
                    new CaseChanged.Hold(2, Instant.now()))));
            await().atMost(Duration.ofSeconds(30)).until(() -> about(malta, second).size() == 1);
            assertEquals("case.held", about(malta, second).get(0).eventType());

            // the endless answer was a failed attempt, and tally ended the exchange rather than leaving it open
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(trickle).stream()
                    .anyMatch(d -> "timeout".equals(d.get("lastError"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> abortedByTally.get() >= 1);
        } finally {
            trickling.shutdownNow();
            hostile.stop(0);
        }
    }

    @Test
    void anEventConsumedTwiceIsDeliveredOnce() {
        String path = path();
        Hook hook = register("ai-france", path, "case.held", "case.released");
        String caseId = caseId();
        CaseChanged held = caseChange(caseId, "global", null, "active", new CaseChanged.Hold(3, Instant.now()));
        // the same event twice (as a relay that published it again would), then a later one on the same partition
        TallyFixtures.publish(Topics.CASES, List.of(held, held));
        CaseChanged released = caseChange(caseId, "global", null, "active", null);
        TallyFixtures.publish(Topics.CASES, List.of(released));
        await().atMost(Duration.ofSeconds(60)).until(() -> about(path, caseId).stream()
                .anyMatch(r -> r.eventId().equals(released.eventId().toString())));
        // everything queued before the release is sent by now or still pending: wait for nothing pending
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(hook).stream()
                .noneMatch(d -> "pending".equals(d.get("state"))));
        assertEquals(1, about(path, caseId).stream().filter(r -> r.eventId().equals(held.eventId().toString())).count());
        assertEquals(List.of("case.released", "case.held"),
                deliveries(hook).stream().map(d -> (String) d.get("eventType")).toList());
    }

    @Test
    void theEntitysOwnTotalsComeOnTheSchedule() throws Exception {
        String france = path(), malta = path();
        Hook hook = register("ai-france", france, "totals.entity");
        register("ai-malta", malta, "totals.entity");
        // the test profile's period is 2 s
        await().atMost(Duration.ofSeconds(30)).until(() -> !at(france).isEmpty() && !at(malta).isEmpty());
        Received r = at(france).get(0);
        assertEquals("totals.entity", r.eventType());
        assertSigned(r, hook.secret());
        Map<?, ?> body = r.json();
        assertEquals("ai-france", body.get("entityId"));
        assertEquals(ReferenceFixtures.CAMPAIGN, body.get("campaignId"));
        assertEquals("ai-malta", at(malta).get(0).json().get("entityId"));
        // the same numbers as the staff read of the entity (nothing is counted while this test runs)
        Number staffTotal = given().auth().oauth2(staffToken("coordinator")).get("/api/v1/totals/entities/ai-france")
                .then().statusCode(200).extract().path("total");
        assertEquals(staffTotal.longValue(), ((Number) body.get("total")).longValue());
        assertFalse(r.body().contains("name"), "counts and ids only: " + r.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEntitysTotalsListNoHeldCaseButCountItsActions() {
        String malta = path();
        register("ai-malta", malta, "totals.entity");
        // in the current campaign, the one the totals are of
        String open = caseId(), held = caseId(), current = ReferenceFixtures.CAMPAIGN;
        TallyFixtures.publish(Topics.CASES, List.of(
                new CaseChanged(UUID.randomUUID(), open, current, "Name", "MT", "Authorities", "global", null, 100L,
                        "active", true, null, ReferenceFixtures.version(), Instant.now()),
                new CaseChanged(UUID.randomUUID(), held, current, "Name", "MT", "Authorities", "global", null, 100L,
                        "active", true, new CaseChanged.Hold(7, Instant.now()), ReferenceFixtures.version(), Instant.now())));
        await().until(() -> reference.findCase(held).map(c -> c.hold() != null).orElse(false)
                && reference.findCase(open).isPresent());
        Instant now = Instant.now();
        TallyFixtures.publishActions(List.of(
                new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), current, open, "ai-malta", ActionType.SIGNATURE,
                        Mode.ONLINE, 2, now, now),
                new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), current, held, "ai-malta", ActionType.SIGNATURE,
                        Mode.ONLINE, 3, now, now)));
        // the staff's read of the entity once both are counted, and the first period that counted them too (the test
        // profile's period is 2 s; nothing else is counted while this test runs)
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(3).equals(staffCount(held)));
        Map<String, Object> staff = given().auth().oauth2(staffToken("coordinator")).get("/api/v1/totals/entities/ai-malta")
                .then().statusCode(200).extract().as(Map.class);
        long total = ((Number) staff.get("total")).longValue();
        await().atMost(Duration.ofSeconds(30)).until(() -> at(malta).stream()
                .anyMatch(r -> ((Number) r.json().get("total")).longValue() == total));
        Map<?, ?> body = at(malta).stream().filter(r -> ((Number) r.json().get("total")).longValue() == total)
                .findFirst().orElseThrow().json();
        Map<Object, Object> expected = new java.util.TreeMap<>((Map<?, ?>) staff.get("byCase"));
        expected.keySet().removeIf(c -> reference.findCase((String) c).map(x -> x.hold() != null).orElse(false));
        assertFalse(expected.containsKey(held));
        assertEquals(2, ((Number) expected.get(open)).intValue());
        Map<Object, Object> told = new java.util.TreeMap<>();
        ((Map<?, ?>) body.get("byCase")).forEach((c, n) -> told.put(c, ((Number) n).intValue()));
        expected.replaceAll((c, n) -> ((Number) n).intValue());
        assertEquals(expected, told,
                "every case the staff see but the held ones; the held case's 3 stay in the total");
    }

    /**
     * A delivery waits in retries for an hour and more, and a dead one may be replayed at any time: what it says is read
     * again before each attempt. Totals queued before a hold (or before another instance told the sites of it) leave
     * the held case out when sent, the total unchanged; a milestone of a case whose counter was switched off since waits,
     * never sent while it is off, and goes once it is on again (a read-only review, 8 December 2026).
     */
    @Test
    @SuppressWarnings("unchecked")
    void whatADeliverySaysIsReadAgainWhenItIsSentNotOnlyWhenItWasQueued() {
        String path = path();
        Hook hook = register("ai-malta", path, "totals.entity", "milestone.reached");
        String open = caseId(), heldSince = caseId(), toldHeld = caseId(), counterOff = caseId();
        String current = ReferenceFixtures.CAMPAIGN;
        TallyFixtures.publish(Topics.CASES, List.of(
                new CaseChanged(UUID.randomUUID(), open, current, "Name", "MT", "Authorities", "global", null, 100L,
                        "active", true, null, ReferenceFixtures.version(), Instant.now()),
                new CaseChanged(UUID.randomUUID(), heldSince, current, "Name", "MT", "Authorities", "global", null, 100L,
                        "active", true, new CaseChanged.Hold(11, Instant.now()), ReferenceFixtures.version(), Instant.now()),
                new CaseChanged(UUID.randomUUID(), counterOff, current, "Name", "MT", "Authorities", "global", null, 100L,
                        "active", false, null, ReferenceFixtures.version(), Instant.now())));
        await().until(() -> reference.findCase(heldSince).map(c -> c.hold() != null).orElse(false)
                && reference.findCase(open).isPresent() && reference.findCase(counterOff).isPresent());
        // another instance's consumer told the sites this one is held; this instance's read model has not seen it
        webhookRows.saveCaseState(toldHeld, new WebhookRepository.CaseState(1, 12L, "active"));

        UUID totalsId = UUID.randomUUID(), milestoneId = UUID.randomUUID();
        Map<String, Object> byCase = new java.util.TreeMap<>(Map.of(open, 2, heldSince, 3, toldHeld, 4));
        Map<String, Object> totals = new java.util.LinkedHashMap<>();
        totals.put("eventId", totalsId);
        totals.put("type", "totals.entity");
        totals.put("occurredAt", Instant.now());
        totals.put("entityId", "ai-malta");
        totals.put("campaignId", current);
        totals.put("total", 10);
        totals.put("withoutCase", 1);
        totals.put("byCase", byCase);
        Map<String, Object> milestone = Map.of("eventId", milestoneId, "type", "milestone.reached",
                "occurredAt", Instant.now(), "caseId", counterOff, "campaignId", current, "percent", 50,
                "threshold", 50, "goal", 100);
        UUID webhook = UUID.fromString(hook.id());
        // queued as the service queued them before the changes (nothing held, the counter on)
        webhookRows.enqueue(List.of(
                new WebhookRepository.NewDelivery(webhook, totalsId, "totals.entity", Events.toJson(totals), null),
                new WebhookRepository.NewDelivery(webhook, milestoneId, "milestone.reached", Events.toJson(milestone), null)));

        await().atMost(Duration.ofSeconds(30)).until(() -> at(path).stream().anyMatch(r -> totalsId.toString().equals(r.eventId())));
        Received sent = at(path).stream().filter(r -> totalsId.toString().equals(r.eventId())).findFirst().orElseThrow();
        assertEquals(Map.of(open, 2), sent.json().get("byCase"), "neither held case: " + sent.body());
        assertEquals(10, ((Number) sent.json().get("total")).intValue(), "their actions stay in the total");
        try {
            assertSigned(sent, hook.secret()); // the body as sent is the one signed
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ((List<Map<String, Object>>) given().auth()
                .oauth2(entityKey("ai-malta")).get("/api/v1/webhooks/" + hook.id() + "/deliveries").then()
                .statusCode(200).extract().as(List.class)).stream()
                .anyMatch(d -> milestoneId.toString().equals(d.get("eventId")) && "pending".equals(d.get("state"))
                        && String.valueOf(d.get("lastError")).startsWith("held back")
                        && Integer.valueOf(0).equals(d.get("attempts"))));
        assertTrue(at(path).stream().noneMatch(r -> milestoneId.toString().equals(r.eventId())),
                "a milestone of a case whose counter is off is not sent");
        // the counter on again: the milestone goes (it was marked dead, lost for good, until a review that evening)
        TallyFixtures.publish(Topics.CASES, List.of(new CaseChanged(UUID.randomUUID(), counterOff, current, "Name", "MT",
                "Authorities", "global", null, 100L, "active", true, null, ReferenceFixtures.version(), Instant.now())));
        await().atMost(Duration.ofSeconds(30)).until(() -> at(path).stream()
                .anyMatch(r -> milestoneId.toString().equals(r.eventId())));
    }

    @jakarta.inject.Inject
    org.w4r.tally.service.WebhookSchedule prune;

    /**
     * What was delivered or given up longer ago than {@code w4r.webhooks.keep-for} is deleted, a pending delivery never;
     * a deleted webhook's secret is blanked at once and its row deleted with its last delivery (nothing was ever
     * deleted until a read-only review of 8 December 2026).
     */
    @Test
    void oldDeliveriesAreDeletedAndADeletedWebhooksSecretAtOnce() throws Exception {
        Hook kept = register("ai-malta", path(), "totals.entity");
        Hook gone = register("ai-malta", path(), "totals.entity");
        UUID keptId = UUID.fromString(kept.id()), goneId = UUID.fromString(gone.id());
        UUID oldDelivered = UUID.randomUUID(), oldDead = UUID.randomUUID(), oldPending = UUID.randomUUID(),
                recent = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); var ps = c.prepareStatement("""
                insert into webhook_delivery (id, webhook_id, event_id, event_type, body, state, next_attempt_at, created_at)
                values (?, ?, ?, 'totals.entity', '{}', ?, now() - make_interval(days => ?), now() - make_interval(days => ?))""")) {
            for (Object[] row : List.of(new Object[]{oldDelivered, "delivered", 31}, new Object[]{oldDead, "dead", 31},
                    new Object[]{oldPending, "pending", 400}, new Object[]{recent, "delivered", 29})) {
                ps.setObject(1, row[0]);
                ps.setObject(2, keptId);
                ps.setObject(3, UUID.randomUUID());
                ps.setString(4, (String) row[1]);
                ps.setInt(5, (Integer) row[2]);
                ps.setInt(6, (Integer) row[2]);
                ps.executeUpdate();
            }
        }
        given().auth().oauth2(entityKey("ai-malta")).delete("/api/v1/webhooks/" + gone.id()).then().statusCode(204);
        assertEquals("", sql("select secret from webhook where id = '" + goneId + "'"), "blanked at once");
        assertEquals(kept.secret(), sql("select secret from webhook where id = '" + keptId + "'"));
        // the deleted webhook and whatever it was sent, as if all were 31 days old
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("update webhook set deleted_at = now() - interval '31 days' where id = '" + goneId + "'");
            st.executeUpdate("update webhook_delivery set created_at = now() - interval '31 days', next_attempt_at = "
                    + "now() - interval '31 days', delivered_at = now() - interval '31 days' where webhook_id = '" + goneId + "'");
        }
        prune.prune();
        assertEquals("0", sql("select count(*) from webhook_delivery where id in ('" + oldDelivered + "', '" + oldDead + "')"));
        assertEquals("2", sql("select count(*) from webhook_delivery where id in ('" + oldPending + "', '" + recent + "')"),
                "a pending delivery however old, and one within the keep, stay");
        assertEquals("0", sql("select count(*) from webhook where id = '" + goneId + "'"), "gone with its last delivery");
        assertEquals("1", sql("select count(*) from webhook where id = '" + keptId + "'"));
    }

    private String sql(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static Long staffCount(String caseId) {
        Object n = given().auth().oauth2(staffToken("coordinator")).get("/api/v1/totals/entities/ai-malta")
                .then().statusCode(200).extract().path("byCase.'" + caseId + "'");
        return n == null ? null : ((Number) n).longValue();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> deliveries(Hook hook) {
        return given().auth().oauth2(entityKey("ai-france")).get("/api/v1/webhooks/" + hook.id() + "/deliveries")
                .then().statusCode(200).extract().as(List.class);
    }
}

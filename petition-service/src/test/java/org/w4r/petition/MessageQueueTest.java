package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionCorrected;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Issue 21.2, moderation at campaign scale: the queue filtered by case, entity, language and age, paged in a stable
 * order; what waits counted by case, entity and language with the oldest; and a bulk decision of explicit ids that is
 * the single decision applied to each, once. Each test has a campaign of its own, so other tests' messages never count.
 */
@QuarkusTest
@WithPlatformResources
class MessageQueueTest {
    static final String MODERATOR = staffToken("moderator");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    String campaign;
    String caseOne;
    String caseTwo;

    @BeforeEach
    void ownCampaign() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        campaign = "queue-" + suffix;
        caseOne = "queue-one-" + suffix;
        caseTwo = "queue-two-" + suffix;
        openCampaign(campaign, caseOne, caseTwo);
    }

    void openCampaign(String campaignId, String... caseIds) {
        Instant now = Instant.now();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, Topics.CAMPAIGNS, campaignId, new CampaignChanged(UUID.randomUUID(), campaignId,
                    "Edition " + campaignId, now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(10)), false, List.of(), now));
            for (String caseId : caseIds) {
                ReferenceFixtures.send(producer, Topics.CASES, caseId, new CaseChanged(UUID.randomUUID(), caseId, campaignId,
                        caseId, "MT", "Authorities", "global", null, null, "active", true, null, ReferenceFixtures.version(), now));
            }
        }
        // the service has read them once a message to the last case is taken
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> submit("international-members", caseIds[caseIds.length - 1], "ready", null) != null);
        // that one message is the test's own noise: decided, so it waits no more
        given().auth().oauth2(MODERATOR).get("/api/v1/messages?campaignId=" + campaignId).then().statusCode(200)
                .extract().jsonPath().getList("messageId", String.class).forEach(id -> decide(id, "{\"decision\":\"approve\"}"));
    }

    static String submit(String entityId, String caseId, String text, String language) {
        Map<String, Object> body = new HashMap<>(Map.of("caseId", caseId, "author", Map.of("name", "Ada", "country", "FR"),
                "text", text));
        if (language != null) {
            body.put("language", language);
        }
        return given().auth().oauth2(entityKey(entityId)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/messages").then().statusCode(202).extract().path("results[0].actionId");
    }

    static void decide(String id, String body) {
        given().auth().oauth2(MODERATOR).contentType(ContentType.JSON).body(body)
                .post("/api/v1/messages/" + id + "/decision").then().statusCode(200);
    }

    List<String> ids(String query) {
        return given().auth().oauth2(MODERATOR).get("/api/v1/messages?campaignId=" + campaign + "&limit=1000" + query)
                .then().statusCode(200).extract().jsonPath().getList("messageId", String.class);
    }

    ValidatableResponse waiting(String query) {
        return given().auth().oauth2(MODERATOR).get("/api/v1/messages/waiting?campaignId=" + campaign + query).then();
    }

    static ValidatableResponse bulk(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/api/v1/messages/decisions").then();
    }

    String approveAll(List<String> ids) {
        return "{\"campaignId\":\"" + campaign + "\",\"decision\":\"approve\",\"messageIds\":" + json(ids) + "}";
    }

    /** Waits (milliseconds) for the clock to pass {@code t}, and returns the time then. */
    static Instant clockPast(Instant t) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> Instant.now().isAfter(t.plusMillis(1)));
        return Instant.now();
    }

    static String json(List<String> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").toList().toString();
    }

    @Test
    void theQueueIsFilteredByCaseEntityLanguageAndAgeAndCounted() throws Exception {
        List<String> french = new ArrayList<>();
        french.add(submit("ai-france", caseOne, "Courage", "fr"));
        french.add(submit("ai-france", caseOne, "Courage encore", "FR"));
        french.add(submit("ai-malta", caseOne, "Bon courage", "fr-CA"));
        String english = submit("ai-malta", caseOne, "Stay strong", "en");
        String none = submit("ai-malta", caseTwo, "…", null);
        // an instant strictly after the messages before it and strictly before the one after it
        Instant between = clockPast(Instant.now());
        clockPast(between);
        String spanish = submit("ai-france", caseTwo, "Ánimo", "es");
        List<String> all = List.of(french.get(0), french.get(1), french.get(2), english, none, spanish);

        assertEquals(all, ids(""), "oldest first");
        assertEquals(List.of(french.get(0), french.get(1), french.get(2), english), ids("&caseId=" + caseOne));
        assertEquals(List.of(french.get(2), english, none), ids("&entityId=ai-malta"));
        assertEquals(french, ids("&language=fr"), "fr takes FR and fr-CA");
        assertEquals(french, ids("&language=FR"));
        assertEquals(List.of(french.get(2)), ids("&language=fr&entityId=ai-malta"));
        assertEquals(List.of(spanish), ids("&caseId=" + caseTwo + "&language=es"));
        assertEquals(all.subList(0, 5), ids("&receivedBefore=" + between), "older than the cut: all but the last");
        assertEquals(List.of(), ids("&receivedBefore=2020-01-01T00:00:00Z"));
        given().auth().oauth2(MODERATOR).get("/api/v1/messages?language=french").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("language"));
        given().auth().oauth2(MODERATOR).get("/api/v1/messages?receivedBefore=yesterday").then().statusCode(400)
                .body("field", equalTo("receivedBefore"));
        given().auth().oauth2(MODERATOR).get("/api/v1/messages?entityId=Not%20A%20Slug").then().statusCode(400);

        Instant oldest = Instant.parse(given().auth().oauth2(MODERATOR).get("/api/v1/messages?campaignId=" + campaign)
                .then().extract().path("[0].createdAt"));
        JsonPath counts = waiting("").statusCode(200).body("waiting", equalTo(6)).extract().jsonPath();
        assertEquals(oldest, Instant.parse(counts.getString("oldestReceivedAt")));
        Instant asOf = Instant.parse(counts.getString("asOf"));
        assertEquals(Duration.between(oldest, asOf).toSeconds(), counts.getLong("oldestWaitingSeconds"));
        assertEquals(Map.of(caseOne, 4, caseTwo, 2), groups(counts, "cases", "caseId"));
        assertEquals(Map.of("ai-france", 3, "ai-malta", 3), groups(counts, "entities", "entityId"));
        Map<String, Integer> languages = groups(counts, "languages", "language");
        assertEquals(Map.of("fr", 3, "en", 1, "es", 1, "(none)", 1), languages);
        assertEquals(oldest, Instant.parse(counts.getString("cases.find { it.caseId == '" + caseOne + "' }.oldestReceivedAt")));

        // the same filters as the queue
        waiting("&entityId=ai-malta&language=fr").statusCode(200).body("waiting", equalTo(1))
                .body("cases", hasSize(1)).body("cases[0].caseId", equalTo(caseOne));
        waiting("&receivedBefore=2020-01-01T00:00:00Z").statusCode(200).body("waiting", equalTo(0))
                .body("oldestReceivedAt", nullValue()).body("oldestWaitingSeconds", nullValue()).body("cases", hasSize(0));

        // a decision takes a message out of the queue and its counts
        decide(english, "{\"decision\":\"reject\",\"reason\":\"off topic\"}");
        waiting("").body("waiting", equalTo(5));
        waiting("&caseId=" + caseOne).body("waiting", equalTo(3)).body("languages.language", equalTo(List.of("fr")));
        assertEquals(List.of(english), ids("&status=rejected"));
    }

    static Map<String, Integer> groups(JsonPath counts, String list, String key) {
        Map<String, Integer> groups = new HashMap<>();
        for (Map<String, Object> group : counts.<Map<String, Object>>getList(list)) {
            groups.put(group.get(key) == null ? "(none)" : (String) group.get(key), (Integer) group.get("waiting"));
        }
        return groups;
    }

    @Test
    void pagesFollowEachOtherInAStableOrderWhateverIsDecidedMeanwhile() {
        List<String> sent = IntStream.range(0, 7).mapToObj(i -> submit("ai-france", caseOne, "Message " + i, "en")).toList();
        List<String> read = new ArrayList<>();
        String after = "";
        for (int page = 0; page < 4; page++) {
            List<String> ids = given().auth().oauth2(MODERATOR)
                    .get("/api/v1/messages?campaignId=" + campaign + "&limit=3" + (after.isEmpty() ? "" : "&after=" + after))
                    .then().statusCode(200)
                    .extract().jsonPath().getList("messageId", String.class);
            if (page == 0) {
                // decided while the moderator reads the first page: the next page still starts after its last message
                decide(ids.get(2), "{\"decision\":\"approve\"}");
                read.addAll(ids.subList(0, 2));
            } else {
                read.addAll(ids);
            }
            if (ids.isEmpty()) {
                break;
            }
            after = ids.get(ids.size() - 1);
        }
        List<String> expected = new ArrayList<>(sent);
        expected.remove(2);
        assertEquals(expected, read);
        given().auth().oauth2(MODERATOR).get("/api/v1/messages?after=" + UUID.randomUUID()).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("after"));
        given().auth().oauth2(MODERATOR).get("/api/v1/messages?after=not-an-id").then().statusCode(400)
                .body("field", equalTo("after"));
    }

    @Test
    void aBulkDecisionIsEachSingleDecisionOnceAndReportsWhatWasDecidedBefore() {
        String first = submit("ai-france", caseOne, "One", "en");
        String second = submit("ai-malta", caseOne, "Two", "en");
        String third = submit("ai-france", caseTwo, "Three", "en");
        String erasedAuthor = ErasureTest.email();
        String erased = ErasureTest.message("ai-france", caseTwo, erasedAuthor);
        ErasureTest.erase(entityKey("ai-france"), erasedAuthor).then().statusCode(202);
        decide(first, "{\"decision\":\"reject\",\"reason\":\"spam\"}");

        // first: already decided by another moderator; erased: its author asked to be forgotten; both reported as they stand
        List<String> sent = List.of(second, first, third, erased);
        bulk(MODERATOR, approveAll(sent)).statusCode(200).body("decided", equalTo(2)).body("skipped", equalTo(2))
                .body("results.messageId", equalTo(sent))
                .body("results.outcome", equalTo(List.of("approved", "already-reviewed", "approved", "erased")))
                .body("results[1].status", equalTo("rejected")).body("results[0].reviewedBy", equalTo("test-moderator"));
        // the same call again decides nothing
        bulk(MODERATOR, approveAll(sent)).statusCode(200).body("decided", equalTo(0)).body("skipped", equalTo(4))
                .body("results.outcome", equalTo(List.of("already-reviewed", "already-reviewed", "already-reviewed", "erased")));

        // exactly what a single decision leaves: one moderation event and one audit entry per message decided
        for (String id : List.of(second, third)) {
            assertEquals(1, await().atMost(Duration.ofSeconds(60)).until(() -> Stream.containing(Topics.MODERATION, id),
                    l -> !l.isEmpty()).size(), "one event for " + id);
            given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?subjectId=" + id).then().statusCode(200)
                    .body("entries", hasSize(1)).body("entries[0].action", equalTo("message.reviewed"))
                    .body("entries[0].actor", equalTo("test-moderator"))
                    .body("entries[0].detail.decision", equalTo("approved"))
                    .body("entries[0].detail.caseId", equalTo(id.equals(second) ? caseOne : caseTwo));
        }
        assertEquals(1, Stream.containing(Topics.MODERATION, first).size(), "the earlier decision only");
        assertTrue(Stream.containing(Topics.MODERATION, erased).isEmpty());
        waiting("").body("waiting", equalTo(0));
    }

    @Test
    void aBulkRejectionAsAbuseTakesEachOutOfTheCounts() {
        List<String> abusive = List.of(submit("ai-malta", caseOne, "abuse 1", null), submit("ai-malta", caseOne, "abuse 2", null));
        bulk(MODERATOR, "{\"campaignId\":\"" + campaign + "\",\"decision\":\"reject\",\"reason\":\"insults\",\"abuse\":true,"
                + "\"messageIds\":" + json(abusive) + "}").statusCode(200).body("decided", equalTo(2))
                .body("results.outcome", equalTo(List.of("rejected", "rejected")));
        for (String id : abusive) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(1, ActionKindsTest.events(id).stream()
                    .filter(e -> e instanceof ActionCorrected c && c.delta() == -1).count()));
        }
        assertEquals(List.of(), ids(""));
    }

    @Test
    void aBulkDecisionIsRefusedWholeForIdsOfAnotherCampaignAndBoundedInSize() {
        String mine = submit("ai-france", caseOne, "Mine", "en");
        String otherCampaign = "queue-other-" + UUID.randomUUID().toString().substring(0, 8);
        String otherCase = otherCampaign + "-case";
        openCampaign(otherCampaign, otherCase);
        String theirs = submit("ai-france", otherCase, "Theirs", "en");
        String unknown = UUID.randomUUID().toString();

        bulk(MODERATOR, approveAll(List.of(mine, theirs, unknown))).statusCode(422)
                .contentType("application/problem+json").body("type", containsString("not-in-campaign"))
                .body("messageIds", equalTo(List.of(theirs, unknown)));
        assertEquals(List.of(mine), ids(""), "nothing was decided");
        given().auth().oauth2(MODERATOR).get("/api/v1/messages?campaignId=" + otherCampaign).then()
                .body("messageId", equalTo(List.of(theirs)));

        List<String> tooMany = IntStream.range(0, 501).mapToObj(i -> UUID.randomUUID().toString()).toList();
        bulk(MODERATOR, approveAll(tooMany)).statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("messageIds"));
        bulk(MODERATOR, approveAll(List.of())).statusCode(400).contentType("application/problem+json");
        bulk(MODERATOR, approveAll(List.of(mine, mine))).statusCode(400).body("field", equalTo("messageIds"));
        bulk(MODERATOR, "{\"campaignId\":\"" + campaign + "\",\"decision\":\"reject\",\"messageIds\":[\"" + mine + "\"]}")
                .statusCode(400).body("field", equalTo("reason"));
        bulk(MODERATOR, "{\"campaignId\":\"" + campaign + "\",\"decision\":\"approve\",\"messageIds\":[\"x\"]}")
                .statusCode(400).contentType("application/problem+json");
        bulk(MODERATOR, "{\"decision\":\"approve\",\"messageIds\":[\"" + mine + "\"]}").statusCode(400)
                .body("field", equalTo("campaignId"));
        assertEquals(List.of(mine), ids(""), "still waiting");
    }

    @Test
    void onlyModeratorsCountOrDecideInBulk() {
        String mine = submit("ai-france", caseOne, "Mine", "en");
        for (String token : List.of(staffToken("coordinator"), staffToken("case-manager"), staffToken("delivery"),
                entityKey("ai-france"))) {
            given().auth().oauth2(token).get("/api/v1/messages/waiting?campaignId=" + campaign).then().statusCode(403);
            bulk(token, approveAll(List.of(mine))).statusCode(403);
        }
        given().get("/api/v1/messages/waiting").then().statusCode(401);
        given().contentType(ContentType.JSON).body(approveAll(List.of(mine))).post("/api/v1/messages/decisions").then()
                .statusCode(401);
        assertEquals(List.of(mine), ids(""));
    }
}

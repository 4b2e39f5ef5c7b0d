package org.w4r.tally;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.CaseChanged;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The public counter: anonymous, any origin, cacheable with an ETag, and gone while switched off, draft or on hold. */
@QuarkusTest
@WithPlatformResources
class PublicCounterTest {
    static final String CAMPAIGN = "counter-campaign";

    static void publishCase(String caseId, boolean publicCounter, CaseChanged.Hold hold) {
        TallyFixtures.publish(Topics.CASES, List.of(TallyFixtures.caseOf(caseId, CAMPAIGN, 500, publicCounter, hold)));
    }

    /** A case in {@code status} ("draft", "active"), its public counter switched on and not held. */
    static void publishCase(String caseId, String status) {
        TallyFixtures.publish(Topics.CASES, List.of(new CaseChanged(UUID.randomUUID(), caseId, CAMPAIGN,
                "Name of " + caseId, "MT", "Authorities", "global", null, 500L, status, true, null,
                ReferenceFixtures.version(), Instant.now())));
    }

    static void publishAction(String caseId, long count) {
        Instant now = Instant.now();
        TallyFixtures.publishActions(List.of(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), CAMPAIGN, caseId,
                "ai-france", ActionType.SIGNATURE, Mode.ONLINE, count, now, now)));
    }

    static String counter(String caseId) {
        return "/public/v1/cases/" + caseId + "/counter";
    }

    @Test
    void anyoneMayReadItFromAnyOriginAndRevalidateWithTheETag() {
        String caseId = "counter-" + UUID.randomUUID().toString().substring(0, 8);
        publishCase(caseId, true, null);
        publishAction(caseId, 3);
        await().untilAsserted(() -> given().get(counter(caseId)).then().statusCode(200).body("count", equalTo(3)));
        String etag = given().header("Origin", "https://www.amnesty.example").get(counter(caseId)).then().statusCode(200)
                .body("caseId", equalTo(caseId)).body("goal", equalTo(500)).body("updatedAt", notNullValue())
                .header("Access-Control-Allow-Origin", "*")
                .header("Cache-Control", containsString("max-age="))
                .header("Cache-Control", containsString("stale-while-revalidate="))
                .header("ETag", notNullValue()).extract().header("ETag");
        given().header("If-None-Match", etag).get(counter(caseId)).then().statusCode(304)
                .header("ETag", equalTo(etag)).header("Access-Control-Allow-Origin", "*");
        given().options(counter(caseId)).then().statusCode(204).header("Access-Control-Allow-Origin", "*");

        publishAction(caseId, 2);
        await().untilAsserted(() -> given().header("If-None-Match", etag).get(counter(caseId)).then().statusCode(200)
                .body("count", equalTo(5)));
        assertNotEquals(etag, given().get(counter(caseId)).header("ETag"));
    }

    /** Switched off and on again, never held: the switch alone hides the counter. */
    @Test
    void notFoundWhileSwitchedOff() {
        String caseId = "counter-" + UUID.randomUUID().toString().substring(0, 8);
        publishCase(caseId, true, null);
        publishAction(caseId, 4);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(caseId)).then().statusCode(200)
                .body("count", equalTo(4)));

        publishCase(caseId, false, null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(caseId)).then().statusCode(404)
                .contentType("application/problem+json").header("Access-Control-Allow-Origin", "*")
                .body("type", endsWith("/counter-off")).body("caseId", equalTo(caseId)));

        publishCase(caseId, true, null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(caseId)).then().statusCode(200)
                .body("count", equalTo(4)));
        // an unknown case answers as a hidden one: whether a case exists under a person's name is not for the public
        given().get(counter("no-such-case")).then().statusCode(404).contentType("application/problem+json")
                .body("type", endsWith("/counter-off")).body("caseId", equalTo("no-such-case"));
    }

    /**
     * A case whose public counter stays switched on the whole time: only the hold can hide it, so this fails if the
     * counter ignored holds (the switched-off test cannot tell).
     */
    @Test
    void notFoundWhileOnHoldThoughSwitchedOn() {
        String caseId = "counter-" + UUID.randomUUID().toString().substring(0, 8);
        publishCase(caseId, true, null);
        publishAction(caseId, 6);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(caseId)).then().statusCode(200)
                .body("count", equalTo(6)));

        publishCase(caseId, true, new CaseChanged.Hold(7L, Instant.now()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(caseId)).then().statusCode(404)
                .contentType("application/problem+json").header("Access-Control-Allow-Origin", "*")
                .body("type", endsWith("/counter-off")).body("caseId", equalTo(caseId))
                // a held case's counter says nothing of its count
                .body(not(containsString("\"count\""))));

        publishCase(caseId, true, null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(caseId)).then().statusCode(200)
                .body("count", equalTo(6)));
    }

    /**
     * A draft with its counter switched on (the default of a new case) answers exactly what a switched-off counter
     * answers: case ids are slugs of a person's name, and a draft's counter answered 200 with its count and goal, so
     * anyone could learn that a case was being prepared for a named person (found by a read-only audit, 4 December 2026).
     */
    @Test
    void aDraftAnswersAsASwitchedOffCounterUntilItIsActive() {
        String draft = "counter-" + UUID.randomUUID().toString().substring(0, 8);
        String off = "counter-" + UUID.randomUUID().toString().substring(0, 8);
        publishCase(draft, "draft");
        publishCase(off, false, null);
        publishAction(draft, 2);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(off)).then().statusCode(404)
                .body("type", endsWith("/counter-off")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(draft)).then().statusCode(404)
                .contentType("application/problem+json").header("Access-Control-Allow-Origin", "*")
                .body("type", endsWith("/counter-off")).body("caseId", equalTo(draft))
                .body(not(containsString("\"count\""))).body(not(containsString("\"goal\""))));

        // the same answer, to the byte but for the id, and the same headers: the two cannot be told apart
        var draftAnswer = given().get(counter(draft));
        var offAnswer = given().get(counter(off));
        assertEquals(offAnswer.asString().replace(off, draft), draftAnswer.asString());
        for (String header : List.of("Content-Type", "Cache-Control", "Access-Control-Allow-Origin",
                "Access-Control-Expose-Headers", "ETag")) {
            assertEquals(offAnswer.header(header), draftAnswer.header(header), header);
        }

        publishCase(draft, "active");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(draft)).then().statusCode(200)
                .body("caseId", equalTo(draft)).body("count", equalTo(2)).body("goal", equalTo(500)));
    }

    @jakarta.inject.Inject
    ReferenceData reference;

    /**
     * A draft closed unused (dropped: case-service has no delete) stays as hidden as a draft: its counter answers as a
     * switched-off one, and the open data do not list it. It was shown by name, country and goal (a read-only review,
     * 6 December 2026). A case closed after it counted actions still shows them.
     */
    @Test
    void aDraftClosedUnusedStaysHiddenAndACaseClosedWithActionsStillShows() {
        String dropped = "counter-" + UUID.randomUUID().toString().substring(0, 8);
        String finished = "counter-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(CAMPAIGN, Instant.parse("2026-12-01T00:00:00Z")); // not current: the open data's
        publishCase(dropped, "draft");
        publishCase(finished, "active");
        publishAction(finished, 4);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(counter(finished)).then().statusCode(200)
                .body("count", equalTo(4)));
        publishCase(dropped, "closed");
        publishCase(finished, "closed");
        await().atMost(Duration.ofSeconds(60)).until(() -> "closed".equals(reference.findCase(dropped)
                .map(CaseChanged::status).orElse("")) && "closed".equals(reference.findCase(finished)
                .map(CaseChanged::status).orElse("")));
        given().get(counter(dropped)).then().statusCode(404).body("type", endsWith("/counter-off"));
        given().get(counter(finished)).then().statusCode(200).body("count", equalTo(4));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given()
                .get("/public/v1/open-data/campaigns/" + CAMPAIGN).then().statusCode(200)
                .body("cases.caseId", hasItem(finished)).body("cases.caseId", not(hasItem(dropped))));
        given().get("/public/v1/open-data/campaigns/" + CAMPAIGN + "/cases/" + dropped).then().statusCode(404);
    }
}

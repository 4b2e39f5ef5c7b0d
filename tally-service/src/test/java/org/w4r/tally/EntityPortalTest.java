package org.w4r.tally;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.CaseChanged;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.containsString;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** The entity portal's figures: an entity key reads its own entity's, never another's; staff and nobody else get none. */
@QuarkusTest
@WithPlatformResources
class EntityPortalTest {
    static final Instant DAY1 = Instant.parse("2003-03-05T09:00:00Z");
    static final Instant DAY2 = Instant.parse("2003-03-06T09:00:00Z");

    @Test
    void anEntityReadsItsOwnTotalsAgainstThePreviousCampaignWithItsRankAndCases() {
        String campaign = "pt-" + UUID.randomUUID().toString().substring(0, 8);
        String old = campaign + "-old";
        String global = campaign + "-global";
        String ownLocal = campaign + "-france";
        String otherLocal = campaign + "-malta";
        String draft = campaign + "-draft";
        // a draft closed unused (dropped: case-service has no delete), a global one: no entity learns of it
        String dropped = campaign + "-dropped";
        // opened a day apart, on days no other test uses, so no other campaign falls in between
        TallyFixtures.publishCampaign(old, Instant.parse("2003-03-03T00:00:00Z"));
        TallyFixtures.publishCampaign(campaign, Instant.parse("2003-03-04T00:00:00Z"));
        TallyFixtures.publish(Topics.CASES, List.of(
                TallyFixtures.caseOf(global, campaign, 1000, true, new CaseChanged.Hold(7L, DAY1)),
                local(ownLocal, campaign, "ai-france", "active"),
                local(otherLocal, campaign, "ai-malta", "active"),
                local(draft, campaign, "ai-france", "draft"),
                new CaseChanged(UUID.randomUUID(), dropped, campaign, "Name of " + dropped, "MT", "Authorities", "global",
                        null, 500L, "closed", true, null, ReferenceFixtures.version(), Instant.now())));
        ActionRecorded letters = action(campaign, global, "ai-france", ActionType.LETTER, Mode.OFFLINE, 1250, DAY1);
        TallyFixtures.publishActions(List.of(letters,
                action(campaign, ownLocal, "ai-france", ActionType.SIGNATURE, Mode.ONLINE, 2, DAY2),
                action(campaign, null, "ai-france", ActionType.TWEET, Mode.ONLINE, 1, DAY2),
                action(campaign, otherLocal, "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, 5000, DAY2),
                action(campaign, global, "international-members", ActionType.SIGNATURE, Mode.ONLINE, 3, DAY1),
                new ActionCorrected(UUID.randomUUID(), letters.actionId(), campaign, global, "ai-france",
                        ActionType.LETTER, Mode.OFFLINE, -50, DAY1, Instant.now()),
                action(old, null, "ai-france", ActionType.LETTER, Mode.OFFLINE, 700, Instant.parse("2003-03-03T12:00:00Z")),
                action(old, null, "ai-malta", ActionType.LETTER, Mode.OFFLINE, 10, Instant.parse("2003-03-03T12:00:00Z"))));

        await().untilAsserted(() -> own("ai-france", campaign).statusCode(200)
                .body("entityId", equalTo("ai-france"))
                .body("campaign.campaignId", equalTo(campaign))
                .body("previous.campaign.campaignId", equalTo(old))
                .body("totals.entityId", equalTo("ai-france"))
                .body("totals.total", equalTo(1203))
                .body("totals.byCase", equalTo(Map.of(global, 1200, ownLocal, 2)))
                .body("totals.withoutCase", equalTo(1))
                .body("totals.byType", equalTo(Map.of("letter", 1200, "signature", 2, "tweet", 1)))
                .body("totals.byMode", equalTo(Map.of("offline", 1200, "online", 3)))
                .body("totals.byDay", equalTo(Map.of("2003-03-05", 1200, "2003-03-06", 3)))
                .body("previous.totals.total", equalTo(700))
                .body("rank.position", equalTo(2)).body("rank.of", equalTo(3))
                .body("previous.rank.position", equalTo(1)).body("previous.rank.of", equalTo(2))
                // its cases, awaited too: they come with the reference data, read by another consumer than the counts
                .body("cases.caseId", containsInAnyOrder(global, ownLocal))
                .body("cases.find { it.caseId == '" + global + "' }.held", equalTo(true)));

        // its cases: the global one (held, no reason) and its own local one; not another entity's, not a draft, not
        // a draft closed unused
        own("ai-france", campaign).body("cases.caseId", containsInAnyOrder(global, ownLocal))
                .body("cases.find { it.caseId == '" + global + "' }.held", equalTo(true))
                .body("cases.find { it.caseId == '" + global + "' }.local", equalTo(false))
                .body("cases.find { it.caseId == '" + ownLocal + "' }.local", equalTo(true))
                .body(not(containsString("reason")));

        // another entity on the same path gets its own figures and nothing of the first one's
        own("ai-malta", campaign).statusCode(200).body("entityId", equalTo("ai-malta"))
                .body("totals.total", equalTo(5000)).body("totals.byCase", equalTo(Map.of(otherLocal, 5000)))
                .body("rank.position", equalTo(1)).body("previous.totals.total", equalTo(10))
                .body("cases.caseId", containsInAnyOrder(global, otherLocal))
                .body(not(containsString(ownLocal)));
        // an entity that counted nothing in a campaign is not ranked in it
        own("international-members", old).statusCode(200).body("totals.total", equalTo(0)).body("rank", nullValue());
        own("ai-malta", old).body("rank.position", equalTo(2)).body("rank.of", equalTo(2));
    }

    @Inject
    MeterRegistry registry;

    /**
     * An entity key asking again and again (a leaked one) reads the totals once per fresh-for period (1 s in tests),
     * not at every request: at most five reads a period (the campaign's by case and by entity, the entity's detail,
     * and the previous campaign's two), where 30 requests read 150 before (a read-only review, 7 December 2026). The
     * bound is computed from the time the requests took, so a slow machine does not fail it.
     */
    @Test
    void anEntityAskingAgainAndAgainReadsTheTotalsOncePerPeriod() {
        // the first request makes the portal (its counter with it)
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/entity/totals").then().statusCode(200);
        double before = registry.get("w4r.tally.entity_portal.reads").counter().count();
        long started = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            given().auth().oauth2(entityKey("ai-france")).get("/api/v1/entity/totals").then().statusCode(200);
        }
        long periods = 1 + java.time.Duration.ofNanos(System.nanoTime() - started).toSeconds();
        double reads = registry.get("w4r.tally.entity_portal.reads").counter().count() - before;
        org.junit.jupiter.api.Assertions.assertTrue(reads <= 5 * periods,
                reads + " reads for 30 requests in " + periods + " period(s)");
    }

    @Test
    void theEntityIsTheCredentialsNeverTheRequests() {
        // no parameter names an entity: one that tries is refused, not answered about another entity
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/entity/totals?entityId=ai-malta").then().statusCode(400);
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/entity/totals?campaign=no-such-campaign").then()
                .statusCode(404);
    }

    @Test
    void staffAndAnonymousGetNothing() {
        for (String role : ReferenceFixtures.STAFF_ROLES) {
            given().auth().oauth2(staffToken(role)).get("/api/v1/entity/totals").then().statusCode(403);
        }
        given().get("/api/v1/entity/totals").then().statusCode(401);
        given().auth().oauth2("w4r_not-a-token").get("/api/v1/entity/totals").then().statusCode(401);
        // and an entity key still gets nothing of the staff's totals
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/totals/entities/ai-france").then().statusCode(403);
    }

    static io.restassured.response.ValidatableResponse own(String entity, String campaign) {
        return given().auth().oauth2(entityKey(entity)).get("/api/v1/entity/totals?campaign=" + campaign).then();
    }

    static CaseChanged local(String caseId, String campaignId, String entityId, String status) {
        return new CaseChanged(UUID.randomUUID(), caseId, campaignId, "Name of " + caseId, "FR", "Authorities", "local",
                entityId, 100L, status, false, null, ReferenceFixtures.version(), Instant.now());
    }

    static ActionRecorded action(String campaign, String caseId, String entityId, ActionType type, Mode mode, long count,
                                 Instant at) {
        return new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign, caseId, entityId, type, mode, count, at, at);
    }
}

package org.w4r.tally;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.events.DeliveryPlanned;
import org.w4r.events.HandoverRecorded;
import org.w4r.events.Topics;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.nullValue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** What the staff UI reads here besides the totals, and that it may read it from its own origin only. */
@QuarkusTest
@WithPlatformResources
class DashboardEndpointsTest {

    @Test
    void meNamesTheCallerAndItsRole() {
        given().auth().oauth2(staffToken("moderator")).get("/api/v1/me").then().statusCode(200)
                .body("role", equalTo("moderator")).body("entityId", nullValue());
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/me").then().statusCode(200)
                .body("role", equalTo("entity")).body("entityId", equalTo("ai-france"));
        given().get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2("w4r_not-a-token").get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void casesCarryTheirHoldFromTheStreamAndThePreviousCampaignIsNamed() {
        String campaign = "db-" + UUID.randomUUID().toString().substring(0, 8);
        String held = campaign + "-held";
        // opened the day after its predecessor, so no other test's campaign falls in between
        TallyFixtures.publishCampaign(campaign + "-old", Instant.parse("2001-01-01T00:00:00Z"));
        TallyFixtures.publishCampaign(campaign, Instant.parse("2001-01-02T00:00:00Z"));
        TallyFixtures.publish(Topics.CASES, List.of(TallyFixtures.caseOf(campaign + "-free", campaign, 10, true, null),
                TallyFixtures.caseOf(held, campaign, 20, true,
                        new CaseChanged.Hold(42L, Instant.parse("2026-02-01T08:00:00Z")))));
        await().untilAsserted(() -> given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/dashboard/cases?campaign=" + campaign).then().statusCode(200)
                .body("campaign.campaignId", equalTo(campaign))
                .body("previous.campaignId", equalTo(campaign + "-old"))
                .body("cases.caseId", containsInAnyOrder(campaign + "-free", held))
                .body("cases.find { it.caseId == '" + held + "' }.hold.holdId", equalTo(42))
                .body("cases.find { it.caseId == '" + held + "' }.hold.placedAt", equalTo("2026-02-01T08:00:00Z"))
                .body("cases.find { it.caseId == '" + campaign + "-free' }.hold", nullValue())
                .body("entityNames.'ai-france'", equalTo("ai-france")));
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/dashboard/campaigns").then().statusCode(200)
                .body("find { it.campaignId == '" + campaign + "' }.opensAt", equalTo("2001-01-02T00:00:00Z"))
                .body("find { it.campaignId == '" + campaign + "-old' }.current", equalTo(false));
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/dashboard/cases").then().statusCode(403);
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/dashboard/campaigns").then().statusCode(403);
        given().get("/api/v1/dashboard/cases").then().statusCode(401);
    }

    @Test
    void handoversOfACaseInOrderWithTheirFrozenCounts() {
        String campaign = "dh-" + UUID.randomUUID().toString().substring(0, 8);
        String caseId = campaign + "-a";
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-10-01T00:00:00Z"));
        UUID handed = UUID.randomUUID();
        UUID planned = UUID.randomUUID();
        Instant cutoff = Instant.parse("2026-01-20T00:00:00Z");
        TallyFixtures.publish(Topics.DELIVERIES, List.of(
                new DeliveryPlanned(UUID.randomUUID(), handed, campaign, caseId, null, "petition", "embassy", "MT", cutoff, cutoff),
                new DeliveryPlanned(UUID.randomUUID(), planned, campaign, caseId, null, "solidarity", "family", "MT",
                        cutoff.plus(Duration.ofDays(30)), cutoff),
                new HandoverRecorded(UUID.randomUUID(), handed, campaign, caseId, null, "petition", cutoff, cutoff, 1001,
                        Map.of("ai-france", 1000L, "ai-malta", 1L), Map.of("letter", 1001L), cutoff)));
        await().untilAsserted(() -> given().auth().oauth2(staffToken("coordinator"))
                .get("/api/v1/dashboard/cases/" + caseId + "/handovers?campaign=" + campaign).then().statusCode(200)
                .body("deliveryId", equalTo(List.of(handed.toString(), planned.toString())))
                .body("[0].deliveryId", equalTo(handed.toString())).body("[0].status", equalTo("handed-over"))
                .body("[0].kind", equalTo("petition")).body("[0].total", equalTo(1001))
                .body("[0].cutoff", equalTo("2026-01-20T00:00:00Z"))
                .body("[1].status", equalTo("planned")).body("[1].total", nullValue()));
    }

    /** The staff UI (its own origin) may call this API from the browser; no other origin may, not even a lookalike. */
    @Test
    void theApiAllowsExactlyTheStaffUiOrigin() {
        given().header("Origin", "http://localhost:8084").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/api/v1/totals/stream-tickets").then().statusCode(204)
                .header("Access-Control-Allow-Origin", "http://localhost:8084");
        given().header("Origin", "http://localhost:8084").auth().oauth2(staffToken("coordinator"))
                .get("/api/v1/totals").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:8084");
        for (String other : List.of("http://localhost:8080", "https://evil.example.org", "http://localhost:80840")) {
            given().header("Origin", other).header("Access-Control-Request-Method", "GET")
                    .options("/api/v1/totals").then().header("Access-Control-Allow-Origin", nullValue());
            given().header("Origin", other).auth().oauth2(staffToken("coordinator")).get("/api/v1/totals").then()
                    .header("Access-Control-Allow-Origin", nullValue());
        }
        // the API serves no page: the staff UI does
        given().get("/").then().statusCode(404);
    }
}

package org.w4r.tally;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.DeliveryPlanned;
import org.w4r.events.HandoverRecorded;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** Each endpoint's JSON and CSV on a small campaign of its own whose every number is known. */
@QuarkusTest
@WithPlatformResources
class TotalsEndpointsTest {
    static final Instant DAY1 = Instant.parse("2026-12-10T09:00:00Z");
    static final Instant DAY2 = Instant.parse("2026-12-11T09:00:00Z");
    String campaign;
    String caseA;
    String caseB;

    @BeforeEach
    void campaignWithKnownCounts() {
        campaign = "ep-" + UUID.randomUUID().toString().substring(0, 8);
        caseA = campaign + "-a";
        caseB = campaign + "-b";
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        TallyFixtures.publish(Topics.CASES, List.of(
                TallyFixtures.caseOf(caseA, campaign, 1000, true, null),
                new org.w4r.events.CaseChanged(UUID.randomUUID(), caseB, campaign, "Nassima al-Sada", "SA", "King",
                        "global", null, 777611L, "active", true, null, org.w4r.testsupport.ReferenceFixtures.version(), Instant.now())));
        ActionRecorded letters = action(caseA, "ai-france", ActionType.LETTER, Mode.OFFLINE, 1250, DAY1);
        TallyFixtures.publishActions(List.of(
                letters,
                action(caseA, "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, 1, DAY2),
                action(caseB, "ai-france", ActionType.SIGNATURE, Mode.ONLINE, 1, DAY2),
                action(null, "international-members", ActionType.TWEET, Mode.ONLINE, 1, DAY1),
                new ActionCorrected(UUID.randomUUID(), letters.actionId(), campaign, caseA, "ai-france",
                        ActionType.LETTER, Mode.OFFLINE, -50, DAY1, Instant.now())));
        // the cases' goals too: they come with the reference data, read by another consumer than the counts
        await().untilAsserted(() -> coordinator().get("/api/v1/totals?campaign=" + campaign)
                .then().statusCode(200).body("total", equalTo(1203))
                .body("cases.find { it.caseId == '" + caseA + "' }.goal", equalTo(1000))
                .body("cases.find { it.caseId == '" + caseB + "' }.goal", equalTo(777611)));
    }

    static io.restassured.specification.RequestSpecification coordinator() {
        return given().auth().oauth2(staffToken("coordinator"));
    }

    ActionRecorded action(String caseId, String entityId, ActionType type, Mode mode, long count, Instant at) {
        return new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign, caseId, entityId, type, mode, count, at, at);
    }

    @Test
    void caseTotalsByEveryDimension() {
        coordinator().get("/api/v1/totals/cases/" + caseA + "?campaign=" + campaign).then().statusCode(200)
                .body("caseId", equalTo(caseA)).body("total", equalTo(1201)).body("goal", equalTo(1000))
                .body("byEntity", equalTo(Map.of("ai-france", 1200, "ai-malta", 1)))
                .body("byType", equalTo(Map.of("letter", 1200, "signature", 1)))
                .body("byMode", equalTo(Map.of("offline", 1200, "online", 1)))
                .body("byDay", equalTo(Map.of("2026-12-10", 1200, "2026-12-11", 1)))
                .body("delivered", equalTo(0)).body("outstanding", equalTo(1201)).body("messagesDelivered", equalTo(0));
        String csv = coordinator().accept("text/csv").get("/api/v1/totals/cases/" + caseA + "?campaign=" + campaign)
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertEquals("""
                dimension,key,total
                "total",,1201
                "goal",,1000
                "delivered",,0
                "outstanding",,1201
                "messagesDelivered",,0
                "entity","ai-france",1200
                "entity","ai-malta",1
                "type","letter",1200
                "type","signature",1
                "mode","offline",1200
                "mode","online",1
                "day","2026-12-10",1200
                "day","2026-12-11",1
                """, csv);
        coordinator().get("/api/v1/totals/cases/no-such-case?campaign=" + campaign).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void entityTotalsByEveryDimension() {
        coordinator().get("/api/v1/totals/entities/ai-france?campaign=" + campaign).then().statusCode(200)
                .body("entityId", equalTo("ai-france")).body("total", equalTo(1201))
                .body("byCase", equalTo(Map.of(caseA, 1200, caseB, 1))).body("withoutCase", equalTo(0))
                .body("byType", equalTo(Map.of("letter", 1200, "signature", 1)))
                .body("byMode", equalTo(Map.of("offline", 1200, "online", 1)))
                .body("byDay", equalTo(Map.of("2026-12-10", 1200, "2026-12-11", 1)));
        coordinator().get("/api/v1/totals/entities/international-members?campaign=" + campaign).then().statusCode(200)
                .body("withoutCase", equalTo(1)).body("byCase", equalTo(Map.of()));
        coordinator().get("/api/v1/totals/entities/nobody?campaign=" + campaign).then().statusCode(404);
    }

    @Test
    void matrixDaysAndTotalsAsCsv() {
        assertEquals("""
                entityId,%1$s,%2$s,"(no case)",total
                "ai-france",1200,1,0,1201
                "ai-malta",1,0,0,1
                "international-members",0,0,1,1
                """.formatted(caseA, caseB),
                coordinator().accept("text/csv").get("/api/v1/totals/matrix?campaign=" + campaign).then().statusCode(200)
                        .extract().asString());
        coordinator().get("/api/v1/totals/matrix?campaign=" + campaign).then().statusCode(200)
                .body("cases", equalTo(List.of(caseA, caseB)))
                .body("rows.find { it.entityId == 'ai-france' }.cases", equalTo(Map.of(caseA, 1200, caseB, 1)));
        assertEquals("day,total\n\"2026-12-10\",1201\n\"2026-12-11\",2\n",
                coordinator().get("/api/v1/totals/days?format=csv&campaign=" + campaign).then().statusCode(200)
                        .extract().asString());
        coordinator().get("/api/v1/totals/days?campaign=" + campaign + "&caseId=" + caseA).then().statusCode(200)
                .body("days", equalTo(List.of(Map.of("day", "2026-12-10", "total", 1200), Map.of("day", "2026-12-11", "total", 1))));
        assertEquals("""
                caseId,name,goal,total,delivered,outstanding,messagesDelivered
                "%1$s","Name of %1$s",1000,1201,0,1201,0
                "%2$s","Nassima al-Sada",777611,1,0,1,0
                ,"(no case)",,1,,,
                """.formatted(caseA, caseB),
                coordinator().accept("text/csv").get("/api/v1/totals?campaign=" + campaign).then().statusCode(200)
                        .extract().asString());
        coordinator().get("/api/v1/totals?format=xml").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theReportTablesAsTheCampaignReportPrintsThem() {
        assertEquals("""
                "INDIVIDUAL OR GROUP",COUNTRY,"ESTIMATED NUMBER OF ACTIONS"
                "Name of %1$s","Malta","1,201"
                "Nassima al-Sada","Saudi Arabia","1"
                """.formatted(caseA),
                coordinator().accept("text/csv").get("/api/v1/totals/report/cases?campaign=" + campaign)
                        .then().statusCode(200).extract().asString());
        assertEquals("""
                ENTITY,ACTIONS
                "AI-FRANCE","1,201"
                "AI-MALTA","1"
                "INTERNATIONAL-MEMBERS","1"
                """,
                coordinator().accept("text/csv").get("/api/v1/totals/report/entities?campaign=" + campaign)
                        .then().statusCode(200).extract().asString());
    }

    @Test
    void twoCampaignsSideBySide() {
        coordinator().get("/api/v1/totals/compare?campaign=" + campaign + "&with=test-campaign").then().statusCode(200)
                .body("campaigns[0].campaignId", equalTo(campaign)).body("campaigns[0].total", equalTo(1203))
                .body("campaigns[1].campaignId", equalTo("test-campaign"))
                .body("rows.find { it.dimension == 'type' && it.key == 'letter' }.values[0]", equalTo(1200))
                .body("rows.find { it.dimension == 'day-of-campaign' && it.key == '9' }.values[0]", equalTo(1201));
        String csv = coordinator().accept("text/csv").get("/api/v1/totals/compare?campaign=" + campaign + "&with=test-campaign")
                .then().statusCode(200).extract().asString();
        assertEquals("dimension,key," + campaign + ",test-campaign", csv.lines().findFirst().orElseThrow());
        coordinator().get("/api/v1/totals/compare?campaign=" + campaign).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("with"));
        coordinator().get("/api/v1/totals/compare?campaign=" + campaign + "&with=nope").then().statusCode(404);
    }

    @Test
    void handoversGiveDeliveredAndOutstandingPerCase() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        HandoverRecorded handover = new HandoverRecorded(UUID.randomUUID(), first, campaign, caseA, null, "petition",
                DAY2, DAY2, 1001, Map.of("ai-france", 1000L, "ai-malta", 1L), Map.of("letter", 1000L, "signature", 1L), DAY2);
        TallyFixtures.publish(Topics.DELIVERIES, List.of(
                new DeliveryPlanned(UUID.randomUUID(), first, campaign, caseA, null, "petition", "embassy", "MT", DAY2, DAY1),
                new DeliveryPlanned(UUID.randomUUID(), second, campaign, caseA, null, "petition", "target-authority", "MT", DAY2, DAY1),
                handover, handover));
        await().untilAsserted(() -> coordinator().get("/api/v1/totals/cases/" + caseA + "?campaign=" + campaign)
                .then().statusCode(200).body("delivered", equalTo(1001)).body("outstanding", equalTo(200))
                .body("plannedDeliveries", equalTo(1)));
        // a later handover freezes a later cut-off, which includes the earlier one: delivered is not summed twice
        TallyFixtures.publish(Topics.DELIVERIES, List.of(new HandoverRecorded(UUID.randomUUID(), second, campaign, caseA,
                null, "petition", Instant.now(), Instant.now(), 1201, Map.of("ai-france", 1200L, "ai-malta", 1L),
                Map.of("letter", 1200L, "signature", 1L), Instant.now())));
        await().untilAsserted(() -> coordinator().get("/api/v1/totals?campaign=" + campaign).then().statusCode(200)
                .body("cases.find { it.caseId == '" + caseA + "' }.delivered", equalTo(1201))
                .body("cases.find { it.caseId == '" + caseA + "' }.outstanding", equalTo(0))
                .body("cases.find { it.caseId == '" + caseA + "' }.plannedDeliveries", equalTo(0)));
    }

    /**
     * A petition handover freezes every action of the case, its solidarity messages included; a solidarity handover
     * freezes the messages. The two go to different recipients and are counted apart: {@code delivered} (and so
     * {@code outstanding}) is the petition's, {@code messagesDelivered} the solidarity handovers'. Until a read-only
     * review (6 December 2026) the kinds were summed, so this case showed 200 delivered of 150 (the 50 messages twice)
     * and nothing outstanding, even after a new action.
     */
    @Test
    void aPetitionAndASolidarityHandoverAreCountedApart() {
        String caseC = campaign + "-c";
        TallyFixtures.publish(Topics.CASES, List.of(TallyFixtures.caseOf(caseC, campaign, 500, true, null)));
        TallyFixtures.publishActions(List.of(
                action(caseC, "ai-france", ActionType.SIGNATURE, Mode.ONLINE, 60, DAY1),
                action(caseC, "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, 40, DAY1),
                action(caseC, "ai-france", ActionType.MESSAGE, Mode.ONLINE, 30, DAY1),
                action(caseC, "ai-malta", ActionType.MESSAGE, Mode.ONLINE, 20, DAY2)));
        await().untilAsserted(() -> coordinator().get("/api/v1/totals/cases/" + caseC + "?campaign=" + campaign)
                .then().statusCode(200).body("total", equalTo(150)).body("name", equalTo("Name of " + caseC)));

        UUID petition = UUID.randomUUID(), earlyMessages = UUID.randomUUID(), messages = UUID.randomUUID();
        TallyFixtures.publish(Topics.DELIVERIES, List.of(
                // every action of the case, the messages with them (delivery-service's actionsUpTo)
                new HandoverRecorded(UUID.randomUUID(), petition, campaign, caseC, null, "petition", DAY2, DAY2, 150,
                        Map.of("ai-france", 90L, "ai-malta", 60L), Map.of("signature", 100L, "message", 50L), DAY2),
                // an earlier solidarity handover of ai-france's messages, which the later one includes
                new HandoverRecorded(UUID.randomUUID(), earlyMessages, campaign, caseC, "ai-france", "solidarity",
                        DAY1, DAY1, 10, Map.of("ai-france", 10L), Map.of("message", 10L), DAY1),
                // the approved messages (approvedMessagesUpTo)
                new HandoverRecorded(UUID.randomUUID(), messages, campaign, caseC, null, "solidarity", DAY2, DAY2, 50,
                        Map.of("ai-france", 30L, "ai-malta", 20L), Map.of("message", 50L), DAY2)));
        await().untilAsserted(() -> coordinator().get("/api/v1/dashboard/cases/" + caseC + "/handovers?campaign=" + campaign)
                .then().statusCode(200).body("size()", equalTo(3)));

        coordinator().get("/api/v1/totals/cases/" + caseC + "?campaign=" + campaign).then().statusCode(200)
                .body("total", equalTo(150)).body("delivered", equalTo(150))
                .body("messagesDelivered", equalTo(50)).body("outstanding", equalTo(0));
        coordinator().get("/api/v1/totals?campaign=" + campaign).then().statusCode(200)
                .body("cases.find { it.caseId == '" + caseC + "' }.delivered", equalTo(150))
                .body("cases.find { it.caseId == '" + caseC + "' }.messagesDelivered", equalTo(50))
                .body("cases.find { it.caseId == '" + caseC + "' }.outstanding", equalTo(0));
        String caseCsv = coordinator().accept("text/csv").get("/api/v1/totals/cases/" + caseC + "?campaign=" + campaign)
                .then().statusCode(200).extract().asString();
        assertEquals(List.of("\"delivered\",,150", "\"outstanding\",,0", "\"messagesDelivered\",,50"),
                caseCsv.lines().filter(l -> l.matches("\"(delivered|outstanding|messagesDelivered)\",.*")).toList());
        String totalsCsv = coordinator().accept("text/csv").get("/api/v1/totals?campaign=" + campaign)
                .then().statusCode(200).extract().asString();
        assertEquals("\"%1$s\",\"Name of %1$s\",500,150,150,0,50".formatted(caseC),
                totalsCsv.lines().filter(l -> l.startsWith("\"" + caseC + "\"")).findFirst().orElseThrow());

        // a new action is outstanding: the authorities have not been handed it
        TallyFixtures.publishActions(List.of(action(caseC, "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, 1, DAY2)));
        await().untilAsserted(() -> coordinator().get("/api/v1/totals/cases/" + caseC + "?campaign=" + campaign)
                .then().statusCode(200).body("total", equalTo(151)).body("delivered", equalTo(150))
                .body("messagesDelivered", equalTo(50)).body("outstanding", equalTo(1)));
    }

    @Test
    void staffOnly() {
        for (String path : List.of("/api/v1/totals/cases/" + caseA, "/api/v1/totals/entities/ai-france",
                "/api/v1/totals/matrix", "/api/v1/totals/days", "/api/v1/totals/report/cases")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json");
            given().auth().oauth2(entityKey("ai-france")).get(path).then().statusCode(403);
        }
        String matrix = coordinator().get("/api/v1/totals/matrix?campaign=" + campaign).then().statusCode(200)
                .body("cases", equalTo(List.of(caseA, caseB))).extract().asString();
        for (String role : List.of("case-manager", "delivery", "moderator")) {
            assertEquals(matrix, given().auth().oauth2(staffToken(role)).get("/api/v1/totals/matrix?campaign=" + campaign)
                    .then().statusCode(200).extract().asString(), role + " reads the same matrix");
        }
    }
}

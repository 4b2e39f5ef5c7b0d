package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CaseLifecycleTest extends RunningService {
    static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse post(String path, String body) {
        return given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON).body(body)
                .post(path).then();
    }

    static String campaign(Instant opens, Instant closes) {
        String id = id("camp");
        post("/api/v1/campaigns", """
                {"campaignId":"%s","name":"Edition","opensAt":"%s","closesAt":"%s"}""".formatted(id, opens, closes))
                .statusCode(201).body("campaignId", equalTo(id));
        return id;
    }

    static String openCampaign() {
        Instant now = Instant.now();
        return campaign(now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
    }

    static String newCase(String campaignId) {
        String caseId = id("case");
        post("/api/v1/cases", """
                {"caseId":"%s","campaignId":"%s","name":"Someone at risk","country":"mm",
                 "targetAuthority":"Minister of Justice","goal":1000}""".formatted(caseId, campaignId))
                .statusCode(201).body("status", equalTo("draft")).body("country", equalTo("MM"))
                .body("scope", equalTo("global"));
        return caseId;
    }

    static ValidatableResponse status(String caseId, String status) {
        return post("/api/v1/cases/" + caseId + "/status", "{\"status\":\"" + status + "\"}");
    }

    @Test
    void aCaseGoesFromDraftToActiveToClosedAndNeverBack() {
        String campaignId = openCampaign();
        String caseId = newCase(campaignId);
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);

        long active = status(caseId, "active").statusCode(200).body("status", equalTo("active"))
                .extract().jsonPath().getLong("version");
        assertEquals("active", effect(mark, caseId, active).status());
        status(caseId, "draft").statusCode(409).contentType("application/problem+json")
                .body("type", containsString("invalid-transition")).body("from", equalTo("active"));
        status(caseId, "paused").statusCode(400).body("field", equalTo("status"));
        long closed = status(caseId, "closed").statusCode(200).body("status", equalTo("closed"))
                .extract().jsonPath().getLong("version");
        assertTrue(closed > active, "each change has a higher version");
        assertEquals("closed", effect(mark, caseId, closed).status());
        status(caseId, "active").statusCode(409);
        status(caseId, "draft").statusCode(409);

        // the refused changes neither stored nor published anything: a later accepted write is the marker
        String marker = newCase(campaignId);
        await().atMost(Effects.BOUND).until(() -> !mark.caseEventsSince(marker).isEmpty());
        assertEquals(List.of(active, closed), mark.caseEventsSince(caseId).stream().map(CaseChanged::version).toList(),
                "one event per accepted change, none for a refused one");
        assertEquals("closed", effect(mark, caseId, closed).status());
    }

    /**
     * The accepted change at {@code version} everywhere: the row, the answer to a GET, and one event on 'cases' that
     * carries the same fields and version. Returns the event.
     */
    CaseChanged effect(Effects.Mark mark, String caseId, long version) {
        Map<String, Object> row = Effects.caseRow(db, caseId);
        assertEquals(version, row.get("revision"), "the stored version");
        JsonPath get = given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + caseId).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(version, get.getLong("version"));
        CaseChanged event = await().atMost(Effects.BOUND).until(() -> mark.caseEventsSince(caseId).stream()
                .filter(c -> c.version() == version).toList(), l -> !l.isEmpty()).get(0);
        assertEquals(1, mark.caseEventsSince(caseId).stream().filter(c -> c.version() == version).count(),
                "one event for one change");
        assertEquals(row.get("status"), event.status());
        assertEquals(get.getString("status"), event.status());
        assertEquals(row.get("goal"), event.goal());
        assertEquals(get.getLong("goal"), event.goal());
        assertEquals(row.get("public_counter"), event.publicCounter());
        assertEquals(get.getBoolean("publicCounter"), event.publicCounter());
        assertEquals(row.get("target_authority"), event.targetAuthority());
        assertEquals(get.getString("targetAuthority"), event.targetAuthority());
        assertEquals(row.get("name"), event.name());
        assertEquals(row.get("country"), event.country());
        assertEquals(row.get("campaign_id"), event.campaignId());
        assertEquals(row.get("scope"), event.scope());
        assertEquals(row.get("local_entity_id"), event.localEntityId());
        assertEquals(row.get("hold_id") == null, event.hold() == null);
        return event;
    }

    @Test
    void badCaseInputIsRefusedWithAClearProblem() {
        String campaignId = openCampaign();
        post("/api/v1/cases", "{\"caseId\":\"Not A Slug\",\"campaignId\":\"" + campaignId + "\",\"name\":\"x\",\"country\":\"MM\"}")
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("caseId"));
        post("/api/v1/cases", "{\"caseId\":\"" + id("c") + "\",\"campaignId\":\"" + campaignId + "\",\"name\":\"x\",\"country\":\"XZ\"}")
                .statusCode(400).body("field", equalTo("country"));
        post("/api/v1/cases", "{\"caseId\":\"" + id("c") + "\",\"campaignId\":\"no-such-campaign\",\"name\":\"x\",\"country\":\"MM\"}")
                .statusCode(404);
        post("/api/v1/cases", "{\"caseId\":\"" + id("c") + "\",\"campaignId\":\"" + campaignId
                + "\",\"name\":\"x\",\"country\":\"MM\",\"scope\":\"local\"}").statusCode(400).body("field", equalTo("localEntityId"));
        post("/api/v1/cases", "{\"caseId\":\"" + id("c") + "\",\"campaignId\":\"" + campaignId
                + "\",\"name\":\"x\",\"country\":\"MM\",\"goal\":-5}").statusCode(400).body("field", equalTo("goal"));
        String caseId = newCase(campaignId);
        post("/api/v1/cases", "{\"caseId\":\"" + caseId + "\",\"campaignId\":\"" + campaignId + "\",\"name\":\"x\",\"country\":\"MM\"}")
                .statusCode(409).body("type", containsString("duplicate-id"));
        post("/api/v1/cases", "{\"caseId\":").statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"name\":\"" + "x".repeat(2_000_000) + "\"}").post("/api/v1/cases")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void aClosedCampaignTakesNoNewCases() {
        Instant now = Instant.now();
        String closed = campaign(now.minus(90, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS));
        post("/api/v1/cases", "{\"caseId\":\"" + id("c") + "\",\"campaignId\":\"" + closed + "\",\"name\":\"x\",\"country\":\"MM\"}")
                .statusCode(422).body("type", containsString("campaign-closed"));
    }

    @Test
    void aLocalCaseBelongsToOneEntity() {
        String caseId = id("local");
        post("/api/v1/cases", """
                {"caseId":"%s","campaignId":"%s","name":"Facundo Astudillo Castro","country":"AR","scope":"local",
                 "localEntityId":"ai-argentina"}""".formatted(caseId, openCampaign()))
                .statusCode(201).body("scope", equalTo("local")).body("localEntityId", equalTo("ai-argentina"));
        post("/api/v1/cases", """
                {"caseId":"%s","campaignId":"%s","name":"x","country":"AR","scope":"local","localEntityId":"ai-nowhere"}"""
                .formatted(id("local"), openCampaign())).statusCode(404);
    }

    @Test
    void onlyCaseManagersWrite() {
        given().auth().oauth2(DemoCredentials.coordinator()).contentType(ContentType.JSON)
                .body("{\"caseId\":\"x\",\"campaignId\":\"w4r-demo\",\"name\":\"x\",\"country\":\"MM\"}")
                .post("/api/v1/cases").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(DemoCredentials.token("ai-france")).contentType(ContentType.JSON)
                .body("{\"reason\":\"x\"}").put("/api/v1/cases/el-hiblu-3/hold").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/campaigns").then().statusCode(401);
    }

    /** Issue 16.5: a case's own milestones, kept ascending and once each, on the topic, and back to the default. */
    @Test
    void aCaseMayHaveMilestonesOfItsOwn() {
        String campaignId = openCampaign();
        String caseId = id("case");
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);
        long created = post("/api/v1/cases", """
                {"caseId":"%s","campaignId":"%s","name":"Someone at risk","country":"MM","goal":2000,
                 "milestones":[100,10,50,10]}""".formatted(caseId, campaignId))
                .statusCode(201).body("milestones", equalTo(List.of(10, 50, 100))).extract().jsonPath().getLong("version");
        assertEquals(List.of(10, 50, 100), effect(mark, caseId, created).milestones());

        long reset = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"milestones\":[]}").patch("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("milestones", org.hamcrest.Matchers.nullValue()).extract().jsonPath().getLong("version");
        assertEquals(null, effect(mark, caseId, reset).milestones(), "an empty list goes back to the default");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"goal\":10}").patch("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("milestones", org.hamcrest.Matchers.nullValue());

        for (String bad : List.of("[0]", "[1001]", "[null]", "[1,2,3,4,5,6,7,8,9,10,11]", "\"half\"")) {
            given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                    .body("{\"milestones\":" + bad + "}").patch("/api/v1/cases/" + caseId).then().statusCode(400)
                    .body("field", containsString("milestones"));
        }
    }

    /** Issue 21.5: the demand the pack's cover prints travels with the case; an empty text clears it. */
    @Test
    void aCaseCarriesItsDemandToEveryService() {
        String campaignId = openCampaign();
        String caseId = id("case");
        String demand = "Release him immediately and unconditionally";
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);
        long created = post("/api/v1/cases", """
                {"caseId":"%s","campaignId":"%s","name":"Someone at risk","country":"MM","goal":2000,
                 "targetAuthority":"Authorities of Myanmar","demand":"  %s "}""".formatted(caseId, campaignId, demand))
                .statusCode(201).body("demand", equalTo(demand)).extract().jsonPath().getLong("version");
        assertEquals(demand, effect(mark, caseId, created).demand());

        long goal = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"goal\":10}").patch("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("demand", equalTo(demand)).extract().jsonPath().getLong("version");
        assertEquals(demand, effect(mark, caseId, goal).demand(), "an edit that names no demand keeps it");
        long cleared = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"demand\":\"\"}").patch("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("demand", org.hamcrest.Matchers.nullValue()).extract().jsonPath().getLong("version");
        assertEquals(null, effect(mark, caseId, cleared).demand(), "an empty text clears it");
        for (String bad : List.of("\"" + "x".repeat(1001) + "\"", "\"two\\nlines\"")) {
            given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                    .body("{\"demand\":" + bad + "}").patch("/api/v1/cases/" + caseId).then().statusCode(400)
                    .body("field", containsString("demand"));
        }
    }

    @Test
    void editsChangeTheCaseAndItsPublicCounterSwitch() {
        String campaignId = openCampaign();
        String caseId = newCase(campaignId);
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);
        long before = (long) Effects.caseRow(db, caseId).get("revision");

        long edited = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"goal\":5000,\"publicCounter\":false,\"targetAuthority\":\"President\"}")
                .patch("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("goal", equalTo(5000)).body("publicCounter", equalTo(false))
                .body("targetAuthority", equalTo("President")).extract().jsonPath().getLong("version");
        assertTrue(edited > before, "an edit gives the case a higher version");
        CaseChanged event = effect(mark, caseId, edited);
        assertEquals(5000L, event.goal());
        assertFalse(event.publicCounter(), "the switch travels, so the public counter goes off everywhere");
        assertEquals("President", event.targetAuthority());
        assertEquals("Someone at risk", event.name(), "what the edit did not name stays");
        assertEquals("draft", event.status());

        // a refused edit changes nothing, anywhere
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"goal\":-1,\"publicCounter\":true}").patch("/api/v1/cases/" + caseId)
                .then().statusCode(400).body("field", equalTo("goal"));
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"goal\":1}").patch("/api/v1/cases/no-such-case").then().statusCode(404);
        String marker = newCase(campaignId);
        await().atMost(Effects.BOUND).until(() -> !mark.caseEventsSince(marker).isEmpty());
        assertEquals(List.of(edited), mark.caseEventsSince(caseId).stream().map(CaseChanged::version).toList());
        Map<String, Object> row = Effects.caseRow(db, caseId);
        assertEquals(5000L, row.get("goal"));
        assertEquals(false, row.get("public_counter"));
        assertEquals(edited, row.get("revision"));
    }
}

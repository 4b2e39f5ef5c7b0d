package org.w4r.cases;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class CaseLifecycleTest {

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
        String caseId = newCase(openCampaign());
        status(caseId, "active").statusCode(200).body("status", equalTo("active"));
        status(caseId, "draft").statusCode(409).contentType("application/problem+json")
                .body("type", containsString("invalid-transition")).body("from", equalTo("active"));
        status(caseId, "closed").statusCode(200).body("status", equalTo("closed"));
        status(caseId, "active").statusCode(409);
        status(caseId, "paused").statusCode(400).body("field", equalTo("status"));
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

    @Test
    void editsChangeTheCaseAndItsPublicCounterSwitch() {
        String caseId = newCase(openCampaign());
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"goal\":5000,\"publicCounter\":false,\"targetAuthority\":\"President\"}")
                .patch("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("goal", equalTo(5000)).body("publicCounter", equalTo(false))
                .body("targetAuthority", equalTo("President"));
    }
}

package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class CsvImportTest extends RunningService {
    @Test
    void anEntityImportsItsOwnLocalCases() {
        String campaign = CaseLifecycleTest.openCampaign();
        String a = CaseLifecycleTest.id("local"), b = CaseLifecycleTest.id("local");
        given().auth().oauth2(DemoCredentials.token("ai-australia")).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions\n" + a + ",A national story,Australia,AU,1000\n"
                        + b + ",Another story,Australia,AU,\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import")
                .then().statusCode(201).body("$", hasSize(2))
                .body("[0].scope", equalTo("local")).body("[0].localEntityId", equalTo("ai-australia"))
                .body("[0].goal", equalTo(1000))
                // an entity proposes cases; a case manager reviews and activates them
                .body("[0].status", equalTo("draft")).body("[0].publicCounter", equalTo(false))
                .body("[1].status", equalTo("draft")).body("[1].publicCounter", equalTo(false));
        given().auth().oauth2(DemoCredentials.token("ai-australia")).contentType("text/csv")
                .body("case_id,name,country,iso2,status\n" + CaseLifecycleTest.id("l") + ",x,Australia,AU,active\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import").then().statusCode(403);
        CaseLifecycleTest.status(a, "active").statusCode(200).body("status", equalTo("active"));
        given().auth().oauth2(DemoCredentials.token("ai-australia")).contentType("text/csv")
                .body("case_id,name,country,iso2,scope\n" + CaseLifecycleTest.id("g") + ",x,Australia,AU,global\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import").then().statusCode(403);
    }

    @Test
    void oneBadRowRefusesTheWholeFileNamingItsLine() {
        String campaign = CaseLifecycleTest.openCampaign();
        String good = CaseLifecycleTest.id("good");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions\n" + good + ",Good,Malta,MT,10\nBad Id,Bad,Malta,MT,10\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import")
                .then().statusCode(400).contentType("application/problem+json").body("line", equalTo(3));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + good).then().statusCode(404);
    }

    @Test
    void entitiesImportFromTheReportsFormat() {
        String id = CaseLifecycleTest.id("ai-test");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + id + ",Test section,12\n")
                .post("/api/v1/entities/import").then().statusCode(201).body("[0].kind", equalTo("section"));
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + id + ",Again,12\n")
                .post("/api/v1/entities/import").then().statusCode(409).body("line", equalTo(2));
    }
}

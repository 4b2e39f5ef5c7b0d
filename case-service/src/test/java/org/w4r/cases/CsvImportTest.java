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

    /**
     * Issue 21: the admin page previews a file before anything is written. Every line is checked with the import's
     * own rules, each refusal kept with its line (a bad shape, a duplicate of an earlier line, an unknown entity, an
     * existing id), and nothing is stored, published or audited; the same file without the bad lines then imports.
     */
    @Test
    void aDryRunNamesEveryRefusedLineAndWritesNothing() {
        String campaign = CaseLifecycleTest.openCampaign();
        String a = CaseLifecycleTest.id("dry"), b = CaseLifecycleTest.id("dry"), taken = CaseLifecycleTest.newCase(campaign);
        String lines = "case_id,name,country,iso2,estimated_actions,scope,local_entity_id\n"
                + a + ",Fine,Malta,MT,10,,\n"              // line 2
                + "Bad Id,Bad,Malta,MT,10,,\n"              // 3: shape
                + a + ",Again,Malta,MT,10,,\n"             // 4: the id of line 2
                + b + ",Local,Malta,MT,10,local,no-such-entity\n" // 5: unknown entity
                + taken + ",Exists,Malta,MT,10,,\n";        // 6: stored already
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv").body(lines)
                .post("/api/v1/campaigns/" + campaign + "/cases/import?dryRun=true")
                .then().statusCode(200).body("dryRun", equalTo(true)).body("lines", equalTo(5)).body("refused", equalTo(4))
                .body("results.line", equalTo(java.util.List.of(2, 3, 4, 5, 6)))
                .body("results.status", equalTo(java.util.List.of("ok", "refused", "refused", "refused", "refused")))
                .body("results[0].id", equalTo(a)).body("results[0].problem", equalTo(null))
                .body("results[1].problem.field", equalTo("caseId")).body("results[1].problem.line", equalTo(3))
                .body("results[2].problem.type", org.hamcrest.Matchers.endsWith("duplicate-id"))
                .body("results[3].problem.status", equalTo(404))
                .body("results[4].problem.type", org.hamcrest.Matchers.endsWith("duplicate-id"));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + a).then().statusCode(404);
        AuditTrailTest.trail("subjectId=" + a).then().statusCode(200).body("entries", hasSize(0));

        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions\n" + a + ",Fine,Malta,MT,10\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import?dryRun=true")
                .then().statusCode(200).body("refused", equalTo(0)).body("results[0].status", equalTo("ok"));
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions\n" + a + ",Fine,Malta,MT,10\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import").then().statusCode(201);
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + a).then().statusCode(200);
    }

    @Test
    void anEntityDryRunChecksEveryLine() {
        String fresh = CaseLifecycleTest.id("ai-dry");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions,country\n" + fresh + ",Dry section,1,MT\nai-france,Exists,1,FR\n"
                        + fresh + "-2,Bad country,1,XX\n")
                .post("/api/v1/entities/import?dryRun=true")
                .then().statusCode(200).body("refused", equalTo(2))
                .body("results.status", equalTo(java.util.List.of("ok", "refused", "refused")))
                .body("results[2].problem.field", equalTo("country"));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/entities/" + fresh).then().statusCode(404);
        given().auth().oauth2(DemoCredentials.coordinator()).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + fresh + ",x,1\n")
                .post("/api/v1/entities/import?dryRun=true").then().statusCode(403);
    }
}

package org.w4r.cases;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.w4r.cases.demo.DemoLoader;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** The public case list: what entity websites read from the browser; a held case is never in it. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class PublicCaseListTest {

    @Test
    void theDemoCaseOnHoldIsNotListed() {
        given().get("/public/v1/cases").then().statusCode(200)
                .body("caseId", hasItem("khaled-drareni"))
                .body("caseId", not(hasItem(DemoLoader.HELD_CASE)))
                .body(not(containsString("Paing Phyo Min")));
    }

    /** Held, the case leaves the list with the answer to the hold; lifted, it is back; its campaign is made current. */
    @Test
    void aCasePutOnHoldLeavesTheListAtOnce() {
        String campaignId = CaseLifecycleTest.openCampaign();
        String caseId = CaseLifecycleTest.newCase(campaignId);
        CaseLifecycleTest.status(caseId, "active").statusCode(200);
        String manager = DemoCredentials.caseManager();
        // the demo campaign being current is shared state other tests read: current again afterwards, whatever fails
        try {
            given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"current\":true}")
                    .patch("/api/v1/campaigns/" + campaignId).then().statusCode(200);
            given().get("/public/v1/cases").then().statusCode(200).body("caseId", equalTo(java.util.List.of(caseId)));

            long holdId = given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"reason\":\"threats\"}")
                    .put("/api/v1/cases/" + caseId + "/hold").then().statusCode(200).extract().jsonPath().getLong("hold.holdId");
            given().get("/public/v1/cases").then().statusCode(200).body("caseId", not(hasItem(caseId)))
                    .body(not(containsString("Someone at risk")));

            given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + holdId).then().statusCode(200);
            given().get("/public/v1/cases").then().statusCode(200).body("caseId", hasItem(caseId));
        } finally {
            given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"current\":true}")
                    .patch("/api/v1/campaigns/w4r-demo").then().statusCode(200);
        }
    }

    /**
     * A query parameter is refused before the database is read: a CDN keeps a copy per URL, so a made-up one made each
     * anonymous request a miss that reached the database (a read-only review, 7 December 2026).
     */
    @Test
    void aQueryParameterIsRefusedSoNoURLGoesPastACache() {
        for (String query : java.util.List.of("?x=1", "?v=" + java.util.UUID.randomUUID(), "?campaign=w4r-demo", "?x")) {
            given().header("Origin", "https://www.amnesty.example").get("/public/v1/cases" + query).then()
                    .statusCode(400).contentType("application/problem+json").header("Access-Control-Allow-Origin", "*");
        }
        given().get("/public/v1/cases").then().statusCode(200);
    }

    @Test
    void anyOriginMayReadItAndRevalidateWithTheETag() {
        String etag = given().header("Origin", "https://www.amnesty.example").get("/public/v1/cases").then()
                .statusCode(200).header("Access-Control-Allow-Origin", "*")
                .header("Cache-Control", containsString("public")).header("Cache-Control", containsString("max-age="))
                .header("ETag", notNullValue()).extract().header("ETag");
        given().header("Origin", "https://www.amnesty.example").header("If-None-Match", etag).get("/public/v1/cases")
                .then().statusCode(304).header("ETag", equalTo(etag)).header("Access-Control-Allow-Origin", "*");
        given().header("If-None-Match", "\"something-else\"").get("/public/v1/cases").then().statusCode(200)
                .header("ETag", equalTo(etag));
        // the staff UI's origin keeps its CORS on /api/
        given().header("Origin", "http://localhost:8084").auth().oauth2(DemoCredentials.coordinator())
                .get("/api/v1/campaigns").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:8084");
    }
}

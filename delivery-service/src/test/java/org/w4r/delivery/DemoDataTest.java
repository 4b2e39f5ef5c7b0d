package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.delivery.demo.DemoLoader;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 2020 report's handovers as demo data, with paing-phyo-min's plan held as it was on 1 February 2021. */
@QuarkusTest
class DemoDataTest extends RunningService {
    @Inject
    DemoLoader demo;

    @Test
    void theReportsOutstandingDeliveriesArePlannedOnceAndTheHeldPlanCannotBeRecordedNorItsSignersExported() {
        int loaded = demo.load();
        assertEquals(4, loaded, "four rows of handovers.csv are planned or on hold");
        assertEquals(0, demo.load(), "loaded only once");

        List<Map<String, Object>> all = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.campaignId == 'w4r-demo' }");
        // the report's delivered rows are the 2020 edition's (replay's DemoEdition), not handovers of this campaign
        assertEquals(4, all.size());
        assertTrue(all.stream().allMatch(d -> "planned".equals(d.get("status"))), all.toString());
        // planned in the coming weeks, one a week
        Instant now = Instant.now();
        assertTrue(all.stream().map(d -> Instant.parse((String) d.get("plannedFor")))
                .allMatch(at -> at.isAfter(now) && at.isBefore(now.plus(java.time.Duration.ofDays(35)))), all.toString());

        JsonPath nairobi = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=germain-rukuki")
                .then().statusCode(200).extract().jsonPath().setRootPath("find { it.campaignId == 'w4r-demo' }");
        assertEquals("petition", nairobi.getString("kind"));
        assertEquals("embassy", nairobi.getString("recipient.kind"));
        assertEquals("Burundian Ambassador in Kenya", nairobi.getString("recipient.name"));
        assertEquals("Nairobi", nairobi.getString("place.city"));
        assertEquals("KE", nairobi.getString("place.country"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=jani-silva").then().statusCode(200)
                .body("find { it.campaignId == 'w4r-demo' }.recipient.kind", equalTo("rights-holder"))
                .body("find { it.campaignId == 'w4r-demo' }.place.country", equalTo("CO"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=el-hiblu-3").then().statusCode(200)
                .body("findAll { it.campaignId == 'w4r-demo' }", org.hamcrest.Matchers.empty());

        String held = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=paing-phyo-min").then()
                .statusCode(200).body("find { it.campaignId == 'w4r-demo' }.status", equalTo("planned"))
                .extract().path("find { it.campaignId == 'w4r-demo' }.id");

        // case-service's demo data holds paing-phyo-min from 1 February 2021; here the test publishes that hold
        Streams.publish(kafka, Topics.CASES, "paing-phyo-min", new CaseChanged(UUID.randomUUID(), "paing-phyo-min",
                "test-campaign", "Paing Phyo Min", "MM", "Authorities of Myanmar", "global", null, 300933L, "active", false,
                new CaseChanged.Hold(1, Instant.parse("2021-02-01T08:00:00Z")), ReferenceFixtures.version(), Instant.now()));
        try {
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                    .post("/api/v1/deliveries/" + held + "/handover").then().statusCode(409)
                    .contentType("application/problem+json").body("type", endsWith("/case-on-hold"))
                    .body("hold.placedAt", equalTo("2021-02-01T08:00:00Z"));
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + held + "/pack").then().statusCode(409)
                    .body("type", endsWith("/case-on-hold"));
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.planBody("paing-phyo-min", "petition"))
                    .post("/api/v1/deliveries").then().statusCode(409).body("type", endsWith("/case-on-hold"));
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + held).then().body("status", equalTo("planned"));
        } finally {
            // leave the shared fixture as other test classes expect it
            Streams.publish(kafka, Topics.CASES, "paing-phyo-min", new CaseChanged(UUID.randomUUID(), "paing-phyo-min",
                    "test-campaign", "paing-phyo-min", "MT", "Authorities", "global", null, 1000L, "active", true, null,
                    ReferenceFixtures.version(), Instant.now()));
            await().untilAsserted(() -> given().auth().oauth2(DELIVERY).get("/api/v1/cases/paing-phyo-min")
                    .then().body("onHold", equalTo(false)));
        }
    }
}

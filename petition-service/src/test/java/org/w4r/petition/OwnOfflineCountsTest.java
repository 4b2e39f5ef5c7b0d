package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** The entity portal's list of an entity's own offline counts: its own, with their corrections, and nobody else's. */
@QuarkusTest
@WithPlatformResources
class OwnOfflineCountsTest {

    static String report(String entity, String eventName, int count) {
        return ActionKindsTest.post(entity, "/api/v1/offline-counts", """
                {"caseId":"el-hiblu-3","type":"letter","count":%d,"event":{"name":"%s","date":"%s","place":"Lyon"}}"""
                .formatted(count, eventName, LocalDate.now(ZoneOffset.UTC))).statusCode(202)
                .extract().path("results[0].actionId");
    }

    @Test
    void anEntityListsItsOwnCountsNewestFirstWithTheirCorrections() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String first = report("ai-france", "School fair " + run, 1250);
        String second = report("ai-france", "Concert " + run, 40);
        String malta = report("ai-malta", "Valletta stand " + run, 7);
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body("{\"delta\":-50,\"reason\":\"double-counted box\"}")
                .post("/api/v1/offline-counts/" + first + "/corrections").then().statusCode(201);

        List<String> ids = given().auth().oauth2(entityKey("ai-france")).get("/api/v1/offline-counts?limit=1000").then()
                .statusCode(200).body("offlineCountId", hasItem(first)).body("offlineCountId", not(hasItem(malta)))
                .body("find { it.offlineCountId == '" + first + "' }.eventName", equalTo("School fair " + run))
                .body("find { it.offlineCountId == '" + first + "' }.eventPlace", equalTo("Lyon"))
                .body("find { it.offlineCountId == '" + first + "' }.count", equalTo(1250))
                .body("find { it.offlineCountId == '" + first + "' }.net", equalTo(1200))
                .body("find { it.offlineCountId == '" + first + "' }.corrections[0].delta", equalTo(-50))
                .body("find { it.offlineCountId == '" + first + "' }.corrections[0].reason", equalTo("double-counted box"))
                .body("find { it.offlineCountId == '" + second + "' }.corrections.size()", equalTo(0))
                .extract().path("offlineCountId");
        assertTrue(ids.indexOf(second) < ids.indexOf(first), "newest first");

        // another entity's key lists its own, and none of the first entity's
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/offline-counts?limit=1000").then().statusCode(200)
                .body("offlineCountId", hasItem(malta)).body("offlineCountId", not(hasItem(first)))
                .body("offlineCountId", not(hasItem(second))).body("eventName", everyItem(not(equalTo("Concert " + run))));
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/offline-counts/" + first).then().statusCode(404);
    }

    @Test
    void filtersAndLimits() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        report("ai-france", "Older " + run, 3);
        String newest = report("ai-france", "Newest " + run, 4);
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/offline-counts?limit=1").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].offlineCountId", equalTo(newest));
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/offline-counts?caseId=paing-phyo-min&limit=1000").then()
                .statusCode(200).body("offlineCountId", not(hasItem(newest)));
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/offline-counts?campaignId=no-such-campaign").then()
                .statusCode(200).body("size()", equalTo(0));
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/offline-counts?limit=0").then().statusCode(400);
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/offline-counts?caseId=Not%20A%20Slug").then().statusCode(400);
        List<String> ofCase = given().auth().oauth2(entityKey("ai-france"))
                .get("/api/v1/offline-counts?caseId=el-hiblu-3&limit=1000").then().statusCode(200).extract().path("caseId");
        assertTrue(ofCase.stream().allMatch("el-hiblu-3"::equals), "only the case asked for");
        assertEquals(newest, given().auth().oauth2(entityKey("ai-france"))
                .get("/api/v1/offline-counts?caseId=el-hiblu-3&limit=1").then().extract().path("[0].offlineCountId"));
    }

    @Test
    void staffAndAnonymousGetNothing() {
        for (String role : ReferenceFixtures.STAFF_ROLES) {
            given().auth().oauth2(staffToken(role)).get("/api/v1/offline-counts").then().statusCode(403);
        }
        given().get("/api/v1/offline-counts").then().statusCode(401);
    }
}

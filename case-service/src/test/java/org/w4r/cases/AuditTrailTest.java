package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 15, point 6: every staff and entity-key write of case-service lands in its append-only audit trail. */
@QuarkusTest
class AuditTrailTest extends RunningService {
    static Response trail(String query) {
        return given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/audit?" + query);
    }

    @Test
    void aHoldIsRecordedWithWhoWhenAndFromWhereButNeverItsReason() {
        Instant before = Instant.now().minusSeconds(1);
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        String manager = DemoCredentials.caseManager();
        long holdId = given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"reason\":\"the family was threatened\"}")
                .put("/api/v1/cases/" + caseId + "/hold").then().statusCode(200).extract().jsonPath().getLong("hold.holdId");
        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + holdId).then().statusCode(200);

        Response page = trail("subjectId=" + caseId);
        page.then().statusCode(200).body("more", equalTo(false))
                .body("entries.action", equalTo(List.of("case.hold.lifted", "case.hold.placed", "case.created")))
                .body("entries.actor", everyItem(equalTo("demo-case-manager")))
                .body("entries.actorRole", everyItem(equalTo("case-manager")))
                .body("entries.keyId", everyItem(not(equalTo(null))))
                .body("entries.source", everyItem(equalTo("127.0.0.1")))
                .body("entries[1].detail.holdId", not(equalTo(null)));
        assertFalse(page.asString().contains("threatened"), "a hold's reason never enters the trail");
        assertTrue(Instant.parse(page.path("entries[0].at")).isAfter(before));

        trail("subjectId=" + caseId + "&action=case.hold.").then().statusCode(200).body("entries", hasSize(2));
        trail("subjectId=" + caseId + "&action=case.hold.placed").then().body("entries", hasSize(1));
        trail("subjectId=" + caseId + "&from=" + Instant.now().plusSeconds(60)).then().body("entries", hasSize(0));
        trail("subjectId=" + caseId + "&limit=1").then().body("entries", hasSize(1)).body("more", equalTo(true));
    }

    /** Issue 21: a case manager edits an entity from the admin page; the id stays, the change is on the trail. */
    @Test
    void anEntityEditChangesWhatIsNamedAndIsRecorded() {
        String entityId = CredentialsTest.newEntity();
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"name\":\" Renamed section \",\"country\":\"mt\"}")
                .patch("/api/v1/entities/" + entityId).then().statusCode(200)
                .body("entityId", equalTo(entityId)).body("name", equalTo("Renamed section"))
                .body("country", equalTo("MT"));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/entities/" + entityId).then()
                .body("name", equalTo("Renamed section")).body("kind", equalTo("section"));
        trail("subjectId=" + entityId + "&action=entity.updated").then().statusCode(200)
                .body("entries", hasSize(1)).body("entries[0].detail.fields", equalTo(List.of("name", "country")));
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON).body("{\"country\":\"XX\"}")
                .patch("/api/v1/entities/" + entityId).then().statusCode(400).body("field", equalTo("country"));
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .patch("/api/v1/entities/no-such-entity").then().statusCode(404);
        given().auth().oauth2(DemoCredentials.coordinator()).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .patch("/api/v1/entities/" + entityId).then().statusCode(403);
    }

    @Test
    void keysEntitiesCampaignsAndStatusChangesAreRecordedAndExportableAsCsv() {
        String entityId = CredentialsTest.newEntity();
        String key = CredentialsTest.managerKey(entityId, null);
        String keyId = given().auth().oauth2(key).get("/api/v1/entities/" + entityId + "/keys").then().statusCode(200)
                .extract().path("[0].keyId");
        given().auth().oauth2(DemoCredentials.caseManager()).delete("/api/v1/entities/" + entityId + "/keys/" + keyId)
                .then().statusCode(204);
        trail("entityId=" + entityId).then().statusCode(200)
                .body("entries.action", equalTo(List.of("key.revoked", "key.issued", "entity.created")))
                .body("entries[0].subjectId", equalTo(keyId))
                .body("entries[0].actor", equalTo("demo-case-manager"));

        String campaignId = CaseLifecycleTest.openCampaign();
        String caseId = CaseLifecycleTest.newCase(campaignId);
        CaseLifecycleTest.status(caseId, "active").statusCode(200);
        trail("subjectId=" + caseId + "&action=case.status.changed").then()
                .body("entries[0].detail", equalTo(Map.of("from", "draft", "to", "active")));
        trail("subjectId=" + campaignId).then().body("entries[0].action", equalTo("campaign.created"));

        String csv = given().auth().oauth2(DemoCredentials.coordinator()).accept("text/csv")
                .get("/api/v1/audit?subjectId=" + caseId).then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        assertTrue(csv.startsWith("id,at,actor,actorRole,actorEntity,keyId,source,action,subjectType,subjectId,entityId,detail"), csv);
        assertTrue(csv.contains("case.status.changed"), csv);
    }

    @Test
    void onlyCoordinatorsReadTheTrailAndBadFiltersAreTheCallersFault() {
        given().get("/api/v1/audit").then().statusCode(401);
        given().auth().oauth2(DemoCredentials.caseManager()).get("/api/v1/audit").then().statusCode(403);
        trail("from=yesterday").then().statusCode(400).contentType("application/problem+json").body("field", equalTo("from"));
        trail("limit=0").then().statusCode(400);
        trail("limit=10001").then().statusCode(400);
        trail("action=DROP%20TABLE").then().statusCode(400);
    }

    @Test
    void theTrailIsAppendOnlyEvenForTheServicesOwnDatabaseRole() throws SQLException {
        CaseLifecycleTest.openCampaign();
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
            SQLException update = assertThrows(SQLException.class, () -> statement.executeUpdate("update audit_entry set actor = 'x'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> statement.executeUpdate("delete from audit_entry"));
            assertThrows(SQLException.class, () -> statement.executeUpdate("truncate audit_entry"));
        }
        trail("action=campaign.created&limit=1").then().statusCode(200).body("entries[0].actor", containsString("demo"));
    }
}

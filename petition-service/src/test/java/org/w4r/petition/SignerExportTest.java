package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

@QuarkusTest
@WithPlatformResources
class SignerExportTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    AgroalDataSource db;

    /**
     * A case of its own, once petition-service knows it: a signature sent before its reference data has the case is
     * refused 404 (aHeldCaseExportsNothing, CI of 4 December 2026); the export itself catches up with the stream.
     */
    String activeCase() {
        String caseId = "export-" + UUID.randomUUID().toString().substring(0, 8);
        setCase(caseId, null);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth()
                .oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv").then().statusCode(200));
        return caseId;
    }

    void setCase(String caseId, CaseChanged.Hold hold) {
        ReferenceFixtures.publishCase(kafka, caseId, hold);
    }

    void sign(String caseId, String name, boolean showName, Instant at) {
        sign("ai-france", caseId, name, "FR", showName, at);
    }

    /** A signature taken through {@code entityId}'s website (its own key). */
    void sign(String entityId, String caseId, String name, String country, boolean showName, Instant at) {
        given().auth().oauth2(entityKey(entityId)).contentType(ContentType.JSON).body("""
                        {"caseIds":["%s"],"signer":{"name":"%s","email":"%s@example.org","country":"%s"},
                         "consent":{"showName":%s},"occurredAt":"%s"}"""
                        .formatted(caseId, name, UUID.randomUUID(), country, showName, at))
                .post("/api/v1/signatures").then().statusCode(202);
    }

    String export(String caseId, String query) {
        return given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv" + query)
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
    }

    /**
     * A delivery planned for one entity hands over that entity's petition: its pack asks for the entity's signers.
     * The export had no entity until a read-only audit (4 December 2026) found that such a pack named every entity's
     * consenting signers of the case; without an entity (a global handover) it is still every entity's.
     */
    @Test
    void anEntityAsksForTheSignersTakenThroughItAndAGlobalHandoverForEveryEntitys() {
        String caseId = activeCase();
        Instant early = Instant.now().minus(Duration.ofHours(2));
        sign("ai-france", caseId, "Ada Lovelace", "FR", true, early);
        sign("ai-malta", caseId, "Mario Borg", "MT", true, early.plusSeconds(1));
        sign("ai-malta", caseId, "Not Shown", "MT", false, early.plusSeconds(2));
        sign("ai-france", caseId, "Marie Curie", "FR", true, early.plusSeconds(3));
        sign("ai-malta", caseId, "Late Maltese", "MT", true, Instant.now());

        String until = "?until=" + early.plusSeconds(60);
        assertEquals("name,country\n\"Mario Borg\",MT\n", export(caseId, until + "&entityId=ai-malta"));
        assertEquals("name,country\n\"Ada Lovelace\",FR\n\"Marie Curie\",FR\n", export(caseId, until + "&entityId=ai-france"));
        assertEquals("name,country\n\"Mario Borg\",MT\n\"Late Maltese\",MT\n", export(caseId, "?entityId=ai-malta"));
        // an entity that took no signature of the case has an empty list, not the case's
        assertEquals("name,country\n", export(caseId, until + "&entityId=international-members"));
        assertEquals("name,country\n\"Ada Lovelace\",FR\n\"Mario Borg\",MT\n\"Marie Curie\",FR\n", export(caseId, until));

        // an empty one too: it would otherwise arrive as none, and answer with every entity's signers
        for (String bad : java.util.List.of("AI-Malta", "ai%20malta", "-ai-malta", "ai-malta%0A", "x".repeat(65), "")) {
            given().auth().oauth2(staffToken("delivery")).urlEncodingEnabled(false)
                    .get("/api/v1/cases/" + caseId + "/signers.csv?entityId=" + bad)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", containsString("invalid-field")).body("field", equalTo("entityId"));
        }
        // still the delivery team's alone, whichever entity is asked for
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/cases/" + caseId + "/signers.csv?entityId=ai-malta")
                .then().statusCode(403);
        given().auth().oauth2(entityKey("ai-malta")).get("/api/v1/cases/" + caseId + "/signers.csv?entityId=ai-malta")
                .then().statusCode(403);
    }

    @Test
    void aHeldCaseExportsNoEntitysSignersEither() {
        String caseId = activeCase();
        sign("ai-malta", caseId, "Someone", "MT", true, Instant.now().minusSeconds(5));
        setCase(caseId, new CaseChanged.Hold(2, Instant.now()));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv?entityId=ai-malta")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("case-on-hold")).body("hold.holdId", equalTo(2));
    }

    @Test
    void theListHasConsentingSignersUpToTheCutoffAndNoFormulas() {
        String caseId = activeCase();
        Instant early = Instant.now().minus(Duration.ofHours(2));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signers.csv").then().statusCode(200));
        sign(caseId, "Ada Lovelace", true, early);
        sign(caseId, "Not Shown", false, early.plusSeconds(1));
        sign(caseId, "=HYPERLINK(\\\"http://evil\\\")", true, early.plusSeconds(2));
        sign(caseId, "Late Signer", true, Instant.now());

        String csv = given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signers.csv?until=" + early.plusSeconds(60))
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertEquals("name,country\n\"Ada Lovelace\",FR\n\"'=HYPERLINK(\"\"http://evil\"\")\",FR\n", csv);

        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/cases/" + caseId + "/signers.csv").then().statusCode(403);
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv?until=yesterday")
                .then().statusCode(400);
    }

    @Test
    void aHeldCaseExportsNothing() {
        String caseId = activeCase();
        sign(caseId, "Someone", true, Instant.now().minusSeconds(5));
        setCase(caseId, new CaseChanged.Hold(1, Instant.now()));
        // no waiting: the export itself waits until it has read every hold published before the request
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", containsString("case-on-hold")).body("hold.holdId", equalTo(1));
    }

    @Test
    void anErasedSignerLeavesTheListButStillCountsOnce() throws SQLException {
        String caseId = activeCase();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(staffToken("delivery"))
                .get("/api/v1/cases/" + caseId + "/signers.csv").then().statusCode(200));
        String email = "forget-me-" + UUID.randomUUID() + "@example.org";
        String actionId = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(email, caseId).replace("\"signer\"", "\"consent\":{\"showName\":true},\"signer\""))
                .post("/api/v1/signatures").then().statusCode(202).extract().path("results[0].actionId");
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv")
                .then().statusCode(200).body(equalTo("name,country\n\"Ada Lovelace\",FR\n")); // listed before
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).body("{\"email\":\"" + email + "\"}")
                .post("/api/v1/erasures").then().statusCode(202).body("status", equalTo("accepted"));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId + "/signers.csv")
                .then().statusCode(200).body(equalTo("name,country\n"));
        // hidden would also leave the list: erased means the name and country are gone from the database
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select name, country, email_hmac from signature where action_id = cast(? as uuid)")) {
            s.setString(1, actionId);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertNull(rs.getString("name"), "name erased, not only hidden");
                assertNull(rs.getString("country"), "country erased");
                assertNotNull(rs.getString("email_hmac"), "the keyed hash stays: the signer still counts once");
            }
        }
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body(email, caseId)).post("/api/v1/signatures")
                .then().statusCode(202).body("results[0].status", equalTo("duplicate"));
    }
}

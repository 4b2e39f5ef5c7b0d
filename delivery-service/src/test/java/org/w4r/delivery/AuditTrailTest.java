package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionType;

import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.w4r.delivery.Waiting.await;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** Issue 15, point 6: plans, handovers, cancellations and issued packs land in delivery-service's audit trail. */
@QuarkusTest
class AuditTrailTest extends RunningService {
    static Response trail(String query) {
        return given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?" + query);
    }

    @Test
    void aDeliverysLifeIsOnRecordWithWhoAndTheFrozenCountButNoNames() {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        Streams.publish(kafka, org.w4r.events.Topics.ACTIONS, caseId,
                Streams.action(caseId, "ai-malta", ActionType.LETTER, 40, cutoff.minusSeconds(10)));
        await().untilAsserted(() -> assertEquals(40L, HandoverCountsTest.counts(caseId, cutoff, "petition").getLong("total")));
        PetitionStub.SIGNERS_CSV.put(caseId, "name,country\r\nMarie Curie,FR\r\n");
        String id = Streams.plan(caseId, "petition");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200);
        String sha256 = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(200)
                .extract().header("X-Pack-SHA256");
        String cancelled = Streams.plan(caseId, "solidarity");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body("{\"reason\":\"the consul refused\"}")
                .post("/api/v1/deliveries/" + cancelled + "/cancel").then().statusCode(200);

        Response page = trail("subjectId=" + id);
        page.then().statusCode(200)
                .body("entries.action", equalTo(List.of("delivery.pack.issued", "delivery.handed-over", "delivery.planned")))
                .body("entries.actorRole", everyItem(equalTo("delivery")))
                .body("entries.detail.caseId", everyItem(equalTo(caseId)))
                .body("entries[0].detail.sha256", equalTo(sha256))
                .body("entries[1].detail.actions", equalTo(40))
                .body("entries[1].detail.cutoff", equalTo(cutoff.toString()));
        assertFalse(page.asString().contains("Curie"), "no signer in the trail");
        assertFalse(page.asString().contains("Team Malta"), "nor the free text of a handover");
        Response cancellation = trail("subjectId=" + cancelled + "&action=delivery.cancelled");
        cancellation.then().statusCode(200).body("entries.size()", equalTo(1));
        assertFalse(cancellation.asString().contains("consul"), "nor a cancellation's reason");
    }
}

package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.delivery.repository.HoldRepository;
import org.w4r.events.Topics;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two case-service instances relay their outboxes independently, so an older state of a case can arrive after a
 * newer one: the hold of the newer version must survive, in memory and in this service's stored copy.
 */
@QuarkusTest
class HoldVersionTest extends RunningService {
    @Inject
    HoldRepository holds;

    @Test
    void anOlderChangeArrivingLateNeverClearsANewerHold() {
        String caseId = "case-" + UUID.randomUUID().toString().substring(0, 8);
        Streams.publish(kafka, Topics.CASES, caseId, Streams.caseState(caseId, Streams.hold(51), 5),
                Streams.caseState(caseId, null, 4));
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.planBody(caseId, "petition"))
                .post("/api/v1/deliveries").then().statusCode(409).body("type", endsWith("/case-on-hold"))
                .body("hold.holdId", equalTo(51));
        given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("onHold", equalTo(true));
        assertEquals(51, holds.read(caseId).orElseThrow().holdId(), "the stored copy keeps the newer hold");

        // a newer version lifts it
        Streams.publish(kafka, Topics.CASES, caseId, Streams.caseState(caseId, null, 6));
        await().untilAsserted(() -> given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId).then()
                .body("onHold", equalTo(false)));
        await().until(() -> holds.read(caseId).isEmpty());
    }

    /**
     * The stored copy on its own: another instance of this service sharing the database, whose reader lags, writes
     * the older state after this one wrote the newer.
     */
    @Test
    void theStoredCopyKeepsTheHighestVersionWhateverTheOrderOfWrites() {
        String caseId = "case-" + UUID.randomUUID().toString().substring(0, 8);
        QuarkusTransaction.requiringNew().run(() -> holds.save(Streams.caseState(caseId, Streams.hold(52), 5)));
        QuarkusTransaction.requiringNew().run(() -> holds.save(Streams.caseState(caseId, null, 4)));
        assertTrue(holds.read(caseId).isPresent(), "version 4 without a hold must not clear version 5's hold");
        assertEquals(52, holds.read(caseId).orElseThrow().holdId());

        QuarkusTransaction.requiringNew().run(() -> holds.save(Streams.caseState(caseId, null, 6)));
        assertTrue(holds.read(caseId).isEmpty(), "a newer version lifts it");
    }
}

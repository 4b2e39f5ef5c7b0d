package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.DeliveryCancelled;
import org.w4r.events.DeliveryEvent;
import org.w4r.events.DeliveryPlanned;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.util.List;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** Plans: create, read, list and filter, cancel; every refusal is problem+json and changes nothing. */
@QuarkusTest
class DeliveryApiTest extends RunningService {
    @Test
    void aPlanIsStoredListedFilteredAndAnnouncedWithoutNames() {
        String caseId = Streams.newCase(kafka);
        io.restassured.response.Response created = given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)
                .body("""
                        {"caseId":"%s","kind":"petition","recipient":{"kind":"embassy","name":"Embassy of Myanmar in Malta"},
                         "place":{"city":"Valletta","country":"mt"},"entityId":"ai-malta","plannedFor":"2027-01-15T10:00:00Z"}"""
                        .formatted(caseId))
                .post("/api/v1/deliveries");
        created.then().statusCode(201).contentType(ContentType.JSON);
        String id = created.path("id");
        assertTrue(created.header("Location").endsWith("/api/v1/deliveries/" + id), created.header("Location"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().statusCode(200)
                .body("caseId", equalTo(caseId)).body("campaignId", equalTo("test-campaign"))
                .body("kind", equalTo("petition")).body("status", equalTo("planned"))
                .body("recipient.kind", equalTo("embassy")).body("recipient.name", equalTo("Embassy of Myanmar in Malta"))
                .body("place.city", equalTo("Valletta")).body("place.country", equalTo("MT"))
                .body("entityId", equalTo("ai-malta")).body("plannedFor", equalTo("2027-01-15T10:00:00Z"))
                .body("plannedBy", equalTo("test-delivery"));

        String other = Streams.plan(caseId, "solidarity");
        given().auth().oauth2(DELIVERY).post("/api/v1/deliveries/" + other + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("cancellation.cancelledBy", equalTo("test-delivery"));

        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=" + caseId).then().statusCode(200)
                .body("id", hasItem(id)).body("id", hasItem(other)).body("caseId", everyItem(equalTo(caseId)));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=" + caseId + "&status=planned").then()
                .statusCode(200).body("id", equalTo(List.of(id)));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?status=cancelled").then().statusCode(200)
                .body("id", hasItem(other)).body("id", not(hasItem(id)));

        ConsumerRecord<String, String> planned = awaitEvent(id, DeliveryPlanned.class);
        assertEquals(caseId, planned.key());
        DeliveryPlanned event = (DeliveryPlanned) Events.fromJson(planned.value(), DeliveryEvent.class);
        assertEquals("embassy", event.recipientKind());
        assertEquals("MT", event.country());
        assertEquals("ai-malta", event.entityId());
        assertFalse(planned.value().contains("Embassy of Myanmar"), planned.value());
        assertEquals(caseId, awaitEvent(other, DeliveryCancelled.class).key());
    }

    @Test
    void onlyAPlannedDeliveryCanBeCancelledAndUnknownIdsAre404() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body("{\"reason\":")
                .post("/api/v1/deliveries/" + id + "/cancel").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body("{\"reason\":\"postponed to next year\"}")
                .post("/api/v1/deliveries/" + id + "/cancel").then().statusCode(200)
                .body("cancellation.reason", equalTo("postponed to next year"));
        given().auth().oauth2(DELIVERY).post("/api/v1/deliveries/" + id + "/cancel").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/not-planned"));
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(java.time.Instant.now()))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(409).body("type", endsWith("/not-planned"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/not-a-uuid").then().statusCode(404);
        given().auth().oauth2(DELIVERY).post("/api/v1/deliveries/" + java.util.UUID.randomUUID() + "/cancel").then()
                .statusCode(404);
    }

    @Test
    void badPlansAre400NamingTheFieldAndStoreNothing() {
        String caseId = Streams.newCase(kafka);
        String valid = Streams.planBody(caseId, "petition");
        expect400("{\"kind\":\"petition\"}", "caseId");
        expect400(valid.replace("\"" + caseId + "\"", "\"no-such-case\""), "caseId");
        expect400(valid.replace("\"petition\"", "\"postcard\""), "kind");
        expect400(valid.replace("\"embassy\"", "\"friend\""), "recipient.kind");
        expect400(valid.replace("\"Embassy of Myanmar\"", "\" \""), "recipient.name");
        expect400(valid.replace("\"MT\"", "\"Malta\""), "place.country");
        expect400(valid.replace("2027-01-15T10:00:00Z", "next tuesday"), "plannedFor");
        expect400(valid.replace(",\"plannedFor\":\"2027-01-15T10:00:00Z\"", ""), "plannedFor");
        expect400(valid.replace("\"place\"", "\"entityId\":\"ai-nowhere\",\"place\""), "entityId");
        expect400(valid.replace("Embassy of Myanmar", "x".repeat(201)), "recipient.name");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body("{not json")
                .post("/api/v1/deliveries").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?status=lost").then().statusCode(400)
                .body("field", equalTo("status"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=" + caseId).then().statusCode(200)
                .body("$", org.hamcrest.Matchers.empty());
    }

    @Test
    void onlyTheDeliveryRoleMayUseDeliveries() {
        String caseId = Streams.newCase(kafka);
        given().contentType(ContentType.JSON).body(Streams.planBody(caseId, "petition")).post("/api/v1/deliveries")
                .then().statusCode(401).contentType("application/problem+json");
        for (String token : List.of(staffToken("coordinator"), staffToken("moderator"), staffToken("case-manager"),
                entityKey("ai-france"))) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Streams.planBody(caseId, "petition"))
                    .post("/api/v1/deliveries").then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).get("/api/v1/deliveries").then().statusCode(403);
        }
        given().auth().oauth2("not-a-token").get("/api/v1/deliveries").then().statusCode(401);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=" + caseId).then().statusCode(200)
                .body("$", org.hamcrest.Matchers.empty());
    }

    /** The delivery teams' page is the staff UI's (docs/staff-ui.md); this service ships no copy of it. */
    @Test
    void noDuplicateOfTheDashboardsDeliveriesPageIsServed() {
        given().get("/").then().statusCode(404);
        given().get("/delivery.js").then().statusCode(404);
    }

    private void expect400(String body, String field) {
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(body).post("/api/v1/deliveries")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field));
    }

    ConsumerRecord<String, String> awaitEvent(String deliveryId, Class<? extends DeliveryEvent> type) {
        return await().until(() -> TopicReader.readAll(kafka, Topics.DELIVERIES).stream()
                        .filter(r -> r.value().contains(deliveryId)
                                && r.value().contains("\"eventType\":\"" + type.getSimpleName() + "\"")).findFirst(),
                Optional::isPresent).orElseThrow();
    }
}

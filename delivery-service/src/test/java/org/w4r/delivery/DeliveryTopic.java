package org.w4r.delivery;

import io.restassured.http.ContentType;
import org.w4r.events.DeliveryCancelled;
import org.w4r.events.DeliveryEvent;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * The 'deliveries' topic read back from Kafka, one case at a time. Events are keyed by case, so one case's events
 * keep their order: once a marker written after some refusals is on the topic, anything the refusals had published
 * would be on it before the marker.
 */
final class DeliveryTopic {
    private DeliveryTopic() {
    }

    /** Every event of the case on the topic now, in order, as "Type deliveryId". */
    static List<String> ofCase(String kafka, String caseId) {
        return TopicReader.readAll(kafka, Topics.DELIVERIES).stream().filter(r -> caseId.equals(r.key()))
                .map(r -> Events.fromJson(r.value(), DeliveryEvent.class))
                .map(e -> e.getClass().getSimpleName() + " " + e.deliveryId()).toList();
    }

    /**
     * Cancels {@code plannedId} (a write accepted even while a case is held), waits for its event and returns every
     * event of the case before it.
     */
    static List<String> beforeMarker(String kafka, String caseId, String plannedId) {
        given().auth().oauth2(staffToken("delivery")).contentType(ContentType.JSON).body("{\"reason\":\"marker\"}")
                .post("/api/v1/deliveries/" + plannedId + "/cancel").then().statusCode(200);
        String marker = DeliveryCancelled.class.getSimpleName() + " " + plannedId;
        List<String> events = await().until(() -> ofCase(kafka, caseId), e -> e.contains(marker));
        return events.subList(0, events.indexOf(marker));
    }

    static String planned(String id) {
        return "DeliveryPlanned " + id;
    }

    static String handedOver(String id) {
        return "HandoverRecorded " + id;
    }

    static String cancelled(String id) {
        return "DeliveryCancelled " + id;
    }
}

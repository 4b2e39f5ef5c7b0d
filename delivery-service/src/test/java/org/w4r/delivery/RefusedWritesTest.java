package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.delivery.Waiting.await;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Every refused delivery write, one of each kind of refusal (400, 401, 403, 404, 409 not-planned, 409 held, 422
 * unknown case), publishes nothing and stores nothing: after the refusals an accepted write of the same case is the
 * marker, and the case's events on the topic before it are exactly those of the accepted writes before.
 */
@QuarkusTest
class RefusedWritesTest extends RunningService {
    @Test
    void refusedPlansHandoversAndCancellationsPublishAndStoreNothing() {
        String caseId = Streams.newCase(kafka);
        String planned = Streams.plan(caseId, "petition");
        String delivered = Streams.plan(caseId, "petition");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                .post("/api/v1/deliveries/" + delivered + "/handover").then().statusCode(200);
        String cancelled = Streams.plan(caseId, "solidarity");
        given().auth().oauth2(DELIVERY).post("/api/v1/deliveries/" + cancelled + "/cancel").then().statusCode(200);
        String marker = Streams.plan(caseId, "petition");
        String unknown = UUID.randomUUID().toString();
        String handover = Streams.handoverBody(Instant.now());
        String plan = Streams.planBody(caseId, "petition");

        // 400
        refused(400, "", r -> r.body(plan.replace("\"embassy\"", "\"friend\"")).post("/api/v1/deliveries"));
        refused(400, "", r -> r.body(handover.replace("Team Malta", " ")).post(handoverOf(planned)));
        refused(400, "", r -> r.body("{\"reason\":").post("/api/v1/deliveries/" + planned + "/cancel"));
        // 401 and 403
        given().contentType(ContentType.JSON).body(plan).post("/api/v1/deliveries").then().statusCode(401);
        given().contentType(ContentType.JSON).body(handover).post(handoverOf(planned)).then().statusCode(401);
        for (String token : List.of(staffToken("coordinator"), staffToken("case-manager"), entityKey("ai-malta"))) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(plan).post("/api/v1/deliveries").then()
                    .statusCode(403);
            given().auth().oauth2(token).contentType(ContentType.JSON).body(handover).post(handoverOf(planned)).then()
                    .statusCode(403);
            given().auth().oauth2(token).post("/api/v1/deliveries/" + planned + "/cancel").then().statusCode(403);
        }
        // 404
        refused(404, "", r -> r.body(handover).post(handoverOf(unknown)));
        refused(404, "", r -> r.post("/api/v1/deliveries/" + unknown + "/cancel"));
        // 409: only a planned delivery can be handed over or cancelled
        for (String id : List.of(delivered, cancelled)) {
            refused(409, "not-planned", r -> r.body(handover).post(handoverOf(id)));
            refused(409, "not-planned", r -> r.post("/api/v1/deliveries/" + id + "/cancel"));
        }

        assertEquals(List.of(DeliveryTopic.planned(planned), DeliveryTopic.planned(delivered),
                        DeliveryTopic.handedOver(delivered), DeliveryTopic.planned(cancelled),
                        DeliveryTopic.cancelled(cancelled), DeliveryTopic.planned(marker)),
                DeliveryTopic.beforeMarker(kafka, caseId, marker));
        assertEquals(Stream.of(delivered + " delivered", cancelled + " cancelled", marker + " cancelled",
                        planned + " planned").sorted().toList(),
                Rows.strings(db, "select id || ' ' || status from delivery where case_id = ?", caseId).stream()
                        .sorted().toList());
        assertEquals(1, Rows.number(db, "select count(*) from handover h join delivery d on d.id = h.delivery_id "
                + "where d.case_id = ?", caseId));
        assertEquals(0, TopicReader.readAll(kafka, Topics.DELIVERIES).stream()
                .filter(r -> r.value().contains(unknown)).count());
    }

    @Test
    void refusedWritesOfAHeldCaseAndOfACaseNoLongerKnownPublishAndStoreNothing() {
        String held = Streams.newCase(kafka);
        String heldPlan = Streams.plan(held, "petition");
        String heldMarker = Streams.plan(held, "petition");
        Streams.hold(kafka, held, 50);
        refused(409, "case-on-hold", r -> r.body(Streams.planBody(held, "solidarity")).post("/api/v1/deliveries"));
        refused(409, "case-on-hold", r -> r.body(Streams.handoverBody(Instant.now())).post(handoverOf(heldPlan)));
        assertEquals(List.of(DeliveryTopic.planned(heldPlan), DeliveryTopic.planned(heldMarker)),
                DeliveryTopic.beforeMarker(kafka, held, heldMarker));

        // a case removed from the stream (a tombstone): its plans can no longer be checked for a hold, so none is decided
        String gone = Streams.newCase(kafka);
        String gonePlan = Streams.plan(gone, "petition");
        String goneMarker = Streams.plan(gone, "petition");
        Streams.tombstone(kafka, Topics.CASES, gone);
        await().untilAsserted(() -> given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + gone).then().statusCode(404));
        refused(422, "unknown-case", r -> r.body(Streams.handoverBody(Instant.now())).post(handoverOf(gonePlan)));
        refused(400, "", r -> r.body(Streams.planBody(gone, "petition")).post("/api/v1/deliveries"));
        assertEquals(List.of(DeliveryTopic.planned(gonePlan), DeliveryTopic.planned(goneMarker)),
                DeliveryTopic.beforeMarker(kafka, gone, goneMarker));

        for (String caseId : List.of(held, gone)) {
            assertEquals(0, Rows.number(db, "select count(*) from handover h join delivery d on d.id = h.delivery_id "
                    + "where d.case_id = ?", caseId));
            assertEquals(2, Rows.number(db, "select count(*) from delivery where case_id = ?", caseId));
        }
    }

    private static String handoverOf(String id) {
        return "/api/v1/deliveries/" + id + "/handover";
    }

    /** A write by the delivery team, refused with {@code status} and, if named, that problem type. */
    private static void refused(int status, String type,
                                Function<RequestSpecification, io.restassured.response.Response> write) {
        var answer = write.apply(given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)).then()
                .statusCode(status).contentType(startsWith("application/problem+json"));
        if (!type.isEmpty()) {
            answer.body("type", endsWith("/" + type));
        }
    }
}

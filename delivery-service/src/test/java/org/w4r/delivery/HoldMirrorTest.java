package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.delivery.Waiting.await;

/**
 * When HoldMirror cannot store a hold change (here the database refuses every write of one case's hold row), it
 * retries five times, logs and gives up, so the reader goes on: the giving up is only in the log (readiness stays UP).
 * The guard must then fail closed: either copy saying "held" refuses, so a hold the database never stored is still
 * enforced, and a release the database never stored keeps the case shut until a later change is stored.
 */
@QuarkusTest
class HoldMirrorTest extends RunningService {
    @Test
    void aHoldTheDatabaseNeverStoredIsStillEnforcedEverywhere() {
        String caseId = Streams.newCaseSignedBy(kafka, "Ada Example,MT");
        String delivered = Streams.handedOver(caseId);
        String planned = Streams.plan(caseId, "petition");
        String refusal = refuseHoldCopies(caseId);
        double failuresBefore = mirrorFailures();
        try {
            Streams.hold(kafka, caseId, 48);
            await().until(() -> refusals(refusal) >= 5);
            // giving up is counted for the W4RHoldMirrorFailed alert, not only logged
            await().until(() -> mirrorFailures() == failuresBefore + 1);
            // the barrier passes only once the reader has moved past the hold, so these answers come after giving up
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                    .post("/api/v1/deliveries/" + planned + "/handover").then().statusCode(409)
                    .body("type", endsWith("/case-on-hold")).body("hold.holdId", equalTo(48));
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + delivered + "/pack").then().statusCode(409)
                    .body("type", endsWith("/case-on-hold"));
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.planBody(caseId, "petition"))
                    .post("/api/v1/deliveries").then().statusCode(409).body("type", endsWith("/case-on-hold"));

            assertEquals(5, refusals(refusal), "HoldMirror tries five times, then gives up");
            assertEquals(List.of("f"), Rows.strings(db, "select held from case_hold where case_id = ?", caseId),
                    "the stored copy never learnt of the hold: the refusals above came from the in-memory copy");
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            allowHoldCopies(refusal);
        }
        assertEquals(List.of(DeliveryTopic.planned(delivered), DeliveryTopic.handedOver(delivered),
                DeliveryTopic.planned(planned)), DeliveryTopic.beforeMarker(kafka, caseId, planned));
        assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid", delivered));
    }

    @Test
    void aReleaseTheDatabaseNeverStoredKeepsTheCaseShutUntilALaterChangeIsStored() {
        String caseId = Streams.newCase(kafka);
        String planned = Streams.plan(caseId, "petition");
        Streams.hold(kafka, caseId, 49);
        await().until(() -> Rows.strings(db, "select held from case_hold where case_id = ?", caseId).equals(List.of("t")));
        String refusal = refuseHoldCopies(caseId);
        try {
            Streams.release(kafka, caseId);
            await().until(() -> refusals(refusal) >= 5);
            given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId).then().body("onHold", equalTo(false));
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                    .post("/api/v1/deliveries/" + planned + "/handover").then().statusCode(409)
                    .body("type", endsWith("/case-on-hold")).body("hold.holdId", equalTo(49));
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.planBody(caseId, "petition"))
                    .post("/api/v1/deliveries").then().statusCode(409).body("type", endsWith("/case-on-hold"));
            assertEquals(5, refusals(refusal));
        } finally {
            allowHoldCopies(refusal);
        }
        assertEquals(0, Rows.number(db, "select count(*) from handover where delivery_id = ?::uuid", planned));

        // the next change of the case is stored, and lifts it
        Streams.release(kafka, caseId);
        await().until(() -> Rows.strings(db, "select held from case_hold where case_id = ?", caseId).equals(List.of("f")));
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                .post("/api/v1/deliveries/" + planned + "/handover").then().statusCode(200);
    }

    /**
     * From now on the database refuses HoldMirror's writes of this case's row (its version is never below 0; the
     * guard's own insert of an empty row carries the default -1 and still passes), counting each refusal.
     */
    private String refuseHoldCopies(String caseId) {
        String name = "refuse_hold_" + UUID.randomUUID().toString().replace("-", "");
        Rows.execute(db, "create sequence " + name);
        Rows.execute(db, """
                create function %1$s() returns trigger language plpgsql as $$
                begin
                    perform nextval('%1$s');
                    raise exception 'the test refuses this hold copy';
                end $$""".formatted(name));
        Rows.execute(db, """
                create trigger %1$s before insert or update on case_hold for each row
                when (new.case_id = '%2$s' and new.version >= 0) execute function %1$s()""".formatted(name, caseId));
        return name;
    }

    private static double mirrorFailures() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^w4r_hold_mirror_failures_total(?:\\{})? (\\S+)$")
                .matcher(given().get("/q/metrics").then().statusCode(200).extract().asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private long refusals(String name) {
        return Rows.number(db, "select case when is_called then last_value else 0 end from " + name);
    }

    private void allowHoldCopies(String name) {
        Rows.execute(db, "drop trigger " + name + " on case_hold");
        Rows.execute(db, "drop function " + name + "()");
        Rows.execute(db, "drop sequence " + name);
    }
}

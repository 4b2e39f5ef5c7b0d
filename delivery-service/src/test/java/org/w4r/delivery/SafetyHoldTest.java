package org.w4r.delivery;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.ReferenceDataResource;
import org.w4r.testsupport.TopicReader;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** Holds are absolute: no plan, no handover, no pack while a case is held, whatever the order of events. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ReferenceDataResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PetitionStub.class, scope = TestResourceScope.GLOBAL)
class SafetyHoldTest {
    static final String DELIVERY = staffToken("delivery");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void planningForAHeldCaseIsRefusedNamingTheHold() {
        String caseId = Streams.newCase(kafka);
        Streams.hold(kafka, caseId, "safety of the rights holder");
        // no waiting for the hold to arrive: the service's barrier must see it
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.planBody(caseId, "petition"))
                .post("/api/v1/deliveries").then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/case-on-hold")).body("caseId", equalTo(caseId))
                .body("hold.reason", equalTo("safety of the rights holder"))
                .body("hold.placedBy", equalTo("test-case-manager"))
                .body("detail", containsString("safety of the rights holder"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=" + caseId).then().statusCode(200)
                .body("$", org.hamcrest.Matchers.empty());
    }

    @Test
    void aPlanMadeBeforeTheHoldCannotBeRecordedWhileItLastsAndCanAfter() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        Streams.hold(kafka, caseId, "coup");
        Instant cutoff = Instant.now();
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/case-on-hold"))
                .body("hold.reason", equalTo("coup"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().statusCode(200)
                .body("status", equalTo("planned"));
        // cancelling is not a delivery: allowed during a hold
        String other = Streams.plan(Streams.newCase(kafka), "petition");
        given().auth().oauth2(DELIVERY).post("/api/v1/deliveries/" + other + "/cancel").then().statusCode(200);

        Streams.release(kafka, caseId);
        await().untilAsserted(() -> given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId).then()
                .body("onHold", equalTo(false)));
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200)
                .body("status", equalTo("delivered"));
        // no handover event was ever published for the refused attempt: exactly one, after the release
        await().untilAsserted(() -> assertEquals(1, TopicReader.readAll(kafka, Topics.DELIVERIES).stream()
                .filter(r -> r.value().contains(id) && r.value().contains("HandoverRecorded")).count()));
    }

    @Test
    void whileTheCaseStreamLagsBehindAHoldNothingIsRecordedAndTheAnswerIs503() throws Exception {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        String gate = "gate-" + caseId;
        StreamGate.close(gate);
        try {
            // the reader stops on the gate record, so the hold published after it is on the topic but not yet applied
            Streams.publish(kafka, Topics.CASES, gate, Streams.caseState(gate, null));
            org.junit.jupiter.api.Assertions.assertTrue(StreamGate.awaitReached(gate));
            Streams.hold(kafka, caseId, "published while the reader lags");
            given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId).then().body("onHold", equalTo(false));
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                    .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", equalTo("2"))
                    .body("type", endsWith("/case-stream-behind"));
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.planBody(caseId, "petition"))
                    .post("/api/v1/deliveries").then().statusCode(503);
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().body("status", equalTo("planned"));
        } finally {
            StreamGate.open(gate);
        }
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(409)
                .body("type", endsWith("/case-on-hold")).body("hold.reason", equalTo("published while the reader lags"));
    }

    @Test
    void aHoldPlacedJustBeforeAHandoverAlwaysWins() throws Exception {
        // repeated, so a read model that lags the stream would let at least one through
        for (int round = 0; round < 5; round++) {
            String caseId = Streams.newCase(kafka);
            String id = Streams.plan(caseId, "petition");
            Streams.hold(kafka, caseId, "round " + round);
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                    .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(409)
                    .body("type", endsWith("/case-on-hold"));
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(409)
                    .body("type", endsWith("/case-on-hold"));
        }
    }

    @Test
    void concurrentHandoversOfOnePlanRecordItOnceAndAHoldRacingThemLeavesNoneAfterIt() throws Exception {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        String body = Streams.handoverBody(Instant.now());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(body)
                        .post("/api/v1/deliveries/" + id + "/handover").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(3, statuses.stream().filter(s -> s == 409).count(), statuses.toString());

            // a hold racing handovers of other plans: whatever got through was recorded before the hold was applied,
            // and everything after the hold is refused
            List<String> plans = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                plans.add(Streams.plan(caseId, "petition"));
            }
            List<Future<Integer>> racing = new ArrayList<>();
            for (String plan : plans) {
                racing.add(pool.submit(() -> given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)
                        .body(Streams.handoverBody(Instant.now())).post("/api/v1/deliveries/" + plan + "/handover")
                        .statusCode()));
            }
            Streams.hold(kafka, caseId, "raced");
            for (Future<Integer> f : racing) {
                int status = f.get();
                org.junit.jupiter.api.Assertions.assertTrue(status == 200 || status == 409, "status " + status);
            }
            for (String plan : plans) {
                String status = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + plan).path("status");
                if ("planned".equals(status)) {
                    given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                            .post("/api/v1/deliveries/" + plan + "/handover").then().statusCode(409)
                            .body("type", endsWith("/case-on-hold"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

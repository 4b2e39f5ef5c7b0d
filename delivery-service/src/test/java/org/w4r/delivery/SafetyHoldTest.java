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
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
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
        Streams.hold(kafka, caseId, 41);
        // no waiting for the hold to arrive: the service's barrier must see it
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.planBody(caseId, "petition"))
                .post("/api/v1/deliveries").then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/case-on-hold")).body("caseId", equalTo(caseId))
                .body("hold.holdId", equalTo(41)).body("hold.placedAt", equalTo("2027-02-01T08:00:00Z"))
                .body("hold", not(hasKey("reason"))).body("detail", containsString("2027-02-01T08:00:00Z"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=" + caseId).then().statusCode(200)
                .body("$", org.hamcrest.Matchers.empty());
    }

    @Test
    void aPlanMadeBeforeTheHoldCannotBeRecordedWhileItLastsAndCanAfter() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        Streams.hold(kafka, caseId, 42);
        Instant cutoff = Instant.now();
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/case-on-hold"))
                .body("hold.holdId", equalTo(42));
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
            Streams.hold(kafka, caseId, 43);
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
                .body("type", endsWith("/case-on-hold")).body("hold.holdId", equalTo(43));
    }

    @Test
    void aHoldPlacedJustBeforeAHandoverAlwaysWins() throws Exception {
        // repeated, so a read model that lags the stream would let at least one through
        for (int round = 0; round < 5; round++) {
            String caseId = Streams.newCase(kafka);
            String id = Streams.plan(caseId, "petition");
            Streams.hold(kafka, caseId, 100 + round);
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
            Streams.hold(kafka, caseId, 44);
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

    /** The pack is the only door to signers and messages here: shut for either kind, before petition-service is asked. */
    @Test
    void aHoldClosesEveryDoorToSignersAndMessagesAndLeavesTheRestOpen() {
        String caseId = Streams.newCase(kafka);
        String petition = Streams.plan(caseId, "petition");
        String solidarity = Streams.plan(caseId, "solidarity");
        String planned = Streams.plan(caseId, "petition");
        for (String id : List.of(petition, solidarity)) {
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                    .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200);
        }
        Streams.hold(kafka, caseId, 46);
        int asked = PetitionStub.REQUESTS.size();
        for (String id : List.of(petition, solidarity)) {
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(409)
                    .contentType("application/problem+json").body("type", endsWith("/case-on-hold"))
                    .body("hold.holdId", equalTo(46));
        }
        org.junit.jupiter.api.Assertions.assertTrue(PetitionStub.REQUESTS.subList(asked, PetitionStub.REQUESTS.size())
                .stream().noneMatch(r -> r.contains(caseId)), "petition-service was asked about a held case");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.planBody(caseId, "solidarity"))
                .post("/api/v1/deliveries").then().statusCode(409).body("type", endsWith("/case-on-hold"));
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                .post("/api/v1/deliveries/" + planned + "/handover").then().statusCode(409);

        // no signers or messages behind these: open, so the team sees what is stopped
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=" + caseId).then().statusCode(200);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + petition).then().statusCode(200);
        given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId).then().statusCode(200).body("onHold", equalTo(true));
        given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId + "/counts").then().statusCode(200);
        given().auth().oauth2(DELIVERY).post("/api/v1/deliveries/" + planned + "/cancel").then().statusCode(200);
    }
}

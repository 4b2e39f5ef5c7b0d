package org.w4r.delivery;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionType;
import org.w4r.events.Topics;
import org.w4r.testsupport.Pause;
import org.w4r.testsupport.ProxiedDatabase;
import org.w4r.testsupport.fixtures.DatabaseOutage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;
import static org.w4r.testsupport.fixtures.DatabaseOutage.assertOutcomeUnknown;
import static org.w4r.testsupport.fixtures.DatabaseOutage.assertTruthful;

/**
 * PostgreSQL lost under live plans and handovers (issue 14): every answer tells the truth about what was stored. A
 * 2xx is stored once; {@code 503 outcome-unknown} is resolved by reading the delivery (and, if it was not stored,
 * the write is sent again and stored once); any other answer stored nothing. Deterministic cuts first (the commit's
 * answer lost, the answer's own read lost), then cuts at random under load.
 */
@QuarkusTest
@TestProfile(ProxiedDatabaseProfile.class)
class DatabaseOutageTest {
    static final String DELIVERY = staffToken("delivery");
    static final DatabaseOutage OUTAGE = new DatabaseOutage(ProxiedDatabaseProfile.DATABASE);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void reconnect() {
        OUTAGE.proxy().resume();
        dataSource.flush(AgroalDataSource.FlushMode.ALL); // no connection a freeze left dead goes to the next test
    }

    /** After a test that cut connections, until the pool has live ones again. */
    @BeforeEach
    void healthy() {
        String caseId = Streams.newCase(kafka);
        await().atMost(Duration.ofSeconds(90)).until(() -> plan(caseId, "healthy").statusCode() == 201);
    }

    @Test
    void aHandoverWhoseCommitAnswerIsLostIsOutcomeUnknownAndStored() throws Exception {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        Response r = OUTAGE.withCommitAnswerLost("insert into handover", () -> handover(id));
        assertOutcomeUnknown(r);
        assertEquals(1, handovers(id), "PostgreSQL committed it");
        // the caller's way to resolve it: read the delivery; sent again, it is refused, not recorded twice
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(DELIVERY)
                .get("/api/v1/deliveries/" + id).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("delivered")));
        handover(id).then().statusCode(409);
        assertEquals(1, handovers(id));
    }

    @Test
    void aHandoverWhoseAnswerCannotBeReadIsNeverAnsweredNotStoredWhileStored() throws Exception {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        // the read of the recorded handover, for the answer's body: once read after the commit, its loss was a 500
        Response r = OUTAGE.withReplyCut("from handover where delivery_id", null, () -> handover(id));
        assertTruthful("handover " + id, r, handovers(id));
    }

    @Test
    void aPlanWhoseCommitAnswerIsLostIsOutcomeUnknownAndStored() throws Exception {
        String caseId = Streams.newCase(kafka);
        String recipient = "Embassy " + UUID.randomUUID();
        Response r = OUTAGE.withCommitAnswerLost("insert into delivery", () -> plan(caseId, recipient));
        assertOutcomeUnknown(r);
        assertEquals(1, plans(recipient), "PostgreSQL committed it");
        // resolved by listing the case's deliveries
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(DELIVERY).queryParam("caseId", caseId)
                .get("/api/v1/deliveries").then().extract().jsonPath().getList("recipient.name").contains(recipient));
    }

    @Test
    void underLoadEveryAnswerTellsTheTruth() throws Exception {
        List<String> cases = IntStream.range(0, 3).mapToObj(i -> Streams.newCase(kafka)).toList();
        int requests = 60;
        String run = UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger acknowledged = new AtomicInteger();
        OUTAGE.underCommitCuts(requests, 4, i -> {
            String caseId = cases.get(i % cases.size());
            String recipient = "Embassy " + run + " " + i;
            // plans have no key: a plan sent again is another plan, so only reading settles an outcome-unknown
            Response planned = OUTAGE.sendUntilStored("plan " + recipient, () -> plan(caseId, recipient),
                    () -> plans(recipient), false);
            String id = planned.statusCode() / 100 == 2 ? planned.path("id") : deliveryOf(recipient);
            if (plans(recipient) != 1) {
                fail("a plan stored " + plans(recipient) + " times: " + recipient);
            }
            // a 409 of a recorded handover is the retry of an outcome-unknown whose read failed: recorded before
            Response handedOver = OUTAGE.sendUntilStored("handover " + id, () -> handover(id), () -> handovers(id), true);
            if (handedOver.statusCode() == 200) {
                acknowledged.incrementAndGet();
            }
            assertEquals(1, handovers(id), "recorded once");
        }, "insert into delivery", "insert into handover");
        System.out.printf("delivery outage: %d plans and %d handovers, %d handovers acknowledged, %d outcome-unknown, "
                + "%d commits cut%n", requests, requests, acknowledged.get(), OUTAGE.unknown(), OUTAGE.proxy().getCutsOnReply());
    }

    /**
     * PostgreSQL falls silent (nothing closed, nothing answered: its host died) while the ledger's consumer applies a
     * batch: the batch waits out the driver's socket timeout and is tried again, and once the database answers again
     * the pool's other connections, dead the same way, are dropped rather than handed to each retry in turn (a timeout
     * each), so the actions reach the ledger, each once.
     */
    @Test
    void aDatabaseThatFallsSilentUnderTheLedgersConsumerHoldsItOnlyUntilItAnswersAgain() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant at = Instant.now().minus(Duration.ofMinutes(30));
        Object[] actions = IntStream.range(0, 40)
                .mapToObj(i -> Streams.action(caseId, i % 2 == 0 ? "ai-malta" : "ai-france", ActionType.SIGNATURE, 1,
                        at.plusMillis(i)))
                .toArray();
        double retried = retries();
        // a pool as load leaves it (Quarkus's default holds up to 20); the proxy answers again only once the
        // consumer has met the silence with the batch in hand and given up on that attempt
        long duringSilence = ProxiedDatabase.callWhileFrozen(OUTAGE.proxy(), dataSource, 12, () -> {
            Streams.publish(kafka, Topics.ACTIONS, caseId, actions);
            await().atMost(Duration.ofSeconds(75)).until(() -> retries() > retried);
            return ledger(caseId); // read directly: the next attempt may go through as soon as the proxy answers
        });
        assertEquals(0, duringSilence, "nothing reached PostgreSQL while it was silent");
        // each dead connection handed to a retry would cost another socket timeout (30 s here)
        await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(250)).until(() -> ledger(caseId) >= actions.length);
        Pause.pause(1_000);
        assertEquals(actions.length, ledger(caseId), "each action once");
    }

    /** The ledger consumer's failed attempts so far. */
    double retries() {
        return registry.find("w4r.consumer.retries").tag("topic", Topics.ACTIONS).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    /** The actions of the case in delivery's ledger, read directly. */
    static long ledger(String caseId) {
        return OUTAGE.count("select coalesce(sum(count), 0) from action_count where case_id = ?", caseId);
    }

    static Response plan(String caseId, String recipient) {
        return given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)
                .body(Streams.planBody(caseId, "petition").replace("Embassy of Myanmar", recipient)).post("/api/v1/deliveries");
    }

    static Response handover(String id) {
        return given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                .post("/api/v1/deliveries/" + id + "/handover");
    }

    static long handovers(String deliveryId) {
        return OUTAGE.count("select count(*) from handover where delivery_id = ?::uuid", deliveryId);
    }

    static long plans(String recipient) {
        return OUTAGE.count("select count(*) from delivery where recipient_name = ?", recipient);
    }

    /** What a caller learns by listing the case's deliveries once the database is back. */
    static String deliveryOf(String recipient) {
        return OUTAGE.text("select id::text from delivery where recipient_name = ?", recipient);
    }
}

package org.w4r.faults;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.faults.SignatureLoad.Request;
import org.w4r.testsupport.TopicReader;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.faults.FaultPlatform.CAMPAIGN;
import static org.w4r.faults.FaultPlatform.CASE;
import static org.w4r.faults.FaultPlatform.DELIVERY;
import static org.w4r.faults.FaultPlatform.PETITION;
import static org.w4r.faults.FaultPlatform.TALLY;

/**
 * Faults under a steady load, on three brokers and two instances of every service ({@link FaultPlatform}). After
 * each fault the load stops, every request whose answer was a 5xx or never came is sent again with its
 * {@code Idempotency-Key} until it is answered, and then: every acknowledged signature is counted by the tally exactly
 * once, is on the {@code actions} topic under one event and stored once by petition-service, which stored nothing
 * else; delivery-service's ledger holds each once too; no 5xx other than {@code outcome-unknown} hid a stored action;
 * every {@code outcome-unknown} was settled by the retry with its key (the answer stored under the key is the one the
 * caller got); and the time from the fault's end (the broker or instance started again, the network or database back)
 * until the tally had counted, case by case, what was acknowledged by then is recorded, not bounded. A check that the
 * fault gave nothing to (no "not stored" 5xx, no outcome-unknown) prints "n/a", not 0; the database fault cuts one
 * commit's answer on purpose so that its outcome-unknown check always has something to check. The figures go to
 * target/fault-results.md (docs/reliability.md shows them). One platform start serves every fault, in this order;
 * the last test recounts the tally from the topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformFaultsIT {
    /** Modest, for a two-core machine that also runs eight service instances and four Kafka nodes. */
    static final int RATE = Integer.getInteger("w4r.faults.rate", 100);
    static final String LOAD = RATE + " signatures/s";
    static final String ENTITY = "ai-algeria";
    static final List<String> LOAD_CASES = List.of("el-hiblu-3", "germain-rukuki", "gustavo-gatica", "idris-khattak");
    static final List<String> HOLD_CASES = List.of("jani-silva", "khaled-drareni", "metu-pride-defenders");
    /** First answers a caller may get under a fault: anything else (a 500, a 4xx to a valid request) fails the fault. */
    static final Set<String> ALLOWED_FAILURES = Set.of("503 outcome-unknown", "503 database-unavailable", "503 overloaded");
    /** tally-service's consumer group on {@code actions} (its application.properties). */
    static final String TALLY_GROUP = "tally-service";

    static FaultPlatform platform;
    static SignatureLoad load;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        platform = FaultPlatform.get();
        if (load == null) {
            load = new SignatureLoad(platform.services.get(PETITION), platform.tokens.get(ENTITY), LOAD_CASES);
            // the entity's key and the cases reach each petition-service instance over Kafka: wait until both accept
            for (ServiceInstance petition : platform.services.get(PETITION)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> post(petition,
                        "/api/v1/signatures", platform.tokens.get(ENTITY), "{\"caseIds\":[\"nassima-al-sada\"],"
                                + "\"signer\":{\"name\":\"W\",\"email\":\"" + java.util.UUID.randomUUID()
                                + "@example.org\"}}").statusCode() == 202);
            }
        }
    }

    /** One fault's failure does not fail the next: every broker and instance running, the load stopped. */
    @BeforeEach
    void everyInstanceRunning() throws Exception {
        platform.ensureRunning();
    }

    @AfterEach
    void loadStopped() {
        load.stop();
    }

    @Test
    @Order(1)
    void oneBrokerKilledAndRestarted() throws Exception {
        loadSteadyFor(Duration.ofSeconds(3));
        platform.kafka.killBroker(0);
        underLoad(Duration.ofSeconds(10));
        platform.kafka.startBroker(0);
        // the fault ends when the broker is started again, not once it is back in the cluster (22 to 30 s later)
        TallyWatch watch = TallyWatch.fromNow();
        FaultResults.note("kill -9 of one broker: restarted, it was registered and unfenced again after %.1f s"
                .formatted(platform.kafka.awaitBrokers(KafkaCluster.BROKERS).toMillis() / 1000.0));
        check("kill -9 of one of three brokers, 10 s, then restarted", faultEnded(watch));
        platform.kafka.awaitFullIsr(List.of(Topics.ACTIONS, Topics.CASES));
    }

    @Test
    @Order(2)
    void allBrokersStoppedFor20Seconds() throws Exception {
        loadSteadyFor(Duration.ofSeconds(3));
        for (int b = 0; b < KafkaCluster.BROKERS; b++) {
            platform.kafka.killBroker(b);
        }
        underLoad(Duration.ofSeconds(12));
        // a load balancer sends traffic to ready instances only: with Kafka away, every instance must still be one
        // (petition-service takes actions into its outbox; until 4 December 2026 a consumer channel's readiness
        // followed its broker connection, and every instance went unready)
        Map<String, Boolean> ready = new java.util.TreeMap<>();
        platform.services.forEach((service, instances) -> instances.forEach(i -> ready.put(i.name, i.ready())));
        underLoad(Duration.ofSeconds(8));
        for (int b = 0; b < KafkaCluster.BROKERS; b++) {
            platform.kafka.startBroker(b);
        }
        TallyWatch watch = TallyWatch.fromNow();
        assertEquals(Map.of(), ready.entrySet().stream().filter(e -> !e.getValue()).collect(java.util.stream.Collectors
                .toMap(Map.Entry::getKey, Map.Entry::getValue)), "instances unready while every broker was down");
        FaultResults.note("kill -9 of all brokers: restarted, they were registered and unfenced again after %.1f s"
                .formatted(platform.kafka.awaitBrokers(KafkaCluster.BROKERS).toMillis() / 1000.0));
        AfterFault after = faultEnded(watch);
        // petition-service accepts into its outbox while Kafka is away: not a single 5xx or lost answer
        assertEquals(Map.of(), otherAnswers(after.window()), "answers other than 2xx while every broker was down");
        check("kill -9 of all three brokers, 20 s, then restarted", after);
        platform.kafka.awaitFullIsr(List.of(Topics.ACTIONS, Topics.CASES));
    }

    @Test
    @Order(3)
    void oneInstanceOfEachServiceKilled() throws Exception {
        loadSteadyFor(Duration.ofSeconds(4));
        for (String service : List.of(PETITION, CASE, TALLY, DELIVERY)) {
            platform.a(service).kill();
            underLoad(Duration.ofSeconds(1));
        }
        // the other instance of each carries on: a hold placed and lifted, a delivery read, the totals served
        String caseId = HOLD_CASES.get(0);
        String caseManager = platform.tokens.get("demo-case-manager");
        HttpResponse<String> placed = put(platform.b(CASE), "/api/v1/cases/" + caseId + "/hold", caseManager,
                "{\"reason\":\"fault suite\"}");
        assertTrue(Set.of(200, 202).contains(placed.statusCode()), placed.body());
        HttpResponse<String> lifted = delete(platform.b(CASE), "/api/v1/cases/" + caseId + "/hold?holdId="
                + shownHold(placed.body()), caseManager);
        assertTrue(Set.of(200, 202, 204).contains(lifted.statusCode()), lifted.body());
        assertEquals(200, get(platform.b(DELIVERY), "/api/v1/cases/" + caseId, platform.tokens.get("demo-delivery"))
                .statusCode());
        assertEquals(200, get(platform.b(TALLY), "/api/v1/totals?campaign=" + CAMPAIGN,
                platform.tokens.get("demo-coordinator")).statusCode());
        underLoad(Duration.ofSeconds(6));
        List<ServiceInstance> killed = List.of(platform.a(PETITION), platform.a(CASE), platform.a(TALLY),
                platform.a(DELIVERY));
        for (ServiceInstance instance : killed) {
            instance.start();
        }
        // the fault ends when the instances are started again, not once they are ready
        TallyWatch watch = TallyWatch.fromNow();
        for (ServiceInstance instance : killed) {
            instance.startAndAwait();
        }
        check("kill -9 of instance a of petition-, case-, tally- and delivery-service, 1 s apart; restarted after "
                + "about 10 s (the b instances carried on)", faultEnded(watch));
    }

    /**
     * Holds placed and lifted through both case-service instances at once on the same cases: the relays of the two
     * instances take turns (an advisory lock), so every reader ends with the case's last state.
     */
    @Test
    @Order(4)
    void holdsThroughBothCaseInstancesEndInTheLastStateEverywhere() throws Exception {
        String caseManager = platform.tokens.get("demo-case-manager");
        Map<String, Integer> answers = new TreeMap<>();
        ExecutorService staff = Executors.newFixedThreadPool(HOLD_CASES.size() * 2);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < HOLD_CASES.size(); c++) {
            String caseId = HOLD_CASES.get(c);
            for (ServiceInstance cases : platform.services.get(CASE)) {
                // one of the two ends with a hold, the other with a lift: which one lands last is the race
                boolean endHeld = cases == platform.a(CASE) ? c % 2 == 0 : c % 2 == 1;
                done.add(staff.submit(() -> {
                    for (int round = 0; round < 8; round++) {
                        record(answers, "PUT", put(cases, "/api/v1/cases/" + caseId + "/hold", caseManager,
                                "{\"reason\":\"fault suite\"}"));
                        record(answers, "DELETE", delete(cases, "/api/v1/cases/" + caseId + "/hold?holdId="
                                + shownHold(get(cases, "/api/v1/cases/" + caseId, caseManager).body()), caseManager));
                    }
                    if (endHeld) {
                        record(answers, "PUT", put(cases, "/api/v1/cases/" + caseId + "/hold", caseManager,
                                "{\"reason\":\"fault suite\"}"));
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : done) {
            f.get();
        }
        staff.shutdown();
        assertTrue(answers.keySet().stream().noneMatch(a -> a.contains(" 5")), "5xx answers to holds: " + answers);

        // case-service's database says what the last state is
        Map<String, Long> holdIds = new HashMap<>();
        Map<String, Long> revisions = new HashMap<>();
        try (Connection db = platform.database(CASE); PreparedStatement q = db.prepareStatement(
                "select id, hold_id, revision from case_file where id = any(?)")) {
            q.setArray(1, db.createArrayOf("varchar", HOLD_CASES.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long holdId = rs.getLong(2);
                    Long held = rs.wasNull() ? null : holdId; // before any other column is read
                    holdIds.put(rs.getString(1), held);
                    revisions.put(rs.getString(1), rs.getLong(3));
                }
            }
        }
        Instant start = Instant.now();
        // the compacted topic's last record per case is that state
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, CaseChanged> last = new HashMap<>();
            for (ConsumerRecord<String, String> r : TopicReader.readAll(platform.kafka.bootstrapServers(), Topics.CASES)) {
                if (HOLD_CASES.contains(r.key()) && r.value() != null) {
                    last.put(r.key(), Events.fromJson(r.value(), CaseChanged.class));
                }
            }
            for (String caseId : HOLD_CASES) {
                CaseChanged c = last.get(caseId);
                assertEquals(holdIds.get(caseId), c.hold() == null ? null : c.hold().holdId(), caseId + " hold on topic");
                assertEquals(revisions.get(caseId), c.version(), caseId + " version on topic");
            }
        });
        // and every instance of every service holds it
        String delivery = platform.tokens.get("demo-delivery");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String caseId : HOLD_CASES) {
                boolean held = holdIds.get(caseId) != null;
                for (ServiceInstance tally : platform.services.get(TALLY)) {
                    assertEquals(held ? 404 : 200, get(tally, "/public/v1/cases/" + caseId + "/counter", null)
                            .statusCode(), tally + " public counter of " + caseId);
                }
                for (ServiceInstance deliveries : platform.services.get(DELIVERY)) {
                    assertEquals(held, SignatureLoad.json(get(deliveries, "/api/v1/cases/" + caseId, delivery).body())
                            .path("onHold").asBoolean(), deliveries + " hold of " + caseId);
                }
                for (ServiceInstance petition : platform.services.get(PETITION)) {
                    assertEquals(held ? 409 : 200, get(petition, "/api/v1/cases/" + caseId + "/signers.csv", delivery)
                            .statusCode(), petition + " signer export of " + caseId);
                }
            }
            try (Connection db = platform.database(DELIVERY); PreparedStatement q = db.prepareStatement(
                    "select case_id, held, hold_id from case_hold where case_id = any(?)")) {
                q.setArray(1, db.createArrayOf("varchar", HOLD_CASES.toArray()));
                Map<String, Long> mirror = new HashMap<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        long holdId = rs.getLong(3);
                        Long held = rs.wasNull() || !rs.getBoolean(2) ? null : holdId;
                        mirror.put(rs.getString(1), held);
                    }
                }
                for (String caseId : HOLD_CASES) {
                    assertEquals(holdIds.get(caseId), mirror.get(caseId), "delivery-service's hold mirror of " + caseId);
                }
            }
        });
        String states = HOLD_CASES.stream().map(c -> c + (holdIds.get(c) == null ? " lifted" : " held"))
                .collect(Collectors.joining(", "));
        FaultResults.note("holds placed and lifted through both case-service instances at once (" + HOLD_CASES.size()
                + " cases, 2 x 8 rounds each): answers " + answers + "; last states " + states + "; the cases topic, "
                + "both tally, both delivery and both petition instances and delivery's hold mirror agreed with "
                + "case-service's database " + Duration.between(start, Instant.now()).toMillis() + " ms after the last answer");
    }

    /**
     * Instance b of petition- and tally-service cut off from Kafka for 15 s. Every row of the table could pass with the
     * proxies in the wrong place, so the fault is shown to have reached both: tally b's consumer leaves the group (its
     * heartbeats no longer reach the coordinator, 8 s session), and what petition b acknowledged during the cut (into
     * its outbox; the relay of a, on the same database, sends it) is on the topic.
     */
    @Test
    @Order(5)
    void partitionBetweenOneInstanceAndKafka() throws Exception {
        // both tally instances in the group first: a member of b missing already would hide whether the cut took it out
        Set<String> membersBefore = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(PlatformFaultsIT::tallyGroupMembers, m -> m.size() >= 2);
        loadSteadyFor(Duration.ofSeconds(3));
        Instant cutStart = Instant.now();
        platform.kafka.partition();
        // watched beside the cut, so it lasts its 15 s whatever the watch sees
        AtomicReference<Set<String>> membersDuring = new AtomicReference<>(membersBefore);
        CompletableFuture<Void> watched = CompletableFuture.runAsync(() -> {
            try {
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> {
                            membersDuring.set(tallyGroupMembers());
                            return !membersDuring.get().containsAll(membersBefore);
                        });
            } catch (ConditionTimeoutException e) {
                // asserted below, after the table's row is written
            }
        });
        underLoad(Duration.ofSeconds(15));
        platform.kafka.heal();
        Instant cutEnd = Instant.now();
        TallyWatch watch = TallyWatch.fromNow();
        watched.join();
        AfterFault after = faultEnded(watch);
        Checked checked = check("network partition between Kafka and instance b of petition- and tally-service, 15 s",
                after);
        // petition b takes signatures into its outbox while it cannot reach Kafka: every one answered 2xx
        assertEquals(Map.of(), otherAnswers(after.window()), "answers other than 2xx during the partition");
        assertFalse(membersDuring.get().containsAll(membersBefore), "tally-service's consumer group kept every member "
                + "through the cut (before " + membersBefore + ", during " + membersDuring.get()
                + "): the partition did not reach tally-service b");
        Set<String> throughB = after.window().stream().filter(r -> r.index == 1 && !r.sentAt.isBefore(cutStart)
                && r.sentAt.isBefore(cutEnd) && r.first.acknowledged()).map(r -> r.first.actionId())
                .collect(Collectors.toSet());
        assertFalse(throughB.isEmpty(), "petition-service b acknowledged nothing during the cut");
        Set<String> notOnTopic = new HashSet<>(throughB);
        notOnTopic.removeAll(checked.onTopic());
        assertEquals(Set.of(), notOnTopic, "actions petition-service b acknowledged during the cut, not on the topic");
        // and b comes back: the faults after this one count on two tally instances
        Set<String> membersAfter = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(PlatformFaultsIT::tallyGroupMembers, m -> m.size() >= membersBefore.size());
        FaultResults.note(("partition: tally-service's consumer group had %d members before the cut, %d during it "
                + "(tally b's left), %d after; petition-service b acknowledged %d signatures during the cut, every one "
                + "on the actions topic").formatted(membersBefore.size(), membersDuring.get().size(),
                membersAfter.size(), throughB.size()));
    }

    /**
     * PostgreSQL unreachable for every service for 10 s: each open connection cut wherever it was (a statement, a
     * commit), new ones unanswered. petition-service answers {@code 503 database-unavailable} (nothing stored) or,
     * for a commit whose answer was lost, {@code 503 outcome-unknown}; the checks hold both to what they say.
     */
    @Test
    @Order(6)
    void databaseUnreachableFor10Seconds() throws Exception {
        loadSteadyFor(Duration.ofSeconds(3));
        // one signature COMMIT's answer cut on purpose: the outage alone lands on a commit only by chance (it did in
        // one run of three), and then "every outcome-unknown was settled" was checked over nothing
        int cutsBefore = platform.cutSignatureCommit();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> platform.signatureCommitsCut() > cutsBefore);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no signature COMMIT went through petition-service's database proxy in 60 s: "
                    + "is prepareThreshold=0 applied (FaultPlatform)?", e);
        }
        Instant faultStart = Instant.now();
        platform.databaseUnreachable();
        underLoad(Duration.ofSeconds(10));
        platform.databaseBack();
        AfterFault after = faultEnded(TallyWatch.fromNow());
        Instant faultEnd = after.faultEnd();
        List<Request> window = after.window();
        FaultResults.note("PostgreSQL unreachable: %.1f s from the cut to the resume".formatted(
                Duration.between(faultStart, faultEnd).toMillis() / 1000.0));
        // the write path's own recovery (the tally's is the row's): the last request sent after the database was
        // back that still got a 5xx or no answer, per petition-service instance
        for (int i = 0; i < platform.services.get(PETITION).size(); i++) {
            int instance = i;
            Instant lastFailed = window.stream().filter(r -> r.index == instance && r.first.unresolved()
                    && r.sentAt.isAfter(faultEnd)).map(r -> r.sentAt).max(Instant::compareTo).orElse(faultEnd);
            FaultResults.note("PostgreSQL unreachable: petition-service %s answered 2xx to every request sent more than %.1f s "
                    .formatted(platform.services.get(PETITION).get(i), Duration.between(faultEnd, lastFailed).toMillis()
                            / 1000.0) + "after the database was back");
        }
        Checked checked = check("PostgreSQL unreachable for every service, 10 s (open connections cut, new ones "
                + "unanswered; before it, one signature COMMIT's answer cut)", after);
        // the cut commit reached PostgreSQL, so its group was stored and answered outcome-unknown: check() found each
        // settled, and at least one was there to settle, and had been stored (its retry replayed the stored answer)
        assertFalse(checked.unknown().isEmpty(), "no 503 outcome-unknown although a COMMIT's answer was cut");
        assertTrue(checked.unknown().stream().anyMatch(r -> r.last.replayed()),
                "no outcome-unknown had been stored, although the cut COMMIT reached PostgreSQL");
        // otherwise the services were not behind the proxy and nothing above was tested
        assertTrue(window.stream().anyMatch(r -> r.first.unresolved()), "no request noticed the database outage");
        // every pool, consumer and relay is back: the faults after this one and the recount rely on it
        for (ServiceInstance instance : platform.services.values().stream().flatMap(List::stream).toList()) {
            instance.awaitReady();
        }
    }

    /** After every fault, a recount of the tally from the beginning of the actions topic finds no difference. */
    @Test
    @Order(7)
    void aRecountFromTheTopicFindsNoDifference() throws Exception {
        // a quiet topic: nothing left in petition-service's outbox, and the live tally at the topic's end (a recount
        // taken while events still arrive reports "behind" or "ahead", and the events in flight as differences)
        try (Connection db = platform.database(PETITION)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                try (ResultSet rs = db.createStatement().executeQuery("select count(*) from outbox_backlog")) {
                    rs.next();
                    return rs.getLong(1) == 0;
                }
            });
        }
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            answer.set(post(platform.a(TALLY), "/api/v1/tally/reconcile", platform.tokens.get("demo-coordinator"), null));
            return answer.get().statusCode() != 200
                    || "caught-up".equals(SignatureLoad.json(answer.get().body()).path("live").asText());
        });
        HttpResponse<String> response = answer.get();
        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = SignatureLoad.json(response.body());
        FaultResults.note("reconcile after the suite: " + report.path("recordsRead").asLong() + " records read, "
                + report.path("eventsCounted").asLong() + " events counted, live " + report.path("live").asText() + ", "
                + report.path("differenceCount").asInt() + " differences");
        assertEquals(0, report.path("differenceCount").asInt(), response.body());
        assertEquals("caught-up", report.path("live").asText());
    }

    // --- the checks after a fault ------------------------------------------------------------------------------

    /**
     * The fault ended when {@code watch} was started (the broker or instance started again, the network or database
     * back: {@link TallyWatch#fromNow()}); the load runs on for 3 s more, then stops.
     */
    private static AfterFault faultEnded(TallyWatch watch) throws InterruptedException {
        underLoad(Duration.ofSeconds(3));
        return new AfterFault(watch.faultEnd, watch, load.stop());
    }

    /** When the fault ended, the tally's watch from then, and every request the load sent around the fault. */
    private record AfterFault(Instant faultEnd, TallyWatch watch, List<Request> window) {
    }

    /** What a fault's own test checks further: its outcome-unknown requests, and every action id on the topic. */
    private record Checked(List<Request> unknown, Set<String> onTopic) {
    }

    private static Checked check(String fault, AfterFault after) throws Exception {
        List<Request> window = after.window();
        // a 5xx that said "not stored" (database-unavailable, overloaded) must not have stored anything: read the
        // database before the retries store them
        Set<String> saidNotStored = window.stream().filter(r -> r.first.status() >= 500
                && !"outcome-unknown".equals(r.first.problem())).map(r -> r.key).collect(Collectors.toSet());
        long hiddenStored = storedKeys(saidNotStored).size();
        int retries = load.retryUnresolved(platform);
        Map<String, String> acknowledged = load.acknowledged();
        Map<String, Long> expected = new TreeMap<>();
        LOAD_CASES.forEach(c -> expected.put(c, 0L));
        acknowledged.values().forEach(c -> expected.merge(c, 1L, Long::sum));

        AtomicReference<Map<String, Long>> counted = new AtomicReference<>(Map.of());
        boolean caughtUp;
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                counted.set(tallyByCase());
                return counted.get().equals(expected);
            });
            caughtUp = true;
        } catch (ConditionTimeoutException e) {
            caughtUp = false;
        }
        if (caughtUp) {
            after.watch().caughtUpBy(Instant.now());
        }
        after.watch().close();
        // delivery-service keeps its own ledger of the same actions (handovers freeze their counts from it): it must
        // hold every acknowledged one once, as the tally does
        AtomicReference<Map<String, Long>> ledger = new AtomicReference<>(Map.of());
        boolean ledgerCaughtUp;
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                ledger.set(deliveryByCase());
                return ledger.get().equals(expected);
            });
            ledgerCaughtUp = true;
        } catch (ConditionTimeoutException e) {
            ledgerCaughtUp = false;
        }
        long lost = 0, doubled = 0;
        for (String c : LOAD_CASES) {
            long diff = counted.get().getOrDefault(c, 0L) - expected.get(c);
            lost += Math.max(0, -diff);
            doubled += Math.max(0, diff);
        }

        // on the topic: every acknowledged action, each under one event (a re-sent copy has the same event id)
        Map<String, Set<String>> eventsByAction = new HashMap<>();
        for (ConsumerRecord<String, String> r : TopicReader.readAll(platform.kafka.bootstrapServers(), Topics.ACTIONS)) {
            if (r.value() != null && r.value().contains(ENTITY)
                    && Events.fromJson(r.value(), ActionEvent.class) instanceof ActionRecorded a
                    && a.entityId().equals(ENTITY) && LOAD_CASES.contains(a.caseId())) {
                eventsByAction.computeIfAbsent(a.actionId().toString(), id -> new HashSet<>()).add(a.eventId().toString());
            }
        }
        Set<String> missing = new HashSet<>(acknowledged.keySet());
        missing.removeAll(eventsByAction.keySet());
        Set<String> unacknowledged = new HashSet<>(eventsByAction.keySet());
        unacknowledged.removeAll(acknowledged.keySet());
        long twice = eventsByAction.values().stream().filter(events -> events.size() > 1).count();

        // a 5xx that said "not stored": its retry with the same key stored it then, and replayed no earlier answer
        Set<String> replayedAfterNotStored = window.stream().filter(r -> saidNotStored.contains(r.key)
                && r.last.replayed()).map(r -> r.key).collect(Collectors.toSet());
        // outcome-unknown: settled by the retry with the same key, whose answer is the one stored under that key
        List<Request> unknown = window.stream().filter(r -> "outcome-unknown".equals(r.first.problem())).toList();
        Map<String, String> storedAnswers = storedActionIds(unknown.stream().map(r -> r.key).collect(Collectors.toSet()));
        Set<String> unsettled = unknown.stream().filter(r -> !r.last.acknowledged()
                || !r.last.actionId().equals(storedAnswers.get(r.key))).map(r -> r.key).collect(Collectors.toSet());
        // petition-service's own record: each acknowledged action stored once (action id is its key), nothing else
        Set<String> stored = storedLoadActions();
        Set<String> storedUnacknowledged = new HashSet<>(stored);
        storedUnacknowledged.removeAll(acknowledged.keySet());
        Set<String> acknowledgedNotStored = new HashSet<>(acknowledged.keySet());
        acknowledgedNotStored.removeAll(stored);
        if (!saidNotStored.isEmpty() || !unknown.isEmpty()) {
            long storedBefore = unknown.stream().filter(r -> r.last.replayed()).count();
            FaultResults.note(("%s: %d first answers said nothing was stored (database-unavailable, overloaded): %d "
                    + "had stored something before the retry, %d retries with the same key replayed a stored answer; "
                    + "%d were outcome-unknown: %d had been stored (the retry with the same key got the stored answer), "
                    + "%d had not (stored by the retry), %d unsettled").formatted(fault, saidNotStored.size(),
                    hiddenStored, replayedAfterNotStored.size(), unknown.size(), storedBefore,
                    unknown.size() - storedBefore, unsettled.size()));
        }

        long windowAcknowledged = window.stream().filter(r -> r.last.acknowledged()).count();
        Map<String, Long> other = otherAnswers(window);
        double recovered = after.watch().recoverySeconds();
        FaultResults.add(new FaultResults.Row(fault, LOAD, window.size(), windowAcknowledged, acknowledged.size(),
                counted.get().values().stream().mapToLong(Long::longValue).sum(),
                ledger.get().values().stream().mapToLong(Long::longValue).sum(), lost, doubled,
                // "n/a" when the fault drew nothing to check: a check over an empty set cannot fail
                saidNotStored.isEmpty() ? "n/a" : hiddenStored + " of " + saidNotStored.size(),
                unknown.isEmpty() ? "n/a" : (unknown.size() - unsettled.size()) + " of " + unknown.size(),
                other.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey()).collect(Collectors.joining(", ")),
                retries, recovered));

        assertTrue(caughtUp, "the tally never caught up: counted " + counted.get() + ", acknowledged " + expected);
        assertEquals(expected, counted.get(), "tally per case against the acknowledged actions");
        // the time itself is reported, not bounded; "never" within the check's wait fails
        assertTrue(recovered >= 0, "the tally never counted, case by case, what was acknowledged when the fault ended");
        assertTrue(ledgerCaughtUp, "delivery-service's ledger never caught up: " + ledger.get() + ", acknowledged "
                + expected);
        assertEquals(expected, ledger.get(), "delivery-service's ledger per case against the acknowledged actions");
        assertEquals(Set.of(), missing, "acknowledged actions missing on the actions topic");
        assertEquals(0, twice, "actions on the topic under more than one event");
        assertEquals(Set.of(), unacknowledged, "stored actions nobody was told about, after every retry");
        assertEquals(0, hiddenStored, "a 5xx that said 'not stored' hid a stored action");
        assertEquals(Set.of(), replayedAfterNotStored, "a 5xx that said 'not stored' whose retry replayed a stored answer");
        assertEquals(Set.of(), unsettled, "outcome-unknown not settled by the retry with the same key");
        assertEquals(Set.of(), acknowledgedNotStored, "acknowledged actions petition-service did not store");
        assertEquals(Set.of(), storedUnacknowledged, "actions petition-service stored that nobody was told about");
        assertEquals(Set.of(), other.keySet().stream().filter(a -> !a.startsWith("no answer") && !ALLOWED_FAILURES.contains(a))
                .collect(Collectors.toSet()), "answers a caller must never get");
        assertTrue(window.stream().allMatch(r -> r.last.acknowledged()), "requests not acknowledged after retries");
        return new Checked(unknown, eventsByAction.keySet());
    }

    /** First answers other than 2xx, by what they said. */
    private static Map<String, Long> otherAnswers(List<Request> window) {
        return window.stream().filter(r -> r.first.status() / 100 != 2)
                .collect(Collectors.groupingBy(r -> r.first.label(), TreeMap::new, Collectors.counting()));
    }

    /** Which of these Idempotency-Keys petition-service stored an answer for. */
    private static Set<String> storedKeys(Set<String> keys) throws Exception {
        Set<String> stored = new HashSet<>();
        if (keys.isEmpty()) {
            return stored;
        }
        try (Connection db = platform.database(PETITION);
             PreparedStatement q = db.prepareStatement("select key from idempotency_key where key = any(?)")) {
            q.setArray(1, db.createArrayOf("varchar", keys.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        return stored;
    }

    /** The action id of the answer petition-service stored under each of these Idempotency-Keys. */
    private static Map<String, String> storedActionIds(Set<String> keys) throws Exception {
        Map<String, String> actionIds = new HashMap<>();
        if (keys.isEmpty()) {
            return actionIds;
        }
        try (Connection db = platform.database(PETITION); PreparedStatement q = db.prepareStatement(
                "select key, response from idempotency_key where key = any(?) and status = 202")) {
            q.setArray(1, db.createArrayOf("varchar", keys.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    actionIds.put(rs.getString(1), SignatureLoad.json(rs.getString(2)).path("results").path(0)
                            .path("actionId").asText(null));
                }
            }
        }
        return actionIds;
    }

    /** Every signature of the load petition-service has stored, by action id. */
    private static Set<String> storedLoadActions() throws Exception {
        Set<String> stored = new HashSet<>();
        try (Connection db = platform.database(PETITION); PreparedStatement q = db.prepareStatement(
                "select action_id from signature where entity_id = ? and case_id = any(?)")) {
            q.setString(1, ENTITY);
            q.setArray(2, db.createArrayOf("varchar", LOAD_CASES.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        return stored;
    }

    /**
     * The tally's total of each load case, from whichever tally instance answers: a restarted instance is alive before
     * it listens, and asking only the first live one timed its start, not the tally's catching up.
     */
    private static Map<String, Long> tallyByCase() throws Exception {
        return fromEither(TALLY, PlatformFaultsIT::tallyByCase);
    }

    private static Map<String, Long> tallyByCase(ServiceInstance tally) throws Exception {
        Map<String, Long> totals = new TreeMap<>();
        for (String caseId : LOAD_CASES) {
            HttpResponse<String> r = get(tally, "/api/v1/totals/cases/" + caseId + "?campaign=" + CAMPAIGN,
                    platform.tokens.get("demo-coordinator"));
            if (r.statusCode() != 200) {
                throw new IllegalStateException(tally + " answered " + r.statusCode() + " for the totals of " + caseId);
            }
            totals.put(caseId, SignatureLoad.json(r.body()).path("total").asLong());
        }
        return totals;
    }

    /**
     * delivery-service's ledger for each load case: what a handover would freeze (every action up to the cut-off, an
     * hour ahead so that no clock between the services matters), from whichever delivery instance answers.
     */
    private static Map<String, Long> deliveryByCase() throws Exception {
        return fromEither(DELIVERY, PlatformFaultsIT::deliveryByCase);
    }

    private static Map<String, Long> deliveryByCase(ServiceInstance delivery) throws Exception {
        Map<String, Long> totals = new TreeMap<>();
        String until = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (String caseId : LOAD_CASES) {
            HttpResponse<String> r = get(delivery, "/api/v1/cases/" + caseId + "/counts?until=" + until,
                    platform.tokens.get("demo-delivery"));
            if (r.statusCode() != 200) {
                throw new IllegalStateException(delivery + " answered " + r.statusCode() + " for the counts of " + caseId);
            }
            totals.put(caseId, SignatureLoad.json(r.body()).path("total").asLong());
        }
        return totals;
    }

    private interface Read {
        Map<String, Long> from(ServiceInstance instance) throws Exception;
    }

    /** What the first running instance of {@code service} that answers says; both read the same database. */
    private static Map<String, Long> fromEither(String service, Read read) throws Exception {
        Exception failed = new IllegalStateException("no instance of " + service + " is running");
        for (ServiceInstance instance : platform.services.get(service)) {
            if (instance.alive()) {
                try {
                    return read.from(instance);
                } catch (Exception e) {
                    failed = e;
                }
            }
        }
        throw failed;
    }

    /** The consumer ids in tally-service's group on {@code actions}, as the group coordinator sees them. */
    private static Set<String> tallyGroupMembers() throws Exception {
        try (Admin admin = platform.kafka.admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(TALLY_GROUP)).all()
                    .get(10, TimeUnit.SECONDS).get(TALLY_GROUP);
            return group.members().stream().map(MemberDescription::consumerId).collect(Collectors.toSet());
        }
    }

    /**
     * From a fault's end (the broker or instance started again, the network or database back), the first moment the
     * tally had counted, for every load case, at least what had been acknowledged for that case when the fault ended:
     * how long the platform took to catch up with what it had promised. Case by case, because a sum can be made up
     * by one case's surplus while another's partition lags (a case's actions share a partition: their key is the
     * case); "at least", because the load runs on after the fault and a poll may come after later ones were counted.
     */
    static final class TallyWatch implements AutoCloseable {
        final Instant faultEnd;
        private final Map<String, Long> target;
        private final Thread thread;
        private volatile Instant reached;

        /** The fault ends now: the target is what the load has had acknowledged by now, per case. */
        static TallyWatch fromNow() {
            Instant now = Instant.now();
            Map<String, Long> byCase = new TreeMap<>();
            LOAD_CASES.forEach(c -> byCase.put(c, 0L));
            load.acknowledged().values().forEach(c -> byCase.merge(c, 1L, Long::sum));
            return new TallyWatch(now, byCase);
        }

        private TallyWatch(Instant faultEnd, Map<String, Long> acknowledgedAtFaultEnd) {
            this.faultEnd = faultEnd;
            this.target = acknowledgedAtFaultEnd;
            thread = new Thread(() -> {
                while (reached == null && !Thread.currentThread().isInterrupted()) {
                    try {
                        Map<String, Long> counted = tallyByCase();
                        if (target.entrySet().stream().allMatch(t -> counted.getOrDefault(t.getKey(), 0L) >= t.getValue())) {
                            reached = Instant.now();
                        }
                    } catch (Exception notNow) {
                        // a tally instance may be down or starting: ask again
                    }
                    try {
                        Thread.sleep(200); // a polling interval, not an assertion
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "tally-watch");
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * The check's own wait saw the tally caught up by {@code now}: an upper bound, for when the watch's slower poll
         * had not looked yet (the all-brokers row once read "never" although its checks passed).
         */
        void caughtUpBy(Instant now) {
            if (reached == null) {
                reached = now;
            }
        }

        double recoverySeconds() {
            return reached == null ? -1 : Math.max(0, Duration.between(faultEnd, reached).toMillis()) / 1000.0;
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    // --- plumbing ------------------------------------------------------------------------------------------------

    /** The load started, and running steadily for {@code steady} before the fault. */
    private static void loadSteadyFor(Duration steady) throws InterruptedException {
        load.start(RATE);
        underLoad(steady);
    }

    /** Lets the load run: the faults are timed, the checks after them are not. */
    private static void underLoad(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private static void record(Map<String, Integer> answers, String method, HttpResponse<String> r) {
        String type = r.statusCode() >= 400 && SignatureLoad.problemType(r.body()) != null
                ? " " + SignatureLoad.problemType(r.body()) : "";
        synchronized (answers) {
            answers.merge(method + " " + r.statusCode() + type, 1, Integer::sum);
        }
    }

    /** The hold a case's answer shows, as a case manager reads it before lifting it; -1 if none. */
    static long shownHold(String caseJson) {
        java.util.regex.Matcher hold = java.util.regex.Pattern.compile("\"holdId\"\\s*:\\s*(\\d+)").matcher(caseJson);
        return hold.find() ? Long.parseLong(hold.group(1)) : -1;
    }

    static HttpResponse<String> get(ServiceInstance s, String path, String token) throws Exception {
        return send(s, path, token, "GET", null);
    }

    static HttpResponse<String> put(ServiceInstance s, String path, String token, String body) throws Exception {
        return send(s, path, token, "PUT", body);
    }

    static HttpResponse<String> delete(ServiceInstance s, String path, String token) throws Exception {
        return send(s, path, token, "DELETE", null);
    }

    static HttpResponse<String> post(ServiceInstance s, String path, String token, String body) throws Exception {
        return send(s, path, token, "POST", body);
    }

    private static HttpResponse<String> send(ServiceInstance s, String path, String token, String method, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

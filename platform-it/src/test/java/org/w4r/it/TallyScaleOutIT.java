package org.w4r.it;

import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.Events;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.PostgresServer;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.TcpProxy;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scale-out: two packaged tally-service processes in one consumer group on one database share the action
 * partitions; one is killed (kill -9) in the middle of its share (its database cut mid-batch, some of its events
 * applied and some not), a rebalance hands its partitions to the other, it is started again, and every figure the
 * tally shows (campaign, case, entity, matrix, day, type, mode) equals a ground truth summed from the events, and a
 * reconcile finds no difference.
 */
class TallyScaleOutIT {
    static final Path ROOT = Path.of(System.getProperty("w4r.root", "..")).toAbsolutePath().normalize();
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String CAMPAIGN = "scale-out-" + RUN;
    static final String TOKEN = "scale-out-token-" + RUN;
    static final String TICKET_KEY_PART = UUID.randomUUID().toString();
    /** Chosen once the members' partitions are known ({@link #casesOnBoth}). */
    static final List<String> CASES = new ArrayList<>();
    static final List<String> ENTITIES = List.of("ai-france", "ai-malta", "ai-benin");
    static final List<Instance> INSTANCES = new ArrayList<>();
    static String kafka;
    static String jdbcUrl;

    /** A packaged tally-service whose process this test can kill outright. */
    record Instance(String name, int port, Process process, Path log) {
        String url() {
            return "http://localhost:" + port;
        }
    }

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.bootstrapServers();
        ReferenceFixtures.createTopics(kafka);
        Instant now = Instant.now();
        try (KafkaProducer<String, String> producer = producer()) {
            ReferenceFixtures.send(producer, Topics.CAMPAIGNS, CAMPAIGN, new CampaignChanged(UUID.randomUUID(), CAMPAIGN,
                    "Scale-out test", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false, List.of(), now));
            ReferenceFixtures.send(producer, Topics.CREDENTIALS, "key_" + RUN, ReferenceFixtures.staffCredential(
                    "key_" + RUN, "scale-out-" + RUN, "coordinator", TOKEN));
        }
        jdbcUrl = PostgresServer.shared().createDatabase("tally_scale_out");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Instance instance : INSTANCES) {
            instance.process().destroy();
            instance.process().waitFor();
        }
        if (jdbcUrl != null) {
            PostgresServer.shared().dropDatabase(jdbcUrl);
        }
    }

    static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", kafka, "acks", "all"), new StringSerializer(), new StringSerializer());
    }

    static Instance launch(String name) throws Exception {
        return launch(name, jdbcUrl);
    }

    static Instance launch(String name, String databaseUrl) throws Exception {
        Path jar = ROOT.resolve("tally-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run './mvnw verify' from the root so it is packaged first");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresServer postgres = PostgresServer.shared();
        Map<String, String> settings = new HashMap<>(Map.of(
                "quarkus.http.port", String.valueOf(port),
                "kafka.bootstrap.servers", kafka,
                "quarkus.datasource.jdbc.url", databaseUrl,
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                // a group of its own, so no other test's tally shares these partitions
                "mp.messaging.incoming.actions.group.id", "tally-scale-out-" + RUN,
                "mp.messaging.incoming.deliveries.group.id", "tally-scale-out-deliveries-" + RUN,
                // a killed member's partitions move after this, not after the default 45 s
                "mp.messaging.incoming.actions.session.timeout.ms", "8000",
                "mp.messaging.incoming.actions.heartbeat.interval.ms", "1000",
                // stopped one after another at the end: no balancer to wait for (TestPlatform's harness choice)
                "quarkus.shutdown.delay", "0S"));
        // one key on every instance, as deployed: a ticket from one opens a stream on any other
        settings.put("w4r.stream.ticket-key", "scale-out-ticket-key-" + RUN + "-" + TICKET_KEY_PART);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        command.addAll(ServiceProcess.JIT);
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = ROOT.resolve("platform-it/target/" + name + "-" + RUN + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Instance instance = new Instance(name, port, process, log);
        INSTANCES.add(instance);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; log:\n" + Files.readString(log));
            }
            return ready(instance);
        });
        return instance;
    }

    static boolean ready(Instance instance) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(instance.url() + "/q/health/ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    static JsonPath totals(Instance instance) {
        return given().auth().oauth2(TOKEN).get(instance.url() + "/api/v1/totals?campaign=" + CAMPAIGN)
                .then().statusCode(200).extract().jsonPath();
    }

    static long membersWithPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
            String group = "tally-scale-out-" + RUN;
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        }
    }

    /** Committed offsets of the group, by partition of the action topic. */
    static Map<TopicPartition, Long> committed() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets("tally-scale-out-" + RUN).partitionsToOffsetAndMetadata().get()
                    .forEach((p, o) -> {
                        if (o != null && p.topic().equals(Topics.ACTIONS)) {
                            offsets.put(p, o.offset());
                        }
                    });
            return offsets;
        }
    }

    /** The action partitions assigned to each member of the group, by member id (kept by a member across rebalances). */
    static Map<String, Set<TopicPartition>> assignments() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
            String group = "tally-scale-out-" + RUN;
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .collect(Collectors.toMap(m -> m.consumerId(), m -> m.assignment().topicPartitions().stream()
                            .filter(p -> p.topic().equals(Topics.ACTIONS)).collect(Collectors.toSet())));
        }
    }

    static Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < admin.describeTopics(List.of(Topics.ACTIONS)).allTopicNames().get()
                    .get(Topics.ACTIONS).partitions().size(); p++) {
                latest.put(new TopicPartition(Topics.ACTIONS, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((p, o) -> end.put(p, o.offset()));
            return end;
        }
    }

    /** Non-zero entries as longs: the tally leaves zeros out of some maps and not others. */
    static Map<String, Long> nonZero(Map<String, ?> map) {
        Map<String, Long> result = new TreeMap<>();
        if (map != null) {
            map.forEach((k, v) -> {
                long n = ((Number) v).longValue();
                if (n != 0) {
                    result.put(k, n);
                }
            });
        }
        return result;
    }

    /** What the tally must show, summed here from the events themselves (each event once, however often sent). */
    static final class GroundTruth {
        long total;
        final Map<String, Long> byCase = new TreeMap<>();
        final Map<String, Long> byEntity = new TreeMap<>();
        final Map<String, Long> byDay = new TreeMap<>();
        final Map<String, Long> byType = new TreeMap<>();
        final Map<String, Long> byMode = new TreeMap<>();
        final Map<String, GroundTruth> ofCase = new TreeMap<>();
        final Map<String, GroundTruth> ofEntity = new TreeMap<>();

        void add(ActionEvent e, boolean nested) {
            long n = e.countChange();
            total += n;
            String caseId = e.caseId() == null ? "" : e.caseId();
            byCase.merge(caseId, n, Long::sum);
            byEntity.merge(e.entityId(), n, Long::sum);
            byDay.merge(LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC).toString(), n, Long::sum);
            byType.merge(e.type().code(), n, Long::sum);
            byMode.merge(e.mode().code(), n, Long::sum);
            if (nested) {
                if (e.caseId() != null) {
                    ofCase.computeIfAbsent(e.caseId(), c -> new GroundTruth()).add(e, false);
                }
                ofEntity.computeIfAbsent(e.entityId(), c -> new GroundTruth()).add(e, false);
            }
        }

        static Map<String, Long> nonZero(Map<String, Long> map) {
            return TallyScaleOutIT.nonZero(map);
        }
    }

    static void assertExact(GroundTruth truth, Instance instance) {
        String query = "?campaign=" + CAMPAIGN;
        JsonPath t = totals(instance);
        assertEquals(truth.total, t.getLong("total"));
        assertEquals(truth.byCase.getOrDefault("", 0L), t.getLong("withoutCase"));
        Map<String, Long> cases = new TreeMap<>();
        t.getList("cases", Map.class).forEach(c -> cases.put((String) c.get("caseId"), ((Number) c.get("total")).longValue()));
        Map<String, Long> expectedCases = new TreeMap<>(truth.byCase);
        expectedCases.remove("");
        assertEquals(GroundTruth.nonZero(expectedCases), nonZero(cases), "cases");
        Map<String, Long> entities = new TreeMap<>();
        t.getList("entities", Map.class).forEach(e -> entities.put((String) e.get("entityId"), ((Number) e.get("total")).longValue()));
        assertEquals(GroundTruth.nonZero(truth.byEntity), nonZero(entities), "entities");
        assertEquals(GroundTruth.nonZero(truth.byType), nonZero(t.getMap("types")), "types");
        assertEquals(GroundTruth.nonZero(truth.byMode), nonZero(t.getMap("modes")), "modes");
        assertEquals(GroundTruth.nonZero(truth.byDay), days(instance, query), "days");

        for (String caseId : CASES) {
            GroundTruth c = truth.ofCase.getOrDefault(caseId, new GroundTruth());
            JsonPath d = given().auth().oauth2(TOKEN).get(instance.url() + "/api/v1/totals/cases/" + caseId + query)
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(c.total, d.getLong("total"), caseId);
            assertEquals(GroundTruth.nonZero(c.byEntity), nonZero(d.getMap("byEntity")), caseId + " by entity");
            assertEquals(GroundTruth.nonZero(c.byType), nonZero(d.getMap("byType")), caseId + " by type");
            assertEquals(GroundTruth.nonZero(c.byMode), nonZero(d.getMap("byMode")), caseId + " by mode");
            assertEquals(GroundTruth.nonZero(c.byDay), nonZero(d.getMap("byDay")), caseId + " by day");
            assertEquals(GroundTruth.nonZero(c.byDay), days(instance, query + "&caseId=" + caseId), caseId + " days");
        }
        for (String entityId : ENTITIES) {
            GroundTruth e = truth.ofEntity.getOrDefault(entityId, new GroundTruth());
            JsonPath d = given().auth().oauth2(TOKEN).get(instance.url() + "/api/v1/totals/entities/" + entityId + query)
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(e.total, d.getLong("total"), entityId);
            Map<String, Long> byCase = new TreeMap<>(e.byCase);
            long withoutCase = byCase.getOrDefault("", 0L);
            byCase.remove("");
            assertEquals(GroundTruth.nonZero(byCase), nonZero(d.getMap("byCase")), entityId + " by case");
            assertEquals(withoutCase, d.getLong("withoutCase"), entityId + " without case");
            assertEquals(GroundTruth.nonZero(e.byType), nonZero(d.getMap("byType")), entityId + " by type");
            assertEquals(GroundTruth.nonZero(e.byMode), nonZero(d.getMap("byMode")), entityId + " by mode");
            assertEquals(GroundTruth.nonZero(e.byDay), nonZero(d.getMap("byDay")), entityId + " by day");
            assertEquals(GroundTruth.nonZero(e.byDay), days(instance, query + "&entityId=" + entityId), entityId + " days");
            // the matrix row of the entity: its cases and its actions without a case
            JsonPath matrix = given().auth().oauth2(TOKEN).get(instance.url() + "/api/v1/totals/matrix" + query)
                    .then().statusCode(200).extract().jsonPath();
            Map<String, Object> row = matrix.getMap("rows.find { it.entityId == '" + entityId + "' }");
            assertEquals(GroundTruth.nonZero(byCase), nonZero(row == null ? null : (Map<String, ?>) row.get("cases")),
                    entityId + " matrix row");
            assertEquals(withoutCase, row == null ? 0L : ((Number) row.get("withoutCase")).longValue(), entityId);
            assertEquals(e.total, row == null ? 0L : ((Number) row.get("total")).longValue(), entityId);
        }
    }

    static Map<String, Long> days(Instance instance, String query) {
        Map<String, Long> days = new TreeMap<>();
        given().auth().oauth2(TOKEN).get(instance.url() + "/api/v1/totals/days" + query).then().statusCode(200)
                .extract().jsonPath().getList("days", Map.class)
                .forEach(d -> days.put((String) d.get("day"), ((Number) d.get("total")).longValue()));
        return nonZero(days);
    }

    @Test
    void twoInstancesShareThePartitionsAndStayExactThroughAKillAndARebalance() throws Exception {
        // the first instance reaches the database through a proxy, so the test can stop it mid-batch
        TcpProxy firstDatabase = TcpProxy.inFrontOf(jdbcUrl);
        try {
            run(firstDatabase);
        } finally {
            firstDatabase.close();
        }
    }

    private void run(TcpProxy firstDatabase) throws Exception {
        Instance first = launch("tally-scale-out-1", firstDatabase.route(jdbcUrl));
        await().atMost(Duration.ofSeconds(60)).until(() -> membersWithPartitions() == 1);
        String firstMember = assignments().keySet().iterator().next();
        Instance second = launch("tally-scale-out-2");
        // both instances hold partitions of the one group before anything is published. The bound is generous on
        // purpose: in a full run on two loaded cores (2 December) a second member's join took more than 60 s to end in an
        // assignment for both, though it came on the rerun; what is asserted is that it comes, not how fast
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> membersWithPartitions() == 2);
        Map<String, Set<TopicPartition>> assigned = assignments();
        Set<TopicPartition> ofFirst = assigned.get(firstMember);
        Set<TopicPartition> ofSecond = new java.util.HashSet<>();
        assigned.forEach((member, partitions) -> {
            if (!member.equals(firstMember)) {
                ofSecond.addAll(partitions);
            }
        });
        assertTrue(ofFirst != null && !ofFirst.isEmpty() && !ofSecond.isEmpty(), assigned.toString());
        Map<TopicPartition, Long> startOffsets = endOffsets();
        CASES.addAll(casesOnBoth(ofFirst, ofSecond, startOffsets.size()));

        // a seed of its own each run, printed, so a failing run can be replayed with -Dscale-out.seed=<seed>
        long seed = Long.getLong("scale-out.seed", new Random().nextLong());
        System.out.println("TallyScaleOutIT seed: " + seed + " (replay with -Dscale-out.seed=" + seed + ")");
        Random random = new Random(seed);
        Instant now = Instant.now();
        List<ActionEvent> events = new ArrayList<>();
        List<ActionRecorded> recorded = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            if (!recorded.isEmpty() && random.nextInt(10) == 0) {
                ActionRecorded a = recorded.get(random.nextInt(recorded.size()));
                events.add(new ActionCorrected(UUID.randomUUID(), a.actionId(), CAMPAIGN, a.caseId(), a.entityId(), a.type(),
                        a.mode(), -1, a.occurredAt(), now));
            } else {
                Instant at = now.minus(Duration.ofMinutes(random.nextInt(72 * 60)));
                Mode mode = random.nextInt(5) == 0 ? Mode.OFFLINE : Mode.ONLINE;
                ActionRecorded a = new ActionRecorded(new UUID(random.nextLong(), random.nextLong()),
                        new UUID(random.nextLong(), random.nextLong()), CAMPAIGN,
                        random.nextInt(8) == 0 ? null : CASES.get(random.nextInt(CASES.size())),
                        ENTITIES.get(random.nextInt(ENTITIES.size())), ActionType.values()[random.nextInt(3)], mode,
                        mode == Mode.OFFLINE ? 1 + random.nextInt(300) : 1, at, at);
                recorded.add(a);
                events.add(a);
            }
        }
        GroundTruth truth = new GroundTruth();
        events.forEach(e -> truth.add(e, true));

        try (KafkaProducer<String, String> producer = producer()) {
            int third = events.size() / 3;
            publish(producer, events, 0, third);
            // the first instance has consumed some of its partitions' share...
            await().atMost(Duration.ofSeconds(60)).until(() -> committed().entrySet().stream()
                    .anyMatch(e -> ofFirst.contains(e.getKey()) && e.getValue() > startOffsets.getOrDefault(e.getKey(), 0L)));
            // ...then its database stops answering: the batch it is in can neither apply nor commit, and more arrives
            firstDatabase.pause();
            firstDatabase.cut();
            publish(producer, events, third, third + third / 2);
            Map<TopicPartition, Long> end = endOffsets();
            Map<TopicPartition, Long> atKill = committed();
            first.process().destroyForcibly().waitFor();
            long consumed = ofFirst.stream().mapToLong(p -> atKill.getOrDefault(p, 0L) - startOffsets.getOrDefault(p, 0L)).sum();
            long left = ofFirst.stream().mapToLong(p -> end.get(p) - atKill.getOrDefault(p, 0L)).sum();
            System.out.printf("killed the first instance (partitions %s) with %d events applied and %d not%n",
                    ofFirst, consumed, left);
            assertTrue(consumed > 0 && left > 0, "the kill did not land mid-stream: " + consumed + " applied, "
                    + left + " left");
            assertTrue(ofSecond.stream().noneMatch(ofFirst::contains));
            publish(producer, events, third + third / 2, 2 * third);
            // the survivor takes over the killed member's partitions, and their events it had not applied
            await().atMost(Duration.ofSeconds(60)).until(() -> membersWithPartitions() == 1);
            first = launch("tally-scale-out-1b");
            publish(producer, events, 2 * third, events.size());
        }

        long expected = truth.total;
        for (Instance instance : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertEquals(expected, totals(instance).getLong("total")));
            Instance shown = instance;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertExact(truth, shown));
        }
        JsonPath report = given().auth().oauth2(TOKEN).post(second.url() + "/api/v1/tally/reconcile")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(0, report.getInt("differenceCount"), report.prettify());

        // a stream ticket opens one stream across the instances: one issued by the first opens on the second, and
        // is then refused by the first (each remembered its own uses until a review, 6 December 2026)
        String ticket = given().auth().oauth2(TOKEN).post(first.url() + "/api/v1/totals/stream-tickets")
                .then().statusCode(200).extract().jsonPath().getString("ticket");
        assertEquals(200, openStream(second, ticket));
        assertEquals(401, openStream(first, ticket));
        assertEquals(401, openStream(second, ticket));
    }

    /** The status with which {@code instance} answers a stream opened with {@code ticket}; the stream is closed at once. */
    static int openStream(Instance instance, String ticket) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(instance.url() + "/api/v1/totals/stream?campaign=" + CAMPAIGN
                + "&ticket=" + ticket).toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(10_000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    /**
     * Four cases, two whose events land on the first member's partitions and two on the second's. An action's partition
     * is a hash of its case (or, without one, its entity); with four cases named blind, all of them fell on the second
     * member's partitions in about one run in thirty, and the entity keys too (all three hash to partitions 4 and 5 of
     * 6), so the first member had nothing to consume and the wait for its first commit timed out (CI, 4 December).
     */
    static List<String> casesOnBoth(Set<TopicPartition> ofFirst, Set<TopicPartition> ofSecond, int partitions) {
        List<String> onFirst = new ArrayList<>();
        List<String> onSecond = new ArrayList<>();
        for (int i = 0; onFirst.size() < 2 || onSecond.size() < 2; i++) {
            String caseId = CAMPAIGN + "-" + i;
            TopicPartition partition = new TopicPartition(Topics.ACTIONS, partitionOf(Topics.actionKey(caseId, null), partitions));
            List<String> side = ofFirst.contains(partition) ? onFirst : ofSecond.contains(partition) ? onSecond : null;
            if (side != null && side.size() < 2) {
                side.add(caseId);
            }
        }
        List<String> cases = new ArrayList<>(onFirst);
        cases.addAll(onSecond);
        return cases;
    }

    /** The partition the producer's default partitioner gives a keyed record (murmur2 of the key's bytes). */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Events {@code from} to {@code to}, every seventh twice, as a relay re-sending after a crash would. */
    static void publish(KafkaProducer<String, String> producer, List<ActionEvent> events, int from, int to) {
        for (int i = from; i < to; i++) {
            ActionEvent e = events.get(i);
            producer.send(new ProducerRecord<>(Topics.ACTIONS, e.key(), Events.toJson(e)));
            if (i % 7 == 0) {
                producer.send(new ProducerRecord<>(Topics.ACTIONS, e.key(), Events.toJson(e)));
            }
        }
        producer.flush();
    }
}

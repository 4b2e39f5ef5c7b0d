package org.w4r.it;

import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.PostgresServer;
import org.w4r.testsupport.ReferenceFixtures;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Scale-out: two packaged tally-service processes in one consumer group on one database share the action
 * partitions; one is killed (kill -9) while events stream in, a rebalance hands its partitions to the other, it is
 * started again, and every total is still exact, and a reconcile finds no difference.
 */
class TallyScaleOutIT {
    static final Path ROOT = Path.of(System.getProperty("w4r.root", "..")).toAbsolutePath().normalize();
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String CAMPAIGN = "scale-out-" + RUN;
    static final String TOKEN = "scale-out-token-" + RUN;
    static final List<String> CASES = List.of(CAMPAIGN + "-a", CAMPAIGN + "-b", CAMPAIGN + "-c", CAMPAIGN + "-d");
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
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                // a group of its own, so no other test's tally shares these partitions
                "mp.messaging.incoming.actions.group.id", "tally-scale-out-" + RUN,
                "mp.messaging.incoming.deliveries.group.id", "tally-scale-out-deliveries-" + RUN,
                // a killed member's partitions move after this, not after the default 45 s
                "mp.messaging.incoming.actions.session.timeout.ms", "8000",
                "mp.messaging.incoming.actions.heartbeat.interval.ms", "1000"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
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

    @Test
    void twoInstancesShareThePartitionsAndStayExactThroughAKillAndARebalance() throws Exception {
        Instance first = launch("tally-scale-out-1");
        Instance second = launch("tally-scale-out-2");
        // both instances hold partitions of the one group before anything is published
        await().atMost(Duration.ofSeconds(60)).until(() -> membersWithPartitions() == 2);

        Random random = new Random();
        List<ActionEvent> events = new ArrayList<>();
        List<ActionRecorded> recorded = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            if (!recorded.isEmpty() && random.nextInt(10) == 0) {
                ActionRecorded a = recorded.get(random.nextInt(recorded.size()));
                events.add(new ActionCorrected(UUID.randomUUID(), a.actionId(), CAMPAIGN, a.caseId(), a.entityId(), a.type(),
                        a.mode(), -1, a.occurredAt(), Instant.now()));
            } else {
                Instant at = Instant.now().minus(Duration.ofHours(random.nextInt(72)));
                Mode mode = random.nextInt(5) == 0 ? Mode.OFFLINE : Mode.ONLINE;
                ActionRecorded a = new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), CAMPAIGN,
                        random.nextInt(8) == 0 ? null : CASES.get(random.nextInt(CASES.size())),
                        ENTITIES.get(random.nextInt(ENTITIES.size())), ActionType.values()[random.nextInt(3)], mode,
                        mode == Mode.OFFLINE ? 1 + random.nextInt(300) : 1, at, at);
                recorded.add(a);
                events.add(a);
            }
        }
        Map<String, Long> byCase = new HashMap<>();
        Map<String, Long> byEntity = new HashMap<>();
        long total = 0;
        for (ActionEvent e : events) {
            total += e.countChange();
            byCase.merge(e.caseId() == null ? "" : e.caseId(), e.countChange(), Long::sum);
            byEntity.merge(e.entityId(), e.countChange(), Long::sum);
        }

        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < events.size(); i++) {
                ActionEvent e = events.get(i);
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.ACTIONS, e.key(),
                        org.w4r.events.Events.toJson(e)));
                if (i % 7 == 0) { // published twice, as a relay re-sending after a crash would
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.ACTIONS, e.key(),
                            org.w4r.events.Events.toJson(e)));
                }
                if (i == events.size() / 3) {
                    producer.flush();
                    // a third of the stream is on its way to both instances: kill one outright, as likely as not mid-batch
                    first.process().destroyForcibly().waitFor();
                }
                if (i == 2 * events.size() / 3) {
                    producer.flush();
                    first = launch("tally-scale-out-1b");
                }
            }
            producer.flush();
        }

        long expected = total;
        for (Instance instance : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertEquals(expected, totals(instance).getLong("total")));
            JsonPath t = totals(instance);
            assertEquals(byCase.getOrDefault("", 0L), t.getLong("withoutCase"));
            for (String caseId : CASES) {
                assertEquals(byCase.getOrDefault(caseId, 0L), t.getLong("cases.find { it.caseId == '" + caseId + "' }.total"), caseId);
            }
            for (String entityId : ENTITIES) {
                assertEquals(byEntity.getOrDefault(entityId, 0L),
                        t.getLong("entities.find { it.entityId == '" + entityId + "' }.total"), entityId);
            }
        }
        JsonPath report = given().auth().oauth2(TOKEN).post(second.url() + "/api/v1/tally/reconcile")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(0, report.getInt("differenceCount"), report.prettify());
    }
}

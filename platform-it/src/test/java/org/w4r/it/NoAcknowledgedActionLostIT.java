package org.w4r.it;

import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.PostgresServer;
import org.w4r.testsupport.TopicReader;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guarantee 1: a 2xx from petition-service means the action will be counted, even if the service is killed
 * (kill -9) while its outbox still holds events it has acknowledged but not yet sent to Kafka. The restarted service
 * sends them; each reaches the topic once and the tally counts each once.
 */
class NoAcknowledgedActionLostIT {
    static final Path ROOT = Path.of(System.getProperty("w4r.root", "..")).toAbsolutePath().normalize();
    /**
     * service-kit's OutboxRelay sends only while it holds this transaction-level advisory lock. Holding it from the
     * test is "Kafka is slow": the service keeps acknowledging, its outbox grows, nothing of it leaves.
     */
    static final long RELAY_LOCK = 0x7734_6f75_7462_6f78L;
    static final int SENDERS = 4;

    /** One acknowledged action: what the tally must count for it. */
    record Acknowledged(String actionId, String caseId, String type) {
    }

    @Test
    void everyAcknowledgedActionReachesKafkaOnceAndTheTallyAfterAKillWithAFullOutbox() throws Exception {
        // the shared platform gives the broker and the tally; this test runs a petition-service of its own, to kill it,
        // and a campaign of its own, so the tally's totals of that campaign are this test's actions and nothing else
        TestPlatform platform = TestPlatform.get();
        String kafka = platform.kafka;
        OwnCampaign campaign = OwnCampaign.publish(kafka, "kill");
        PostgresServer postgres = PostgresServer.shared();
        String jdbcUrl = postgres.createDatabase("petition_kill");
        Map<String, String> settings = Map.of("kafka.bootstrap.servers", kafka, "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", postgres.username(), "quarkus.datasource.password", postgres.password());
        Map<String, String> env = Map.of("W4R_SIGNER_HMAC_KEY", "kill-test-hmac-key-0123456789abcdef");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger unanswered = new AtomicInteger();
        long unsentAtKill;
        try {
            ServiceProcess petitions = ServiceProcess.start(ROOT, "petition-service", "petition-service-kill", settings, env);
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            AtomicBoolean killed = new AtomicBoolean();
            try (Connection relayLock = PostgresServer.connect(jdbcUrl, postgres.username(), postgres.password())) {
                petitions.awaitReady(Duration.ofSeconds(90));
                // the key and cases arrive over Kafka: the first accepted action says the service has them
                await().atMost(Duration.ofSeconds(60)).until(() -> send(http, petitions, campaign, 0, acknowledged) != null);
                for (int s = 0; s < SENDERS; s++) {
                    senders.submit(() -> {
                        for (int i = 1; !killed.get(); i++) {
                            try {
                                if (send(http, petitions, campaign, i, acknowledged) == null) {
                                    unanswered.incrementAndGet();
                                }
                            } catch (Exception cut) {
                                unanswered.incrementAndGet(); // killed while this request was open: not acknowledged
                            }
                        }
                    });
                }
                // some actions go out as usual, then the relay is held while the senders go on
                await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 100);
                try (Statement lock = relayLock.createStatement()) {
                    lock.execute("select pg_advisory_lock(" + RELAY_LOCK + ")"); // waits for the relay's open batch
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> unsent(relayLock) >= 150);
                // the lock is held: nothing can leave the outbox between this count and the kill
                unsentAtKill = unsent(relayLock);
                petitions.kill();
                killed.set(true);
                senders.shutdown();
                assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS));
                // every action acknowledged before the kill is on the topic or waits in the outbox, by id (a count of
                // the outbox proved nothing: rows of unacknowledged actions could stand in for acknowledged ones)
                Set<String> unaccounted = new TreeSet<>(acknowledged.keySet());
                unaccounted.removeAll(published(kafka, campaign).keySet());
                Set<String> waiting = waitingActions(relayLock);
                assertFalse(waiting.isEmpty(), "the outbox was full at the kill");
                unaccounted.removeAll(waiting);
                assertEquals(Set.of(), unaccounted, "acknowledged, neither on the topic nor in the outbox after the kill");
            } finally {
                killed.set(true);
                senders.shutdownNow();
                petitions.close();
            }
            System.out.printf("killed with %d events unsent, %d actions acknowledged, %d requests unanswered%n",
                    unsentAtKill, acknowledged.size(), unanswered.get());

            try (ServiceProcess restarted = ServiceProcess.start(ROOT, "petition-service", "petition-service-kill",
                    settings, env)) {
                restarted.awaitReady(Duration.ofSeconds(90));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertTrue(
                        published(kafka, campaign).keySet().containsAll(acknowledged.keySet()),
                        "acknowledged actions missing on the topic"));
                try (Connection db = PostgresServer.connect(jdbcUrl, postgres.username(), postgres.password())) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> unsent(db) == 0);
                }
                // a later action, through the same relay: once it is on the topic, any re-send of the backlog is too
                Map<String, Acknowledged> marker = new HashMap<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> send(http, restarted, campaign, -1, marker) != null);
                await().atMost(Duration.ofSeconds(60)).until(() -> published(kafka, campaign).keySet()
                        .containsAll(marker.keySet()));
                acknowledged.putAll(marker);
            }

            Map<String, List<ActionRecorded>> onTopic = published(kafka, campaign);
            Map<String, Integer> copies = new TreeMap<>();
            onTopic.forEach((id, events) -> {
                if (events.size() != 1) {
                    copies.put(id, events.size());
                }
            });
            assertEquals(Map.of(), copies, "actions on the topic more than once");
            // the topic holds every acknowledged action, and beyond them only actions whose answer the kill cut off
            Set<String> unacknowledged = onTopic.keySet().stream().filter(id -> !acknowledged.containsKey(id))
                    .collect(Collectors.toSet());
            assertTrue(unacknowledged.size() <= unanswered.get(), unacknowledged.size() + " unacknowledged actions on "
                    + "the topic, only " + unanswered.get() + " requests were cut off");
            for (Acknowledged a : acknowledged.values()) {
                ActionRecorded event = onTopic.get(a.actionId()).get(0);
                assertEquals(a.caseId(), event.caseId());
                assertEquals(a.type(), event.type().name().toLowerCase(java.util.Locale.ROOT));
                assertEquals(campaign.entityId(), event.entityId());
            }

            // the tally: per case and type, exactly the acknowledged actions plus the committed-but-unanswered ones
            Map<String, Map<String, Long>> expected = new TreeMap<>();
            onTopic.values().forEach(events -> expected.computeIfAbsent(events.get(0).caseId(), c -> new TreeMap<>())
                    .merge(events.get(0).type().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum));
            String coordinator = platform.tokens.get("demo-coordinator");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonPath totals = given().auth().oauth2(coordinator)
                        .get(platform.tally.url() + "/api/v1/totals?campaign=" + campaign.campaignId())
                        .then().statusCode(200).extract().jsonPath();
                assertEquals(onTopic.size(), totals.getLong("total"));
                assertEquals(onTopic.size(), totals.getLong("entities.find { it.entityId == '"
                        + campaign.entityId() + "' }.total"));
                assertEquals(0L, totals.getLong("withoutCase"));
            });
            for (String caseId : campaign.cases()) {
                JsonPath detail = given().auth().oauth2(coordinator).get(platform.tally.url() + "/api/v1/totals/cases/"
                        + caseId + "?campaign=" + campaign.campaignId()).then().statusCode(200).extract().jsonPath();
                Map<String, Long> byType = new TreeMap<>();
                detail.getMap("byType", String.class, Object.class)
                        .forEach((k, v) -> byType.put(k, ((Number) v).longValue()));
                assertEquals(expected.getOrDefault(caseId, Map.of()), byType, caseId);
            }
        } finally {
            postgres.dropDatabase(jdbcUrl);
        }
    }

    /**
     * One action of this campaign's entity: a signature, or every third an email action, alternating the cases.
     * Returns its action id if petition-service acknowledged it (and records it), null if it answered otherwise.
     */
    static String send(HttpClient http, ServiceProcess petitions, OwnCampaign campaign, int i,
                       Map<String, Acknowledged> acknowledged) throws Exception {
        String caseId = campaign.cases().get(Math.floorMod(i, campaign.cases().size()));
        boolean signature = Math.floorMod(i, 3) != 0;
        String body = signature
                ? "{\"caseIds\":[\"" + caseId + "\"],\"signer\":{\"name\":\"S\",\"email\":\"" + UUID.randomUUID()
                + "@example.org\"}}"
                : "{\"type\":\"email\",\"caseId\":\"" + caseId + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(petitions.url()
                        + (signature ? "/api/v1/signatures" : "/api/v1/actions")))
                .header("Authorization", "Bearer " + campaign.entityKey()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            return null;
        }
        // Jackson: rest-assured's JsonPath compiles a Groovy expression per call (about 20 ms on CI), in every writer
        com.fasterxml.jackson.databind.JsonNode result = JSON.readTree(response.body()).path("results").path(0);
        if (!"accepted".equals(result.path("status").asText())) {
            return null;
        }
        String actionId = result.path("actionId").asText();
        acknowledged.put(actionId, new Acknowledged(actionId, caseId, signature ? "signature" : "email"));
        return actionId;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static long unsent(Connection db) throws Exception {
        try (Statement count = db.createStatement(); ResultSet rs = count.executeQuery("select count(*) from outbox_backlog")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The action ids of the events still waiting in a petition-service's outbox. */
    static Set<String> waitingActions(Connection db) throws java.sql.SQLException {
        Set<String> waiting = new java.util.HashSet<>();
        try (java.sql.PreparedStatement backlog = db.prepareStatement(
                "select payload::json->>'actionId' from outbox_backlog where topic = ?")) {
            backlog.setString(1, Topics.ACTIONS);
            try (ResultSet rs = backlog.executeQuery()) {
                while (rs.next()) {
                    waiting.add(rs.getString(1));
                }
            }
        }
        return waiting;
    }

    /** Every action of the campaign on the topic, by action id, with each copy that was published. */
    static Map<String, List<ActionRecorded>> published(String kafka, OwnCampaign campaign) {
        Map<String, List<ActionRecorded>> byAction = new HashMap<>();
        for (ConsumerRecord<String, String> r : TopicReader.readAll(kafka, Topics.ACTIONS)) {
            if (r.value() != null && r.value().contains(campaign.campaignId())
                    && Events.fromJson(r.value(), ActionEvent.class) instanceof ActionRecorded a
                    && a.campaignId().equals(campaign.campaignId())) {
                byAction.computeIfAbsent(a.actionId().toString(), id -> new ArrayList<>()).add(a);
            }
        }
        return byAction;
    }
}

package org.w4r.it;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import org.w4r.testsupport.PostgresServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling deploy stops petition-service with SIGTERM while entity websites sign. Its readiness turns DOWN while it
 * still answers (so a balancer moves away before the port closes), and every signature it acknowledged is published,
 * none set aside as refused: a graceful stop once closed the Kafka producer under the outbox relay, whose sends then
 * failed and moved acknowledged signatures to the dead letters (a read-only audit, 4 December 2026). The fault suite
 * only kills with -9; this is the graceful path, with the packaged service and the settings it ships with.
 */
class GracefulStopIT {
    @Test
    void aStoppingInstanceTurnsUnreadyWhileItStillAnswersAndLosesNoAcknowledgedSignature() throws Exception {
        TestPlatform platform = TestPlatform.get();
        OwnCampaign campaign = OwnCampaign.publish(platform.kafka, "graceful");
        Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
        ExecutorService signers = Executors.newFixedThreadPool(8);
        try (OwnPetitionDatabase database = new OwnPetitionDatabase(platform, "graceful")) {
            try (ServiceProcess petitions = database.start("petition-service-graceful")) {
                petitions.awaitReady(Duration.ofSeconds(90));
                // the entity's key arrives over Kafka; until then the answer is 401
                Response first = await().atMost(Duration.ofSeconds(60)).until(() -> sign(petitions, campaign),
                        r -> r.statusCode() != 401);
                assertEquals(202, first.statusCode(), first.asString());
                acknowledged.add(first.jsonPath().getString("results[0].actionId"));

                // signatures keep arriving until the instance no longer takes connections; those sent after readiness
                // was seen down, and acknowledged, are counted apart
                AtomicBoolean stopped = new AtomicBoolean();
                AtomicLong unreadySince = new AtomicLong(Long.MAX_VALUE);
                AtomicInteger answeredWhileUnready = new AtomicInteger();
                List<Future<?>> load = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    load.add(signers.submit(() -> {
                        while (!stopped.get()) {
                            try {
                                long sent = System.nanoTime();
                                Response r = sign(petitions, campaign);
                                if (r.statusCode() == 202) {
                                    acknowledged.add(r.jsonPath().getString("results[0].actionId"));
                                    if (sent > unreadySince.get()) {
                                        answeredWhileUnready.incrementAndGet();
                                    }
                                } else {
                                    assertEquals(503, r.statusCode(), "refused while stopping: " + r.asString());
                                }
                            } catch (Exception refused) {
                                // the port refuses (or reset the connection): the instance takes no more, this
                                // signer is done (the others keep signing until they meet the same)
                                return null;
                            }
                        }
                        return null;
                    }));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() > 100);

                petitions.terminate();
                // readiness goes down first, and the instance still answers while it is down
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> readiness(petitions) == 503);
                unreadySince.set(System.nanoTime());

                assertTrue(petitions.awaitExit(Duration.ofSeconds(60)), "stopped within its grace period");
                // answered while unready: requests sent after the 503 was seen, counted after the exit, not within a
                // deadline of the test's own (it waited 5 s for ten more, the service's own delay, a race on a loaded
                // machine; and a count of all answers let those already in flight stand in for new ones)
                assertTrue(answeredWhileUnready.get() > 0, "no signature sent after readiness went down was acknowledged");
                stopped.set(true);
                for (Future<?> f : load) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            // every acknowledged signature is stored, and none was set aside as refused by Kafka
            try (Connection db = database.connect()) {
                assertEquals(0, count(db, "select count(*) from outbox_dead_letter"), "acknowledged events set aside");
                try (PreparedStatement stored = db.prepareStatement(
                        "select count(*) from signature where action_id = any(?::uuid[])")) {
                    stored.setArray(1, db.createArrayOf("varchar", acknowledged.toArray()));
                    try (ResultSet rs = stored.executeQuery()) {
                        rs.next();
                        assertEquals(acknowledged.size(), rs.getLong(1), "every 202 is stored");
                    }
                }
                // what the relay had not sent when it stopped stays in the outbox for the next instance. Compared as
                // sets, not counts: what was published includes signatures whose answers the stop cut off, which a
                // count let stand in for an acknowledged one never sent (a read-only review, 6 December 2026); and
                // so does what still waits (a count of the outbox let one unacknowledged signature's row cover an
                // acknowledged one lost: a review of the tests, 6 December 2026)
                Set<String> published = NoAcknowledgedActionLostIT.published(platform.kafka, campaign).keySet();
                Set<String> waiting = NoAcknowledgedActionLostIT.waitingActions(db);
                Set<String> unaccounted = new java.util.TreeSet<>(acknowledged);
                unaccounted.removeAll(published);
                unaccounted.removeAll(waiting);
                assertEquals(Set.of(), unaccounted, "acknowledged, neither on the topic nor waiting in the outbox");
            }
        } finally {
            signers.shutdownNow();
        }
    }

    /**
     * A stopping tally ends its live streams when its readiness goes down, while it still answers, so each browser
     * reconnects to an instance that stays. Left open, a stream kept the instance for the whole shutdown timeout and
     * was cut when the server closed (a read-only audit, 4 December 2026): the stream's end would then meet a closed
     * port, not a 503.
     */
    @Test
    void aStoppingTallyEndsItsLiveStreamsWhileItStillAnswers() throws Exception {
        TestPlatform platform = TestPlatform.get();
        PostgresServer postgres = PostgresServer.shared();
        String jdbcUrl = postgres.createDatabase("tally_graceful");
        String run = UUID.randomUUID().toString().substring(0, 8);
        // groups of its own: in the platform's groups it would take partitions from the platform's tally
        Map<String, String> settings = Map.of("kafka.bootstrap.servers", platform.kafka,
                "quarkus.datasource.jdbc.url", jdbcUrl, "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                "mp.messaging.incoming.actions.group.id", "tally-graceful-" + run,
                "mp.messaging.incoming.deliveries.group.id", "tally-graceful-deliveries-" + run,
                "mp.messaging.incoming.webhook-cases.group.id", "tally-graceful-webhooks-" + run);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (ServiceProcess tally = ServiceProcess.start(OwnPetitionDatabase.ROOT, "tally-service", "tally-service-graceful",
                settings, Map.of())) {
            tally.awaitReady(Duration.ofSeconds(90));
            HttpURLConnection stream = (HttpURLConnection) URI.create(tally.url() + "/public/v1/cases/stream").toURL()
                    .openConnection();
            stream.setReadTimeout(60_000);
            assertEquals(200, stream.getResponseCode());
            BufferedReader events = new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8));
            List<String> first = new ArrayList<>();
            for (String line = events.readLine(); line != null && !line.isEmpty(); line = events.readLine()) {
                first.add(line.replace(" ", ""));
            }
            assertTrue(first.contains("event:cases"), "the stream opens with the list: " + first);
            // reads to the stream's end, then asks the instance whether it is ready
            Future<Integer> readinessAtEnd = reader.submit(() -> {
                while (events.readLine() != null) {
                    // the list and heartbeats, until the instance ends the stream
                }
                return readiness(tally);
            });

            tally.terminate();
            assertEquals(503, readinessAtEnd.get(60, TimeUnit.SECONDS),
                    "the stream ended while the instance still answered, unready");
            assertTrue(tally.awaitExit(Duration.ofSeconds(60)), "stopped within its grace period");
        } finally {
            reader.shutdownNow();
            postgres.dropDatabase(jdbcUrl);
        }
    }

    private static Response sign(ServiceProcess petitions, OwnCampaign campaign) {
        return given().auth().oauth2(campaign.entityKey()).header("Connection", "close").contentType(ContentType.JSON)
                .body("""
                        {"caseIds":["%s"],"signer":{"name":"Graceful Signer","email":"%s@example.org"}}"""
                        .formatted(campaign.cases().get(0), UUID.randomUUID()))
                .post(petitions.url() + "/api/v1/signatures");
    }

    private static int readiness(ServiceProcess service) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(service.url() + "/q/health/ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static long count(Connection db, String sql) throws java.sql.SQLException {
        try (PreparedStatement s = db.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

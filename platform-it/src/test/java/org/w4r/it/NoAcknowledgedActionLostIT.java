package org.w4r.it;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.PostgresServer;
import org.w4r.testsupport.TopicReader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guarantee 1: a 2xx from petition-service means the action will be counted, even if the service is killed
 * (kill -9) right after answering. The outbox keeps every acknowledged event; the restarted service sends it.
 */
class NoAcknowledgedActionLostIT {
    static final Path ROOT = Path.of(System.getProperty("w4r.root", "..")).toAbsolutePath().normalize();

    @Test
    void everyAcknowledgedSignatureReachesKafkaAfterAKill() throws Exception {
        // the shared platform's case-service provides the reference data (demo campaign, cases and entity keys);
        // this test runs a petition-service of its own on its own database, to kill it
        TestPlatform platform = TestPlatform.get();
        String kafka = platform.kafka;
        String key = platform.tokens.get("ai-france");
        PostgresServer postgres = PostgresServer.shared();
        String jdbcUrl = postgres.createDatabase("petition_kill");
        Map<String, String> settings = Map.of("kafka.bootstrap.servers", kafka, "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", postgres.username(), "quarkus.datasource.password", postgres.password());
        Map<String, String> env = Map.of("W4R_SIGNER_HMAC_KEY", "kill-test-hmac-key-0123456789");
        try {
            List<String> acknowledged = new ArrayList<>();
            try (ServiceProcess petitions = ServiceProcess.start(ROOT, "petition-service", settings, env)) {
                petitions.awaitReady(Duration.ofSeconds(90));
                for (int i = 0; i < 300; i++) {
                    acknowledged.add(given().auth().oauth2(key)
                            .contentType(ContentType.JSON)
                            .body("{\"caseIds\":[\"el-hiblu-3\"],\"signer\":{\"name\":\"S\",\"email\":\"" + UUID.randomUUID()
                                    + "@example.org\"}}")
                            .post(petitions.url() + "/api/v1/signatures").then().statusCode(202)
                            .extract().path("results[0].actionId"));
                }
                petitions.kill();
            }
            try (ServiceProcess restarted = ServiceProcess.start(ROOT, "petition-service", settings, env)) {
                restarted.awaitReady(Duration.ofSeconds(90));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Set<String> published = new HashSet<>();
                    TopicReader.readAll(kafka, Topics.ACTIONS).forEach(r -> acknowledged.stream()
                            .filter(id -> r.value().contains(id)).forEach(published::add));
                    assertTrue(published.containsAll(acknowledged),
                            (acknowledged.size() - published.size()) + " acknowledged actions not on Kafka");
                });
            }
        } finally {
            postgres.dropDatabase(jdbcUrl);
        }
    }
}

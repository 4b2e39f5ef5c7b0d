package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.cases.demo.DemoLoader;
import org.w4r.events.Topics;
import org.w4r.kit.security.Credentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start with the demo off revokes every demo credential, announced by a tombstone each, and deletes the file of
 * their secrets. Turning the demo off once only stopped loading it: the demo's tokens, a case manager's that can mint
 * more among them, stayed valid for ever.
 *
 * <p>The start is not restarted here: the demo is loaded (on, as in every test), then this test calls what the
 * start-up runs when {@code w4r.demo.enabled} is false ({@link DemoLoader#retireCredentials}). It has a Quarkus
 * application, a database and a credentials file of its own: it revokes the demo credentials every other test signs in
 * with.
 */
@QuarkusTest
@TestProfile(DemoOffTest.OwnDemo.class)
class DemoOffTest extends RunningService {
    public static class OwnDemo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("w4r.demo.credentials-file", "target/demo-off-credentials-" + UUID.randomUUID() + ".csv");
        }
    }

    @Inject
    DemoLoader demo;

    @ConfigProperty(name = "w4r.demo.credentials-file")
    Path credentialsFile;

    @Test
    void aStartWithTheDemoOffRevokesEveryDemoCredentialAndDeletesItsFile() throws IOException {
        List<String> tokens = Files.readAllLines(credentialsFile).stream().skip(1).map(l -> l.split(",")[3]).toList();
        assertEquals(60 + 4, tokens.size());
        String manager = DemoCredentials.caseManager();
        // a key a case manager issued is not the demo's, whoever issued it
        String issued = CredentialsTest.managerKey("ai-france", null);
        await().atMost(Effects.BOUND).untilAsserted(() ->
                given().auth().oauth2(manager).get("/api/v1/cases").then().statusCode(200));
        Set<String> demoIds = tokens.stream().map(t -> (String) Effects.row(db,
                "select key_id from credential where sha256 = ?", Credentials.sha256(t)).get("key_id"))
                .collect(Collectors.toSet());
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CREDENTIALS);

        assertEquals(64, demo.retireCredentials());

        for (String id : demoIds) {
            assertNotNull(Effects.row(db, "select revoked_at from credential where key_id = ?", id).get("revoked_at"), id);
        }
        assertNull(Effects.row(db, "select revoked_at from credential where sha256 = ?", Credentials.sha256(issued))
                .get("revoked_at"), "a key the demo did not register stays");
        assertFalse(Files.exists(credentialsFile), "the file of their secrets is gone");
        Effects.awaitOutboxEmpty(relay);
        assertEquals(demoIds, mark.since(Topics.CREDENTIALS).stream().filter(r -> r.value() == null)
                .map(ConsumerRecord::key).collect(Collectors.toSet()), "a tombstone for each, for every service");
        List<Map<String, Object>> audited = Effects.rows(db, "select actor, action, subject_id from audit_entry "
                + "where action in ('key.revoked', 'token.revoked') and detail->>'cause' = 'demo-off'");
        assertEquals(demoIds, audited.stream().map(r -> (String) r.get("subject_id")).collect(Collectors.toSet()));
        assertTrue(audited.stream().allMatch(r -> "system".equals(r.get("actor"))));

        await().atMost(Effects.BOUND).untilAsserted(() ->
                given().auth().oauth2(manager).get("/api/v1/cases").then().statusCode(401));
        given().auth().oauth2(issued).get("/api/v1/entities/ai-france/keys").then().statusCode(200);

        // the next start with the demo off finds nothing left, and announces nothing
        Effects.Mark again = Effects.Mark.now(kafka, Topics.CREDENTIALS);
        assertEquals(0, demo.retireCredentials());
        Effects.awaitOutboxEmpty(relay);
        assertEquals(List.of(), again.keysSince(Topics.CREDENTIALS));
    }
}

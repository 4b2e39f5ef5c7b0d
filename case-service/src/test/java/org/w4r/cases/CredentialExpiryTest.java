package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A key or token past its expiry is tombstoned on the compacted {@code credentials} topic, once, as a revocation is:
 * nothing did, and the hash and principal of every expired credential stayed on the topic for good (a read-only
 * review, 6 December 2026). The schedule is off in the other tests (a tombstone mid-test would break those that check
 * what a request published); here it runs every second, in an application of its own.
 */
@QuarkusTest
@TestProfile(CredentialExpiryTest.Sweeping.class)
class CredentialExpiryTest extends RunningService {
    public static class Sweeping implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("w4r.credentials.expiry-sweep", "1s", "w4r.credentials.expiry-sweep.delay", "1s");
        }
    }

    @Test
    void aCredentialPastItsExpiryIsTombstonedOnce() {
        String manager = DemoCredentials.caseManager();
        String entity = CredentialsTest.newEntity();
        String keys = "/api/v1/entities/" + entity + "/keys";
        String key = issueKey(manager, keys);
        String live = issueKey(manager, keys);
        String revoked = issueKey(manager, keys);
        given().auth().oauth2(manager).delete(keys + "/" + revoked).then().statusCode(204);
        String token = given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"" + CaseLifecycleTest.id("p") + "\",\"role\":\"coordinator\"}")
                .post("/api/v1/staff").then().statusCode(201).extract().path("keyId");
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CREDENTIALS);

        expire(key, token, revoked);

        await("tombstones of the expired key and token").atMost(Effects.BOUND).until(() -> tombstones(mark, key) > 0 && tombstones(mark, token) > 0);
        for (String id : List.of(key, token)) {
            assertNotNull(Effects.row(db, "select expiry_outbox_id from credential where key_id = ?", id)
                    .get("expiry_outbox_id"), id + " marked as announced");
            assertNull(Effects.row(db, "select revoked_at from credential where key_id = ?", id).get("revoked_at"),
                    id + ": expired, not revoked");
        }
        // a credential that expires later is announced by a later run: by then the first two were not announced again
        String later = issueKey(manager, keys);
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark issued = Effects.Mark.now(kafka, Topics.CREDENTIALS);
        expire(later);
        await("the tombstone of a key expired later").atMost(Effects.BOUND)
                .until(() -> tombstones(issued, later) > 0);
        assertEquals(1, tombstones(mark, key), "one tombstone per expiry");
        assertEquals(1, tombstones(mark, token), "one tombstone per expiry");
        assertEquals(List.of(), mark.keysSince(Topics.CREDENTIALS).stream().filter(revoked::equals).toList(),
                "a revoked credential had its tombstone at its revocation");
        assertEquals(List.of(), mark.keysSince(Topics.CREDENTIALS).stream().filter(live::equals).toList(),
                "a credential still in force stays");
    }

    private static String issueKey(String manager, String keys) {
        return given().auth().oauth2(manager).post(keys).then().statusCode(201).extract().path("keyId");
    }

    private void expire(String... keyIds) {
        for (String id : keyIds) {
            assertEquals(1, Effects.update(db, "update credential set expires_at = now() - interval '1 minute' "
                    + "where key_id = ?", id));
        }
    }

    private long tombstones(Effects.Mark mark, String keyId) {
        List<ConsumerRecord<String, String>> records = mark.since(Topics.CREDENTIALS).stream()
                .filter(r -> keyId.equals(r.key())).toList();
        assertEquals(List.of(), records.stream().filter(r -> r.value() != null).toList(), keyId + ": tombstones only");
        return records.size();
    }
}

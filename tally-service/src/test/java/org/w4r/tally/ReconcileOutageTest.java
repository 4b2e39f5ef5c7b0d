package org.w4r.tally;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * A reconcile that cannot read {@code actions} is a 503 with Retry-After, not a 500 logged as a bug: Kafka not
 * answering (partitions, end offsets, positions) is {@code kafka-unavailable}; a recount that has not read to the end
 * offsets by {@code w4r.tally.reconcile.timeout} is {@code reconcile-timeout}. Both were "unexpected error (a bug)"
 * until a review of 6 December 2026. The reconcile's consumer reaches the broker through {@link ReconcileKafka}'s
 * proxy here, and waits {@code w4r.tally.reconcile.kafka-timeout} (5 s here: 1 s was within reach of a busy machine's
 * ordinary answers, a second review found) for each answer, so the outage costs the test seconds, not the default
 * half minute; the run's own timeout is zero, so any run that has something to read is
 * past it.
 */
@QuarkusTest
@TestProfile(ReconcileOutageTest.KafkaBehindAProxy.class)
@WithPlatformResources
class ReconcileOutageTest {
    public static class KafkaBehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("w4r.tally.reconcile.kafka-timeout", "PT5S", "w4r.tally.reconcile.timeout", "PT0S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ThroughTheProxy.class));
        }
    }

    /**
     * A resource, not an override of the profile: it starts where the platform's resources start, so it finds their
     * broker. The profile is also read where it cannot (as the test class is loaded), and a broker started there was
     * another broker, and broke the start of the applications that followed.
     */
    public static class ThroughTheProxy implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("w4r.tally.reconcile.consumer.\"bootstrap.servers\"",
                    "127.0.0.1:" + ReconcileKafka.proxy().getPort());
        }

        @Override
        public void stop() {
            // one proxy per broker, as long as the JVM
        }
    }

    @Test
    void theProxyIsInFrontOfTheBrokerTheTestsPublishTo() {
        // the reconcile must read the topics the tests publish to, or the timeout below would be of another broker
        assertEquals(TallyFixtures.kafka(), ReconcileKafka.proxy().getTarget());
    }

    static Response reconcile() {
        return given().auth().oauth2(staffToken("coordinator")).post("/api/v1/tally/reconcile");
    }

    @Test
    void kafkaNotAnsweringIsA503() {
        ReconcileKafka.Control proxy = ReconcileKafka.proxy();
        proxy.pause();
        try {
            reconcile().then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", equalTo("30"))
                    .body("type", endsWith("/kafka-unavailable")).body("status", equalTo(503))
                    .body("retryAfterSeconds", equalTo(30));
        } finally {
            proxy.resume();
        }
    }

    @Test
    void aRecountPastItsTimeoutIsA503() {
        // something to read, so the recount has a position short of an end offset
        String campaign = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        Instant at = Instant.parse("2026-12-10T10:00:00Z");
        TallyFixtures.publishActions(List.of(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign,
                campaign + "-case", "ai-malta", ActionType.LETTER, Mode.OFFLINE, 1, at, at)));
        reconcile().then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", equalTo("60"))
                .body("type", endsWith("/reconcile-timeout")).body("status", equalTo(503));
        // the lock was let go: the next run is refused for the same reason, not as one already running
        reconcile().then().statusCode(503).body("type", endsWith("/reconcile-timeout"));
    }
}

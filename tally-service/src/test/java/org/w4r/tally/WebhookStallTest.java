package org.w4r.tally;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.tally.service.HangingNames;
import org.w4r.tally.service.ReceiverAddress;
import org.w4r.testsupport.WithPlatformResources;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/** Webhooks with a receiver that stalls, on {@link WebhookTest}'s receiver and helpers, with a minute's timeout. */
@QuarkusTest
@TestProfile(WebhookStallTest.MinuteTimeout.class)
@WithPlatformResources
class WebhookStallTest {
    public static class MinuteTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("w4r.webhooks.timeout", "PT60S");
        }
    }

    @BeforeAll
    static void startReceiver() throws Exception {
        WebhookTest.startReceiver();
    }

    @AfterEach
    void deleteWebhooks() {
        new WebhookTest().deleteWebhooks();
    }

    @AfterAll
    static void stopReceiver() {
        WebhookTest.stopReceiver();
    }

    /**
     * A receiver that takes the whole timeout over every answer (an entity's own, or a leaked key's, kept busy with
     * replays) holds up no hold queued after its attempt began: the other entity's site hears of the second hold while
     * the stalled attempts are still open, none of them yet recorded. Until a read-only review (6 December 2026) the
     * dispatcher waited for a whole claim, so a claim holding a stalled attempt kept the next hold back until that
     * attempt's timeout, for every other site. The attempt's timeout is a minute here (this class's profile), so the
     * second hold has that long to go through Kafka, the consumer and the dispatcher: the order is checked, not a
     * time.
     */
    @Test
    void aStalledReceiverHoldsUpNoHoldQueuedAfterItsAttemptBegan() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger stalled = new AtomicInteger();
        ExecutorService handlers = Executors.newCachedThreadPool();
        HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hostile.setExecutor(handlers);
        hostile.createContext("/stall", exchange -> {
            exchange.getRequestBody().readAllBytes();
            stalled.incrementAndGet();
            try {
                release.await(90, TimeUnit.SECONDS); // released by the test, or ended by tally's deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        hostile.start();
        try {
            WebhookTest.Hook stall = WebhookTest.registerUrl("ai-france", "http://127.0.0.1:" + hostile.getAddress().getPort() + "/stall",
                    "case.held");
            String malta = WebhookTest.path();
            WebhookTest.register("ai-malta", malta, "case.held");
            String first = WebhookTest.caseId();
            TallyFixtures.publish(Topics.CASES, List.of(WebhookTest.caseChange(first, "global", null, "active",
                    new CaseChanged.Hold(1, Instant.now()))));
            await().atMost(Duration.ofSeconds(60)).until(() -> stalled.get() >= 1);
            String second = WebhookTest.caseId();
            TallyFixtures.publish(Topics.CASES, List.of(WebhookTest.caseChange(second, "global", null, "active",
                    new CaseChanged.Hold(2, Instant.now()))));
            await().atMost(Duration.ofSeconds(30)).until(() -> WebhookTest.about(malta, second).size() == 1);
            List<Map<String, Object>> open = WebhookTest.deliveries(stall);
            assertTrue(open.stream().allMatch(d -> ((Number) d.get("attempts")).intValue() == 0),
                    "the other site heard of the second hold while the stalled attempts were still open: " + open);
        } finally {
            release.countDown();
            hostile.stop(0);
            handlers.shutdownNow();
        }
    }

    @Inject
    ReceiverAddress receivers;

    /**
     * A webhook deleted while its attempt looks its name up gets nothing: the claim carries the URL and the secret, and
     * until a read-only review of 6 December 2026 the attempt POSTed once its lookup returned, the delete having given up
     * only the deliveries still pending. The receiver has an address of its own (127.0.0.2), so only its name hangs;
     * the attempt's timeout is a minute here, so the POST, were it sent, would come well within it.
     */
    @Test
    void aWebhookDeletedWhileItsAttemptLooksItsNameUpGetsNothing() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        site.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        site.start();
        try {
            String entity = "ai-france";
            WebhookTest.Hook hook = WebhookTest.registerUrl(entity,
                    "http://127.0.0.2:" + site.getAddress().getPort() + "/hook", "case.held");
            try (HangingNames names = HangingNames.hang(receivers, "127.0.0.2"::equals)) {
                TallyFixtures.publish(Topics.CASES, List.of(WebhookTest.caseChange(WebhookTest.caseId(), "global", null,
                        "active", new CaseChanged.Hold(3, Instant.now()))));
                await("the attempt looks the name up").atMost(Duration.ofSeconds(60)).until(() -> names.entered() == 1);
                given().auth().oauth2(entityKey(entity)).delete("/api/v1/webhooks/" + hook.id()).then().statusCode(204);
                names.release();
                await("the lookup returned").atMost(Duration.ofSeconds(30)).until(() -> names.returned() == 1);
                // nothing to wait for but the absence of the POST, which follows the lookup within milliseconds
                await("no POST to the deleted webhook").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(posts::get, org.hamcrest.Matchers.equalTo(0));
            }
        } finally {
            site.stop(0);
        }
    }
}

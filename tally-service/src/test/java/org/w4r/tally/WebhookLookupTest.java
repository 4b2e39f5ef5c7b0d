package org.w4r.tally;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.w4r.tally.service.HangingNames;
import org.w4r.tally.service.ReceiverAddress;
import org.w4r.tally.service.WebhookSettings;
import org.w4r.testsupport.WithPlatformResources;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Registrations naming hosts whose nameserver never answers ({@link HangingNames}). Until a read-only review of
 * 6 December 2026 a registration looked its host up on its HTTP worker thread with no deadline: a few hundred of them
 * held every worker thread for the resolver's timeout, and every blocking endpoint of tally (totals, stream tickets,
 * open data) waited behind them; and the dispatcher's pool of lookups grew a thread for every attempt whose name hung.
 */
@QuarkusTest
@WithPlatformResources
// the flood last: its lookups' threads are free again only as their hanging lookups return, after it
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookLookupTest {
    /** An entity of its own: the other webhook tests' webhooks take nothing from its cap. */
    private static final String ENTITY = "international-members";

    @Inject
    ReceiverAddress receivers;

    @Inject
    WebhookSettings settings;

    @TestHTTPResource("/api/v1/webhooks")
    URI webhooks;

    @TestHTTPResource("/api/v1/totals")
    URI totals;

    /**
     * More registrations at once than Quarkus has worker threads, each naming a host that hangs: the totals still
     * answer while they hang; {@code registration-lookups} of them wait for a lookup, on the lookup threads, and are
     * 400 at {@code lookup-timeout}; every other is 503 {@code lookups-busy} at once, with Retry-After.
     */
    @Test
    @Order(2)
    void registrationsNamingHostsThatNeverResolveHoldABoundedNumberOfThreads() throws Exception {
        // Quarkus' default worker pool: max(8 × processors, 200) threads
        int workerThreads = Math.max(8 * Runtime.getRuntime().availableProcessors(), 200);
        int flood = workerThreads + 50;
        int lookups = settings.registrationLookups();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (HangingNames names = HangingNames.hang(receivers, host -> host.endsWith(".hang.test"))) {
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                replies.add(client.sendAsync(HttpRequest.newBuilder(webhooks)
                        .header("Authorization", "Bearer " + entityKey(ENTITY))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://n" + i
                                + ".hang.test/hook\",\"events\":[\"case.held\"]}"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            // as many registrations as there are worker threads have either been answered or reached a lookup
            await("registrations answered or hanging").atMost(Duration.ofSeconds(60))
                    .until(() -> replies.stream().filter(CompletableFuture::isDone).count() + names.entered()
                            >= workerThreads);

            HttpResponse<String> read;
            try {
                read = client.send(HttpRequest.newBuilder(totals).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + staffToken("coordinator")).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                throw new AssertionError("the totals did not answer within 10 s while " + names.entered()
                        + " registrations waited for a host that never resolves", e);
            }
            assertEquals(200, read.statusCode(), read.body());

            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
            int late = 0, busy = 0;
            for (CompletableFuture<HttpResponse<String>> reply : replies) {
                HttpResponse<String> r = reply.get();
                if (r.statusCode() == 400 && r.body().contains("did not resolve in time")) {
                    late++;
                } else if (r.statusCode() == 503 && r.body().contains("/lookups-busy")) {
                    assertEquals("10", r.headers().firstValue("Retry-After").orElse(null), r.body());
                    busy++;
                } else {
                    throw new AssertionError("neither late nor busy: " + r.statusCode() + " " + r.body());
                }
            }
            assertEquals(lookups, late, "the registrations that waited for a lookup");
            assertEquals(flood - lookups, busy, "the registrations refused at once");
            assertEquals(lookups, names.entered(), "lookups begun");
            assertTrue(names.mostAtOnce() <= lookups, "lookups at once: " + names.mostAtOnce());
            assertTrue(names.threads().stream().allMatch(t -> t.equals("webhook-registration-lookup")),
                    "looked up on the lookup threads only, never an HTTP worker's: " + names.threads());

            // the lookups still hang, so the next registration is refused at once too, as the contract says
            given().auth().oauth2(entityKey(ENTITY)).contentType(ContentType.JSON)
                    .body(Map.of("url", "http://again.hang.test/hook", "events", List.of("case.held")))
                    .post("/api/v1/webhooks").then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "10").body("type", endsWith("/lookups-busy"));
            given().auth().oauth2(entityKey(ENTITY)).get("/api/v1/webhooks").then().statusCode(200)
                    .body("size()", equalTo(0));
            names.release();
            await("the hanging lookups returned").atMost(Duration.ofSeconds(30))
                    .until(() -> names.returned() == names.entered());
        }
    }

    /**
     * The dispatcher's lookups of an entity's names that hang hold at most its places in flight
     * ({@code batch-per-entity}): an attempt keeps its place until its lookup returns, though it is recorded as a
     * timeout at its deadline. Until a read-only review of 6 December 2026 the place was freed at the deadline and the
     * retry took another thread, so each round of retries added a thread per delivery to a pool without bound. Two
     * rounds of the test profile's timeout and backoff are watched: no lookup begins beyond the first ones.
     */
    @Test
    @Order(3)
    void theDispatchersLookupsOfAnEntitysHangingNamesHoldNoMoreThanItsPlaces() throws Exception {
        int places = settings.batchPerEntity();
        int free = settings.maxPerEntity() - given().auth().oauth2(entityKey(ENTITY)).get("/api/v1/webhooks").then()
                .statusCode(200).extract().jsonPath().getList("id").size();
        assertTrue(free >= places, "a webhook for each place: " + free + " free, " + places + " places");
        List<String> ids = new ArrayList<>();
        java.util.Set<String> hosts = new java.util.HashSet<>();
        try {
            for (int i = 0; i < places; i++) {
                hosts.add("127.0.0." + (10 + i));
                // resolves at registration (an address literal); hangs once the test says so
                ids.add(given().auth().oauth2(entityKey(ENTITY)).contentType(ContentType.JSON)
                        .body(Map.of("url", "http://127.0.0." + (10 + i) + "/hook", "events", List.of("case.held")))
                        .post("/api/v1/webhooks").then().statusCode(201).extract().path("id"));
            }
            try (HangingNames names = HangingNames.hang(receivers, hosts::contains)) {
                TallyFixtures.publish(org.w4r.events.Topics.CASES, List.of(WebhookTest.caseChange(WebhookTest.caseId(),
                        "global", null, "active", new org.w4r.events.CaseChanged.Hold(4, java.time.Instant.now()))));
                await("the entity's places taken by hanging lookups").atMost(Duration.ofSeconds(60))
                        .until(() -> names.entered() == places);
                Duration round = settings.timeout().plus(settings.backoffMax());
                await("no lookup beyond the entity's places").during(round.multipliedBy(2))
                        .atMost(round.multipliedBy(3)).until(names::entered, equalTo(places));
                assertEquals(places, names.mostAtOnce());
                assertTrue(names.threads().stream().allMatch(t -> t.equals("webhook-lookup")),
                        "looked up on the dispatcher's lookup threads: " + names.threads());
                names.release();
                await("the hanging lookups returned").atMost(Duration.ofSeconds(30))
                        .until(() -> names.returned() == names.entered());
            }
        } finally {
            for (String id : ids) {
                given().auth().oauth2(entityKey(ENTITY)).delete("/api/v1/webhooks/" + id);
            }
        }
    }

    /** A host that resolves too late is a 400 on the url, as the contract says, and registers nothing. */
    @Test
    @Order(1)
    void aHostThatDoesNotResolveInTimeIsA400() {
        try (HangingNames names = HangingNames.hang(receivers, host -> host.equals("late.hang.test"))) {
            given().auth().oauth2(entityKey(ENTITY)).contentType(ContentType.JSON)
                    .body(Map.of("url", "http://late.hang.test/hook", "events", List.of("case.held")))
                    .post("/api/v1/webhooks").then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("url"))
                    .body("detail", equalTo("the receiver's host did not resolve in time ("
                            + settings.lookupTimeout().toMillis() + " ms)"));
            assertEquals(1, names.entered());
            names.release();
            await("the hanging lookup returned").atMost(Duration.ofSeconds(30)).until(() -> names.returned() == 1);
        }
        given().auth().oauth2(entityKey(ENTITY)).get("/api/v1/webhooks").then().statusCode(200).body("size()", equalTo(0));
    }
}

package org.w4r.tally;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Events;
import org.w4r.events.Mode;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.w4r.events.CaseChanged;
import org.w4r.events.CredentialChanged;
import org.w4r.events.Topics;
import org.w4r.tally.service.LiveTotalsService;
import org.w4r.tally.service.LiveStreams;
import org.w4r.tally.service.StreamSettings;
import org.w4r.tally.service.StreamTicketService;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * The SSE stream: current state first, then coalesced changes, including changes other instances make in the DB;
 * opened with a single-use ticket, never a token in the URL; ended when its credential is revoked; at most five per
 * principal; a slow client holds one merged update, not a queue.
 */
@QuarkusTest
@WithPlatformResources
class LiveStreamTest {
    @TestHTTPResource("/api/v1/totals/stream")
    URL stream;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LiveTotalsService live;

    @Inject
    StreamTicketService tickets;

    @Inject
    LiveStreams streams;

    @Inject
    StreamSettings streamSettings;

    record Event(String name, Map<String, Object> data) {
    }

    /** Reads the stream in the background; every complete event lands in the returned list. */
    static List<Event> listen(URI uri, List<AutoCloseable> open) {
        return listen(HttpRequest.newBuilder(uri), open, new AtomicBoolean());
    }

    /** As above; {@code ended} turns true when the server ends the stream. */
    static List<Event> listen(HttpRequest.Builder request, List<AutoCloseable> open, AtomicBoolean ended) {
        List<Event> events = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> response = client.sendAsync(
                request.header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        open.add(() -> response.thenAccept(r -> r.body().close()));
        response.thenAccept(r -> {
            String[] name = {null};
            try {
                r.body().forEach(line -> {
                    if (line.startsWith("event:")) {
                        name[0] = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        events.add(new Event(name[0], Events.fromJson(line.substring(5).trim(), Map.class)));
                    }
                });
            } finally {
                ended.set(true);
            }
        });
        return events;
    }

    @Test
    void aClientGetsTheStateThenEveryChangeWhoeverWroteIt() throws Exception {
        String campaign = "live-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        List<AutoCloseable> open = new java.util.ArrayList<>();
        try {
            List<Event> events = listen(URI.create(stream + "?campaign=" + campaign + "&ticket=" + ticket(staffToken("coordinator"))), open);
            await().until(() -> events.size() >= 1);
            assertEquals("totals", events.get(0).name());
            assertEquals(0, ((Number) events.get(0).data().get("total")).intValue());

            Instant now = Instant.now();
            TallyFixtures.publishActions(List.of(
                    new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign, campaign + "-case", "ai-france",
                            ActionType.LETTER, Mode.OFFLINE, 40, now, now),
                    new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign, campaign + "-case", "ai-malta",
                            ActionType.SIGNATURE, Mode.ONLINE, 2, now, now)));
            await().untilAsserted(() -> {
                Event last = events.get(events.size() - 1);
                assertEquals("changes", last.name());
                assertEquals(42, ((Number) last.data().get("total")).intValue());
                assertEquals(Map.of(campaign + "-case", 42), last.data().get("cases"));
            });

            // another instance's write reaches this instance's stream through the database, not its consumer
            SummaryRows.execute(dataSource, "insert into tally_summary (campaign_id, case_id, entity_id, count) values ('"
                    + campaign + "', 'elsewhere', 'ai-france', 8)");
            try {
                await().untilAsserted(() -> {
                    Event last = events.get(events.size() - 1);
                    assertEquals(50, ((Number) last.data().get("total")).intValue());
                    assertEquals(Map.of("elsewhere", 8), last.data().get("cases"));
                    assertEquals(Map.of("ai-france", 48), last.data().get("entities"));
                });
            } finally {
                SummaryRows.execute(dataSource, "delete from tally_summary where campaign_id = '" + campaign
                        + "' and case_id = 'elsewhere'");
            }
            await().untilAsserted(() -> assertEquals(42,
                    ((Number) events.get(events.size() - 1).data().get("total")).intValue()));
            // a second client starts from the current state
            List<Event> late = listen(URI.create(stream + "?campaign=" + campaign + "&ticket=" + ticket(staffToken("delivery"))), open);
            await().untilAsserted(() -> {
                Optional<Event> first = late.stream().findFirst();
                assertTrue(first.isPresent());
                assertEquals("totals", first.get().name());
                assertEquals(42, ((Number) first.get().data().get("total")).intValue());
            });
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    /**
     * Status and content type of a stream request that should be refused; read from the headers alone and closed, so
     * a stream that wrongly opens fails the test instead of hanging it.
     */
    static String refusal(String uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("").split(";")[0];
    }

    /**
     * A quiet campaign's stream still carries bytes: a comment every {@code w4r.tally.public-cases.heartbeat} (1 s in
     * the test profile), as the public case stream does, under the idle timeout of a proxy (ingress-nginx: 60 s). It
     * sent only changes, so behind the ingress a quiet campaign's stream was cut every minute (a review, 6 December
     * 2026).
     */
    @Test
    void aQuietCampaignsStreamCarriesAHeartbeat() throws Exception {
        String campaign = "quiet-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stream + "?campaign=" + campaign + "&ticket=" + ticket(staffToken("coordinator"))))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (RuntimeException closed) {
                // the test closed it
            }
        }, "quiet-stream-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            assertEquals(200, response.statusCode());
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith(":")));
            // nothing was counted: the heartbeat is all that came after the state
            assertEquals(List.of("totals"), lines.stream().filter(l -> l.startsWith("event:"))
                    .map(l -> l.substring(6).trim()).toList(), lines.toString());
        } finally {
            response.body().close();
        }
    }

    /** A stream ticket, as the dashboard gets one before it opens an EventSource. */
    static String ticket(String token) {
        return given().auth().oauth2(token).post("/api/v1/totals/stream-tickets").then().statusCode(200)
                .extract().jsonPath().getString("ticket");
    }

    @Test
    void theStreamNeedsAStaffTicketOrHeaderAndRefusesATokenInTheUrl() throws Exception {
        given().get("/api/v1/totals/stream").then().statusCode(401).contentType("application/problem+json");
        // a bearer header does not open it either (one way in): 401 for staff and entity keys alike
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/totals/stream").then().statusCode(401);
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/totals/stream").then().statusCode(401);
        // the long-lived token never travels in a URL, valid or not
        assertEquals("401 application/problem+json", refusal(stream + "?access_token=" + staffToken("coordinator")));
        given().get("/api/v1/totals/stream?access_token=wrong").then().statusCode(401);
        given().get("/api/v1/totals?access_token=" + staffToken("coordinator")).then().statusCode(401);
        // tickets are for staff, asked for with the token in the header
        given().post("/api/v1/totals/stream-tickets").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(entityKey("ai-france")).post("/api/v1/totals/stream-tickets").then().statusCode(403);
        given().get("/api/v1/totals/stream?ticket=not-a-ticket").then().statusCode(401)
                .contentType("application/problem+json").body("type", endsWith("/invalid-stream-ticket"));
        String forged = ticket(staffToken("coordinator"));
        forged = forged.substring(0, forged.length() - 2) + (forged.endsWith("AA") ? "BB" : "AA");
        given().get("/api/v1/totals/stream?ticket=" + forged).then().statusCode(401);
    }

    @Test
    void aTicketOpensOneStreamAndExpires() throws Exception {
        Map<String, Object> issued = given().auth().oauth2(staffToken("moderator")).post("/api/v1/totals/stream-tickets")
                .then().statusCode(200).contentType("application/json").extract().jsonPath().getMap("");
        Instant expiresAt = Instant.parse((String) issued.get("expiresAt"));
        assertTrue(expiresAt.isAfter(Instant.now()) && expiresAt.isBefore(Instant.now().plusSeconds(60)), expiresAt.toString());
        String ticket = (String) issued.get("ticket");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<Event> events = listen(URI.create(stream + "?ticket=" + ticket), open);
            await().until(() -> !events.isEmpty());
            assertEquals("totals", events.get(0).name());
            // the same ticket again: refused, though its first stream is still open
            assertEquals("401 application/problem+json", refusal(stream + "?ticket=" + ticket));
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
        String expired = tickets.issue(StreamTicketService.Grant.credential(ReferenceFixtures.sha256(staffToken("moderator"))),
                Duration.ZERO).ticket();
        assertEquals("401 application/problem+json", refusal(stream + "?ticket=" + expired));
    }

    /**
     * A ticket of a signed-in staff member is refused while OIDC is off (as in this profile): nobody signs in at an IdP
     * then, so such a ticket was sealed by someone holding the key, such as the examples' published placeholder. It
     * opened a stream until a review, 4 December 2026.
     */
    @Test
    void aSignedInTicketOpensNothingWhileOidcIsOff() throws Exception {
        StreamTicketService.Grant signedIn = StreamTicketService.Grant.signedIn("sub-" + UUID.randomUUID(), "coordinator",
                Instant.now().plusSeconds(300));
        assertEquals("401 application/problem+json", refusal(stream + "?ticket=" + tickets.issue(signedIn).ticket()));
        assertFalse(streams.allowed(signedIn), "nor does a stream's recheck accept it");
    }

    /**
     * What a ticket says is bounded by what this service issues: one that lives longer than the ticket TTL (30 s) is
     * refused, and a sign-in counts for at most {@code w4r.stream.sign-in-max} after the ticket is redeemed, whatever
     * expiry it names. Both were taken as sealed (review, 4 December 2026): with the key, a ticket valid for a year,
     * or a staff sign-in for ten days.
     */
    @Test
    void aTicketSaysNoMoreThanThisServiceIssues() throws Exception {
        String yearLong = tickets.issue(StreamTicketService.Grant.credential(ReferenceFixtures.sha256(staffToken("moderator"))),
                Duration.ofDays(365)).ticket();
        assertEquals("401 application/problem+json", refusal(stream + "?ticket=" + yearLong));

        StreamTicketService.Grant tenDays = tickets.redeem(tickets.issue(StreamTicketService.Grant.signedIn(
                "sub-" + UUID.randomUUID(), "coordinator", Instant.now().plus(Duration.ofDays(10)))).ticket());
        Instant longest = Instant.now().plus(streamSettings.signInMax());
        assertFalse(tenDays.signedInUntil().isAfter(longest), tenDays.signedInUntil() + " after " + longest);
    }

    @Test
    void revokingTheCredentialEndsItsStreams() throws Exception {
        String secret = "stream-revoke-" + UUID.randomUUID();
        String keyId = "key_" + UUID.randomUUID().toString().substring(0, 12);
        publishCredential(keyId, ReferenceFixtures.staffCredential(keyId, "revoked-" + keyId, "coordinator", secret));
        await().untilAsserted(() -> given().auth().oauth2(secret).get("/api/v1/me").then().statusCode(200));
        List<AutoCloseable> open = new ArrayList<>();
        try {
            AtomicBoolean firstEnded = new AtomicBoolean();
            AtomicBoolean secondEnded = new AtomicBoolean();
            List<Event> first = listen(HttpRequest.newBuilder(URI.create(stream + "?ticket=" + ticket(secret))), open,
                    firstEnded);
            List<Event> second = listen(HttpRequest.newBuilder(URI.create(stream + "?ticket=" + ticket(secret))), open,
                    secondEnded);
            await().until(() -> !first.isEmpty() && !second.isEmpty());

            publishCredential(keyId, null);
            // once this instance knows the credential is gone, its streams end within the recheck interval
            await().untilAsserted(() -> given().auth().oauth2(secret).get("/api/v1/me").then().statusCode(401));
            await().atMost(Duration.ofSeconds(3)).until(() -> firstEnded.get() && secondEnded.get());
            await().untilAsserted(() -> given().auth().oauth2(secret).post("/api/v1/totals/stream-tickets")
                    .then().statusCode(401));
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    @Test
    void aPrincipalOpensAtMostFiveStreams() throws Exception {
        String secret = "stream-cap-" + UUID.randomUUID();
        String keyId = "key_" + UUID.randomUUID().toString().substring(0, 12);
        publishCredential(keyId, ReferenceFixtures.staffCredential(keyId, "capped-" + keyId, "delivery", secret));
        await().untilAsserted(() -> given().auth().oauth2(secret).get("/api/v1/me").then().statusCode(200));
        List<AutoCloseable> open = new ArrayList<>();
        List<AutoCloseable> first = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                List<Event> events = listen(URI.create(stream + "?ticket=" + ticket(secret)), i == 0 ? first : open);
                await().until(() -> !events.isEmpty());
            }
            assertEquals("429 application/problem+json", refusal(stream + "?ticket=" + ticket(secret)));
            assertEquals("429 application/problem+json", refusal(stream + "?ticket=" + ticket(secret)));
            // another principal is not affected
            given().get("/api/v1/totals/stream?campaign=nope&ticket=" + ticket(staffToken("case-manager"))).then()
                    .statusCode(404);
            for (AutoCloseable c : first) {
                c.close();
            }
            // a closed stream frees its place
            await().untilAsserted(() -> {
                List<AutoCloseable> again = new ArrayList<>();
                try {
                    List<Event> events = listen(URI.create(stream + "?ticket=" + ticket(secret)), again);
                    await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
                } finally {
                    open.addAll(again);
                }
            });
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    @Test
    void aSlowClientHoldsOneMergedUpdateNotAQueue() throws Exception {
        String campaign = "slow-" + UUID.randomUUID().toString().substring(0, 8);
        AssertSubscriber<LiveTotalsService.Update> client = live.updates(campaign).subscribe()
                .withSubscriber(AssertSubscriber.create(1));
        try {
            client.awaitItems(1);
            assertEquals("totals", client.getItems().get(0).kind());
            // three reads' worth of changes while the client reads nothing
            SummaryRows.add(dataSource, campaign, "a", 5);
            await().until(() -> counter(campaign, "a") == 5);
            SummaryRows.add(dataSource, campaign, "b", 7);
            await().until(() -> counter(campaign, "b") == 7);
            SummaryRows.add(dataSource, campaign, "a", 4);
            await().until(() -> counter(campaign, "a") == 9);
            assertEquals(1, client.getItems().size());
            await().until(() -> live.waitingCount() >= 1);

            client.request(1);
            client.awaitItems(2);
            LiveTotalsService.Update merged = client.getItems().get(1);
            assertEquals("changes", merged.kind());
            assertEquals(16, merged.total());
            assertEquals(Map.of("a", 9L, "b", 7L), merged.cases());
        } finally {
            client.cancel();
            SummaryRows.delete(dataSource, campaign);
        }
    }

    private long counter(String campaign, String caseId) {
        return live.counter(new CaseChanged(UUID.randomUUID(), caseId, campaign, caseId, "MT", "Authorities", "global",
                null, 1L, "active", true, null, 1L, Instant.now())).orElseThrow().count();
    }

    /** Publishes a credential, or its tombstone ({@code null}), keyed by its key id as case-service does. */
    private static void publishCredential(String keyId, CredentialChanged credential) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TallyFixtures.kafka(), "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.CREDENTIALS, keyId,
                    credential == null ? null : Events.toJson(credential))).get();
        }
    }
}

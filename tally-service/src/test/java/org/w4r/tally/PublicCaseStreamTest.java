package org.w4r.tally;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.tally.service.PublicCases;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.ReferenceDataResource;
import org.w4r.testsupport.ReferenceFixtures;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public case state for sites that cannot receive webhooks (the stream), and the embeddable counter's script and
 * demo page: anonymous, any origin; a held case leaves the stream's list, and the streams are capped (3 in tests).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ReferenceDataResource.class, scope = TestResourceScope.GLOBAL)
class PublicCaseStreamTest {
    static final String HELD = "paing-phyo-min";

    @TestHTTPResource("/public/v1/cases/stream")
    URL stream;

    @Inject
    PublicCases publicCases;

    /** One open stream: its status, headers, and every line received so far. */
    record Open(HttpResponse<Stream<String>> response, List<String> lines) implements AutoCloseable {
        @SuppressWarnings("unchecked")
        List<List<Map<String, Object>>> lists() {
            return lines.stream().filter(l -> l.startsWith("data:"))
                    .map(l -> (List<Map<String, Object>>) Events.fromJson(l.substring(5).trim(), Map.class).get("cases"))
                    .toList();
        }

        List<String> caseIds(int event) {
            return lists().get(event).stream().map(c -> (String) c.get("caseId")).toList();
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    Open open() throws Exception {
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stream.toURI())
                .header("Accept", "text/event-stream").header("Origin", "https://www.amnesty.example").build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (RuntimeException closed) {
                // the test closed it
            }
        }, "public-case-stream-reader");
        reader.setDaemon(true);
        reader.start();
        return new Open(response, lines);
    }

    static void publishCase(CaseChanged.Hold hold) {
        TallyFixtures.publish(Topics.CASES, List.of(TallyFixtures.caseOf(HELD, ReferenceFixtures.CAMPAIGN, 1000, true, hold)));
    }

    @Test
    void theListComesFirstThenAgainWhenACaseIsHeldAndReleased() throws Exception {
        try (Open open = open()) {
            assertEquals(200, open.response().statusCode());
            assertEquals("*", open.response().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            await().atMost(Duration.ofSeconds(30)).until(() -> !open.lists().isEmpty());
            assertTrue(open.caseIds(0).containsAll(ReferenceFixtures.CASES), "the current campaign's cases: " + open.caseIds(0));
            assertTrue(open.lines().contains("event:cases"), open.lines().toString());
            String firstId = open.lines().stream().filter(l -> l.startsWith("id:")).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> open.lines().stream().anyMatch(l -> l.startsWith(":")));

            try {
                publishCase(new CaseChanged.Hold(11L, Instant.now()));
                await().atMost(Duration.ofSeconds(30)).until(() -> open.lists().size() >= 2);
                assertFalse(open.caseIds(1).contains(HELD), "a held case leaves the list: " + open.caseIds(1));
                assertFalse(open.lines().stream().filter(l -> l.startsWith("data:")).skip(1).anyMatch(l -> l.contains(HELD)),
                        "and nothing of it is left in the update");
                assertNotEquals(firstId, open.lines().stream().filter(l -> l.startsWith("id:")).skip(1).findFirst().orElseThrow());
            } finally {
                publishCase(null);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> open.lists().size() >= 3);
            assertTrue(open.caseIds(2).contains(HELD), "released, it is back: " + open.caseIds(2));
        }
    }

    /**
     * A client that reads slowly is sent the list as it is when it takes it: a list that changed while it was not
     * reading, then a hold, and what it is sent next does not name the held case.
     */
    /**
     * Every open stream asks for the list once an interval, anonymous and up to a thousand of them: it is built once a
     * change, not once a reader (a read-only review, 7 December 2026: each stream built it anew every second), and a
     * hold still takes the case out at once, with no wait for a tick.
     */
    @Test
    void theListIsBuiltOnceAChangeNotOnceAReader() {
        publishCase(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> publicIds(publicCases.current()).contains(HELD));
        PublicCases.PublicCaseList first = publicCases.current();
        org.junit.jupiter.api.Assertions.assertSame(first, publicCases.current(), "nothing changed: not built again");
        try {
            publishCase(new CaseChanged.Hold(13L, Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> !publicIds(publicCases.current()).contains(HELD));
            assertNotEquals(first.id(), publicCases.current().id());
        } finally {
            publishCase(null);
        }
    }

    @Test
    void aSlowReaderIsSentTheListAsItIsWhenItReadsNotAsItWasWhenTheTickFired() {
        publishCase(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> publicIds(publicCases.current()).contains(HELD));
        AssertSubscriber<PublicCases.Tick> reader = publicCases.stream().subscribe()
                .withSubscriber(AssertSubscriber.create(1));
        try {
            reader.awaitItems(1);
            assertTrue(publicIds(reader.getItems().get(0).state()).contains(HELD));
            // the list changes (its goal) while the reader takes nothing; ticks fire meanwhile
            TallyFixtures.publish(Topics.CASES, List.of(TallyFixtures.caseOf(HELD, ReferenceFixtures.CAMPAIGN, 2000, true,
                    null)));
            await().atMost(Duration.ofSeconds(30)).until(() -> publicCases.current().cases().stream()
                    .anyMatch(c -> c.caseId().equals(HELD) && Long.valueOf(2000).equals(c.goal())));
            await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            publishCase(new CaseChanged.Hold(12L, Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> !publicIds(publicCases.current()).contains(HELD));

            reader.request(100);
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.getItems().stream().skip(1)
                    .anyMatch(t -> t.state() != null));
            PublicCases.PublicCaseList next = reader.getItems().stream().skip(1).map(PublicCases.Tick::state)
                    .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
            assertFalse(publicIds(next).contains(HELD), "the held case in what the slow reader was sent: " + publicIds(next));
        } finally {
            reader.cancel();
            publishCase(null);
        }
    }

    static List<String> publicIds(PublicCases.PublicCaseList list) {
        return list.cases().stream().map(PublicCases.PublicCase::caseId).toList();
    }

    @Test
    void beyondTheCapAStreamIsRefusedWithRetryAfter() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> publicCases.openStreams() == 0);
        List<Open> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                streams.add(open());
                assertEquals(200, streams.get(i).response().statusCode());
            }
            HttpResponse<java.io.InputStream> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stream.toURI())
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            String body = new String(refused.body().readAllBytes());
            assertEquals(503, refused.statusCode(), body);
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertEquals("30", refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(body.contains("too-many-streams"), body);

            streams.remove(0).close();
            await().atMost(Duration.ofSeconds(30)).until(() -> publicCases.openStreams() == 2);
            streams.add(open());
            assertEquals(200, streams.get(2).response().statusCode());
        } finally {
            streams.forEach(Open::close);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> publicCases.openStreams() == 0);
    }

    @Test
    void theCounterScriptIsCacheableJavaScriptFromAnyOrigin() {
        String etag = given().header("Origin", "https://www.amnesty.example").get("/public/v1/counter.js").then()
                .statusCode(200).contentType(startsWith("text/javascript"))
                .header("Cache-Control", equalTo("public, max-age=300")).header("Access-Control-Allow-Origin", "*")
                .header("ETag", notNullValue()).body(containsString("customElements.define('w4r-counter'"))
                .extract().header("ETag");
        given().header("If-None-Match", etag).get("/public/v1/counter.js").then().statusCode(304).header("ETag", equalTo(etag));
    }

    @Test
    void theDemoPageEmbedsTheCounterForEveryPublicCaseInEachLanguage() {
        String page = given().get("/public/v1/counter-demo.html").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<script src=\"counter.js\"></script>")).extract().asString();
        for (String language : List.of("en", "fr", "es", "ar")) {
            assertTrue(page.contains("<w4r-counter case=\"nassima-al-sada\" lang=\"" + language + "\""), language);
        }
        assertFalse(page.contains("style="), "nothing inline that a strict CSP would refuse");
    }
}

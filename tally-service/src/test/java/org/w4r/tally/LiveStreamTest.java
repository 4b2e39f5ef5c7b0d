package org.w4r.tally;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Events;
import org.w4r.events.Mode;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.ReferenceDataResource;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** The SSE stream: current state first, then coalesced changes, including changes other instances make in the DB. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ReferenceDataResource.class, scope = TestResourceScope.GLOBAL)
class LiveStreamTest {
    @TestHTTPResource("/api/v1/totals/stream")
    URL stream;

    @Inject
    AgroalDataSource dataSource;

    record Event(String name, Map<String, Object> data) {
    }

    /** Reads the stream in the background; every complete event lands in the returned list. */
    static List<Event> listen(URI uri, List<AutoCloseable> open) {
        List<Event> events = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> response = client.sendAsync(
                HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        open.add(() -> response.thenAccept(r -> r.body().close()));
        response.thenAccept(r -> {
            String[] name = {null};
            r.body().forEach(line -> {
                if (line.startsWith("event:")) {
                    name[0] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    events.add(new Event(name[0], Events.fromJson(line.substring(5).trim(), Map.class)));
                }
            });
        });
        return events;
    }

    @Test
    void aClientGetsTheStateThenEveryChangeWhoeverWroteIt() throws Exception {
        String campaign = "live-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        List<AutoCloseable> open = new java.util.ArrayList<>();
        try {
            List<Event> events = listen(URI.create(stream + "?campaign=" + campaign + "&access_token=" + staffToken("coordinator")), open);
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
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("insert into tally_summary (campaign_id, case_id, entity_id, count) values ('"
                        + campaign + "', 'elsewhere', 'ai-france', 8)");
            }
            try {
                await().untilAsserted(() -> {
                    Event last = events.get(events.size() - 1);
                    assertEquals(50, ((Number) last.data().get("total")).intValue());
                    assertEquals(Map.of("elsewhere", 8), last.data().get("cases"));
                    assertEquals(Map.of("ai-france", 48), last.data().get("entities"));
                });
            } finally {
                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("delete from tally_summary where campaign_id = '" + campaign + "' and case_id = 'elsewhere'");
                }
            }
            await().untilAsserted(() -> assertEquals(42,
                    ((Number) events.get(events.size() - 1).data().get("total")).intValue()));
            // a second client starts from the current state
            List<Event> late = listen(URI.create(stream + "?campaign=" + campaign + "&access_token=" + staffToken("delivery")), open);
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

    @Test
    void theStreamNeedsAStaffTokenInTheHeaderOrTheQuery() {
        given().get("/api/v1/totals/stream").then().statusCode(401).contentType("application/problem+json");
        given().get("/api/v1/totals/stream?access_token=wrong").then().statusCode(401);
        given().get("/api/v1/totals/stream?access_token=" + entityKey("ai-france")).then().statusCode(403);
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/totals/stream").then().statusCode(403);
        // only the stream takes a token in the query
        given().get("/api/v1/totals?access_token=" + staffToken("coordinator")).then().statusCode(401);
    }
}

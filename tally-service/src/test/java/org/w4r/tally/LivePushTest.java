package org.w4r.tally;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.tally.repository.SummaryNotifications;
import org.w4r.tally.service.LiveTotalsService;
import org.w4r.tally.service.OtherInstanceLiveTotals;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.ReferenceDataResource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live view is pushed at commit, not polled: the test profile sets the safety poll to an hour, so every change
 * these tests see arrived by notification. Across instances (a second live view with its own listen connection) and
 * across a lost listen connection (terminated by the server, as a database restart does).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ReferenceDataResource.class, scope = TestResourceScope.GLOBAL)
class LivePushTest {
    /** Long enough that no test here can pass by the safety poll. */
    private static final Duration NO_POLL = Duration.ofMinutes(30);
    /** Generous: a change arrives in milliseconds, this only bounds a failing test. */
    private static final Duration ARRIVES = Duration.ofSeconds(30);

    @Inject
    LiveTotalsService live;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "w4r.tally.live.safety-poll")
    Duration safetyPoll;

    @Test
    void anActionCountedShowsOnTheStreamWithoutAPoll() {
        assertTrue(safetyPoll.compareTo(NO_POLL) >= 0, "the test profile must not poll: " + safetyPoll);
        String campaign = "push-" + UUID.randomUUID().toString().substring(0, 8);
        AssertSubscriber<LiveTotalsService.Update> client = live.updates(campaign).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        try {
            client.awaitItems(1);
            Instant now = Instant.now();
            TallyFixtures.publishActions(List.of(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign,
                    campaign + "-case", "ai-malta", ActionType.LETTER, Mode.OFFLINE, 12, now, now)));
            await().atMost(ARRIVES).untilAsserted(() -> assertEquals(12, last(client).total()));
            assertEquals("changes", last(client).kind());
            assertEquals(Map.of(campaign + "-case", 12L), last(client).cases());
        } finally {
            client.cancel();
        }
    }

    @Test
    void everyInstanceSeesAChangeOneWriterCommitted() throws Exception {
        String campaign = "instances-" + UUID.randomUUID().toString().substring(0, 8);
        LiveTotalsService other = OtherInstanceLiveTotals.start(live, NO_POLL);
        AssertSubscriber<LiveTotalsService.Update> here = live.updates(campaign).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        AssertSubscriber<LiveTotalsService.Update> there = other.updates(campaign).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        try {
            here.awaitItems(1);
            there.awaitItems(1);
            await().atMost(ARRIVES).until(other::listening);
            SummaryRows.add(dataSource, campaign, "a", 5);
            SummaryRows.add(dataSource, campaign, "b", 2);
            for (AssertSubscriber<LiveTotalsService.Update> client : List.of(here, there)) {
                await().atMost(ARRIVES).untilAsserted(() -> assertEquals(7, last(client).total()));
            }
            // each instance's snapshot holds the whole change, not only the first notification's part of it
            assertEquals(Map.of("a", 5L, "b", 2L), merged(here));
            assertEquals(Map.of("a", 5L, "b", 2L), merged(there));
        } finally {
            here.cancel();
            there.cancel();
            OtherInstanceLiveTotals.stop(other);
            SummaryRows.delete(dataSource, campaign);
        }
    }

    @Test
    void theListenConnectionComesBackAfterTheServerDropsIt() throws Exception {
        String campaign = "reconnect-" + UUID.randomUUID().toString().substring(0, 8);
        AssertSubscriber<LiveTotalsService.Update> client = live.updates(campaign).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        try {
            client.awaitItems(1);
            await().atMost(ARRIVES).until(live::listening);
            long before = live.reconnects();

            assertEquals(1, terminateListenConnections(), "the application's one listen connection");
            await().atMost(ARRIVES).until(() -> live.reconnects() > before && live.listening());
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'live-view' }.data.listening", equalTo(true));

            SummaryRows.add(dataSource, campaign, "a", 3);
            await().atMost(ARRIVES).untilAsserted(() -> assertEquals(3, last(client).total()));
            SummaryRows.add(dataSource, campaign, "a", 4);
            await().atMost(ARRIVES).untilAsserted(() -> assertEquals(7, last(client).total()));
        } finally {
            client.cancel();
            SummaryRows.delete(dataSource, campaign);
        }
    }

    private static LiveTotalsService.Update last(AssertSubscriber<LiveTotalsService.Update> client) {
        List<LiveTotalsService.Update> items = client.getItems();
        return items.get(items.size() - 1);
    }

    /** Each case's newest count as the client saw it, from the first state through every change. */
    private static Map<String, Long> merged(AssertSubscriber<LiveTotalsService.Update> client) {
        Map<String, Long> cases = new java.util.TreeMap<>();
        client.getItems().forEach(u -> cases.putAll(u.cases()));
        cases.values().removeIf(v -> v == 0);
        return cases;
    }

    private int terminateListenConnections() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                     + " where datname = current_database() and application_name = '"
                     + SummaryNotifications.APPLICATION_NAME + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

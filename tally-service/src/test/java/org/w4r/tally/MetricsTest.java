package org.w4r.tally;

import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.CaseChanged;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tally's own series move with what it consumes: freshness (recorded → counted) per counted event, hold
 * propagation per hold placed or lifted, dead letters by topic and reason, and the Kafka consumers' lag per partition.
 * Counters are shared with the other tests of this application, so each check compares before and after.
 */
@QuarkusTest
@WithPlatformResources
class MetricsTest {

    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the one series {@code name{labels}}, 0 when it does not exist yet. */
    static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void freshnessIsRecordedOncePerCountedEvent() {
        String campaign = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        double before = value(metrics(), "w4r_tally_freshness_seconds_count");
        Instant now = Instant.now();
        List<ActionRecorded> events = List.of(1, 2, 3).stream().map(n -> new ActionRecorded(UUID.randomUUID(),
                UUID.randomUUID(), campaign, campaign + "-case", "ai-malta", ActionType.LETTER, Mode.OFFLINE, n, now,
                now)).toList();
        TallyFixtures.publishActions(events);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(3, value(metrics(), "w4r_tally_freshness_seconds_count") - before));
        // the same events again (a relay's re-send) are not counted, and not measured as fresh either
        TallyFixtures.publishActions(events);
        // a marker on the events' own key, so behind them in their partition: when it is measured, they have been seen
        TallyFixtures.publishActions(List.of(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign,
                campaign + "-case", "ai-malta", ActionType.LETTER, Mode.OFFLINE, 1, now, now)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertTrue(value(metrics(), "w4r_tally_freshness_seconds_count") - before >= 4));
        assertEquals(4, value(metrics(), "w4r_tally_freshness_seconds_count") - before, "the three again not measured");
        assertTrue(metrics().contains("w4r_tally_freshness_seconds_bucket{le="), "a histogram, summable across instances");
    }

    @Test
    void aHoldReachingThisServiceIsTimed() {
        // a campaign of its own: the shared one's case list is compared exactly by other tests
        String campaign = "metrics-hold-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        String caseId = campaign + "-case";
        String placed = "w4r_hold_propagation_seconds_count{change=\"placed\"}";
        String lifted = "w4r_hold_propagation_seconds_count{change=\"lifted\"}";
        String before = metrics();
        TallyFixtures.publish(Topics.CASES, List.of(TallyFixtures.caseOf(caseId, campaign, 10, true, null)));
        TallyFixtures.publish(Topics.CASES, List.of(TallyFixtures.caseOf(caseId, campaign, 10, true,
                new CaseChanged.Hold(1, Instant.now()))));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(1, value(metrics(), placed) - value(before, placed)));
        TallyFixtures.publish(Topics.CASES, List.of(TallyFixtures.caseOf(caseId, campaign, 10, true, null)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(1, value(metrics(), lifted) - value(before, lifted)));
        assertEquals(1, value(metrics(), placed) - value(before, placed), "a change that keeps the hold is not timed");
    }

    @Test
    void deadLettersAndConsumerLagAreShown() {
        String series = "w4r_consumer_dead_letters_total{reason=\"unreadable\",topic=\"actions\"}";
        double before = value(metrics(), series);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TallyFixtures.kafka(), "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.ACTIONS, "metrics", "{not json"));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(1, value(metrics(), series) - before));
        // Micrometer's Kafka binder adds a partition's series once that partition has been fetched, and looks for new
        // series once a minute
        Pattern lag = Pattern.compile("(?m)^kafka_consumer_fetch_manager_records_lag\\{.*partition=\"\\d+\".*topic=\"actions\".*} \\S+$");
        await().atMost(Duration.ofSeconds(150)).untilAsserted(() -> {
            String text = metrics();
            assertTrue(lag.matcher(text).find(), () -> "lag per topic and partition: " + text.lines()
                    .filter(l -> l.startsWith("kafka_consumer") && l.contains("lag")).toList());
        });
    }
}

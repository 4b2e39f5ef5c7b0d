package org.w4r.tally;

import io.quarkus.test.junit.QuarkusTest;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Events;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;
import org.w4r.testsupport.WithPlatformResources;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * An event the tally can never count (unreadable, or refused by the database) goes to {@code actions.dead-letter},
 * and the partition it sat on goes on: every valid event around it, and every one published after it, is counted.
 * One the database cannot take for now is retried until it is counted, once.
 */
@QuarkusTest
@WithPlatformResources
class PoisonEventTest {
    @Inject
    AgroalDataSource db;

    @Test
    void poisonActionsAreSetAsideAndThePartitionMovesOn() {
        String campaign = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        String caseId = campaign + "-case";

        List<String> before = List.of(valid(campaign, caseId, 3), valid(campaign, caseId, 5));
        String nullType = mutate(valid(campaign, caseId, 7), m -> m.put("type", null));
        String hugeCount = mutate(valid(campaign, caseId, 7), m -> m.put("count", BigInteger.TEN.pow(30)));
        String overflowing = mutate(valid(campaign, caseId, 7), m -> m.put("count", 1L << 62));
        // passes every contract check, but tally's columns are varchar(64): the database refuses it on every try
        String refused = valid(campaign, caseId + "-" + "x".repeat(80), 11);
        List<String> between = List.of(valid(campaign, caseId, 13));
        List<String> after = List.of(valid(campaign, caseId, 17), valid(campaign, caseId, 19));

        List<String> poison = List.of(nullType, hugeCount, overflowing, refused);
        List<String> all = new ArrayList<>(before);
        all.add(nullType);
        all.add(hugeCount);
        all.addAll(between);
        all.add(overflowing);
        all.add(refused);
        // one key, so everything sits on one partition behind the poison
        publishRaw(caseId, all);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(3 + 5 + 13, campaignTotal(campaign)));
        publishRaw(caseId, after);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(3 + 5 + 13 + 17 + 19, campaignTotal(campaign)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> deadLettered = deadLetters(campaign);
            assertEquals(poison.stream().sorted().toList(), deadLettered.stream().sorted().toList(),
                    "each poison event set aside exactly once, and nothing else");
        });
        // nothing counted twice or late: a later event on the same partition is the marker
        publishRaw(caseId, List.of(valid(campaign, caseId, 23)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(3 + 5 + 13 + 17 + 19 + 23,
                campaignTotal(campaign)));
        assertEquals(poison.size(), deadLetters(campaign).size());
    }

    /**
     * The JSON literal {@code null} on the topic is set aside by the live consumer, and passed over by a reconcile,
     * which reads the whole topic again: it threw a NullPointerException there, and every reconcile after it answered
     * 500 (a read-only review, 6 December 2026).
     */
    @Test
    void aNullEventIsSetAsideAndAReconcilePassesOverIt() {
        String campaign = "null-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        String caseId = campaign + "-case";
        publishRaw(caseId, List.of("null", valid(campaign, caseId, 4)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(4, campaignTotal(campaign)));
        given().auth().oauth2(staffToken("coordinator")).post("/api/v1/tally/reconcile").then().statusCode(200);
    }

    /**
     * A record set aside last on its partition leaves the reconcile "caught-up" once the live consumer has passed it:
     * the tables' progress never moves past a record they did not apply, so with progress alone the reconcile waited
     * out its 20 s and said "behind" until another action landed on that partition (a review, 6 December 2026).
     */
    @Test
    void aRecordSetAsideLastOnItsPartitionLeavesTheReconcileCaughtUp() {
        String campaign = "last-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        String caseId = campaign + "-case";
        publishRaw(caseId, List.of(valid(campaign, caseId, 6), "null"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(6, campaignTotal(campaign)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals("caught-up",
                given().auth().oauth2(staffToken("coordinator")).post("/api/v1/tally/reconcile").then()
                        .statusCode(200).extract().jsonPath().getString("live")));
    }

    /**
     * A batch the database cannot take for now (here its statement is cancelled, SQLSTATE 57014, as a restarting or
     * overloaded server also answers) is retried until it applies, however many times that takes, and counted once:
     * never dead-lettered, never counted twice. The consumer's lock of its partition's progress is made to wait on
     * an uncommitted write of this test to every partition's progress row, so each attempt can be seen and cancelled.
     */
    @Test
    void aBatchTheDatabaseCannotTakeForNowIsRetriedAndCountedOnce() throws Exception {
        String campaign = "retry-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        String caseId = campaign + "-case";
        Instant now = Instant.now();
        ActionRecorded blocked = new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign, caseId, "ai-france",
                ActionType.LETTER, Mode.OFFLINE, 7, now, now);
        // twice the consumer's max attempts: a transient failure must never count toward them
        int cancels = 6;
        try (Connection holder = db.getConnection(); Connection admin = db.getConnection()) {
            holder.setAutoCommit(false);
            int holderPid;
            try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
                rs.next();
                holderPid = rs.getInt(1);
            }
            try (PreparedStatement lock = holder.prepareStatement("""
                    insert into consumer_progress (topic, kafka_partition, next_offset, since_offset)
                    select ?, p, 0, 0 from generate_series(0, 63) p
                    on conflict (topic, kafka_partition) do update set next_offset = consumer_progress.next_offset""")) {
                lock.setString(1, Topics.ACTIONS);
                lock.executeUpdate();
            }
            publishRaw(caseId, List.of(Events.toJson(blocked), valid(campaign, caseId, 11)));
            Timestamp last = new Timestamp(0);
            for (int i = 0; i < cancels; i++) {
                Timestamp after = last;
                Attempt attempt = await().atMost(Duration.ofSeconds(60))
                        .until(() -> waitingOn(admin, holderPid), a -> a != null && a.startedAt().after(after));
                try (PreparedStatement cancel = admin.prepareStatement("select pg_cancel_backend(?)")) {
                    cancel.setInt(1, attempt.pid());
                    cancel.executeQuery().close();
                }
                last = attempt.startedAt();
            }
            assertEquals(0, campaignTotal(campaign), "nothing counted while the batch cannot apply");
            holder.rollback();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(7 + 11, campaignTotal(campaign)));
        // a later event on the same partition: once it is counted, a late second application would have shown
        publishRaw(caseId, List.of(valid(campaign, caseId, 13)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(7 + 11 + 13, campaignTotal(campaign)));
        assertEquals(List.of(), deadLetters(campaign), "a transient failure never sends an event to the dead letter");
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "select count(*) from consumed_batch, unnest(event_ids) id where topic = ? and id = ?")) {
            select.setString(1, Topics.ACTIONS);
            select.setObject(2, blocked.eventId());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the event is recorded as applied, once");
            }
        }
    }

    record Attempt(int pid, Timestamp startedAt) {
    }

    /** The consumer's statement waiting on the holder's transaction, if one is. */
    private static Attempt waitingOn(Connection admin, int holderPid) throws Exception {
        try (PreparedStatement select = admin.prepareStatement("select pid, query_start from pg_stat_activity "
                + "where ? = any(pg_blocking_pids(pid)) order by query_start desc limit 1")) {
            select.setInt(1, holderPid);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new Attempt(rs.getInt(1), rs.getTimestamp(2)) : null;
            }
        }
    }

    private static List<String> deadLetters(String campaign) {
        return TopicReader.readAll(TallyFixtures.kafka(), Topics.deadLetter(Topics.ACTIONS)).stream()
                .map(ConsumerRecord::value).filter(v -> v != null && v.contains(campaign)).toList();
    }

    private static long campaignTotal(String campaign) {
        return given().auth().oauth2(staffToken("coordinator")).get("/api/v1/totals?campaign=" + campaign)
                .then().statusCode(200).extract().jsonPath().getLong("total");
    }

    private static String valid(String campaign, String caseId, long count) {
        Instant now = Instant.now();
        return Events.toJson(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign, caseId, "ai-france",
                ActionType.LETTER, Mode.OFFLINE, count, now, now));
    }

    @SuppressWarnings("unchecked")
    private static String mutate(String json, Consumer<Map<String, Object>> change) {
        Map<String, Object> fields = new LinkedHashMap<>(Events.fromJson(json, Map.class));
        change.accept(fields);
        return Events.toJson(fields);
    }

    private static void publishRaw(String key, List<String> payloads) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TallyFixtures.kafka(), "acks", "all", "linger.ms", "5"),
                new StringSerializer(), new StringSerializer())) {
            for (String payload : payloads) {
                producer.send(new ProducerRecord<>(Topics.ACTIONS, key, payload));
            }
            producer.flush();
        }
    }
}

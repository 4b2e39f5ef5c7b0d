package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/**
 * What petition-service has stored and published, to prove that a request had no effect (a refusal, a replay).
 * Stored: the row count of every table a write touches, and the outbox sequence (it also counts a row rolled
 * back). Published: the end offsets of every topic the service writes to.
 * "Nothing published" needs a later event to be sure the relay went past the request: {@link #assertNothingSince}
 * records a marker action and waits for it; the relay sends rows in outbox order, so anything the refused request
 * had written would be on the topics before the marker.
 */
final class Effects {
    static final List<String> TABLES = List.of("signature", "online_action", "offline_count", "offline_correction",
            "message", "idempotency_key", "outbox", "outbox_dead_letter", "audit_entry");
    static final List<String> TOPICS = List.of(Topics.ACTIONS, Topics.MODERATION, Topics.ERASURES);
    /** The marker's entity: no test refuses or replays a request of this entity, so its marker is never mistaken. */
    static final String MARKER_ENTITY = "international-members";

    private Effects() {
    }

    record Snapshot(Map<String, Long> rows, Map<TopicPartition, Long> offsets) {
    }

    /** After the relay has sent everything written so far: what is stored and what is on the topics now. */
    static Snapshot take(AgroalDataSource db) {
        awaitRelayed(db);
        return new Snapshot(rows(db), endOffsets());
    }

    static void awaitRelayed(AgroalDataSource db) {
        await().atMost(Duration.ofSeconds(60)).until(() -> number(db, "select count(*) from outbox_backlog") == 0);
    }

    static Map<String, Long> rows(AgroalDataSource db) {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : TABLES) {
            rows.put(table, number(db, "select count(*) from " + table));
        }
        rows.put("outbox_id_seq", number(db, "select last_value from outbox_id_seq"));
        return rows;
    }

    /**
     * Nothing was stored since {@code before}, and nothing was published: a marker action recorded now reaches the
     * actions topic, and it is the only record on any of the service's topics since {@code before}.
     */
    static void assertNothingSince(Snapshot before, AgroalDataSource db, String what) {
        assertEquals(before.rows(), rows(db), what + ": nothing stored");
        assertNothingPublishedSince(before, db, what);
    }

    /**
     * As {@link #assertNothingKeptSince}, but for the rows {@code grown} names, which grew by as many: a refusal by the
     * rules under an Idempotency-Key keeps its answer under the key, and nothing else (one refused in its transaction,
     * a correction below zero, took an outbox sequence value).
     */
    static void assertOnlySince(Snapshot before, AgroalDataSource db, String what, Map<String, Long> grown) {
        Map<String, Long> expected = new LinkedHashMap<>(before.rows());
        Map<String, Long> actual = rows(db);
        expected.remove("outbox_id_seq");
        actual.remove("outbox_id_seq");
        grown.forEach((table, rows) -> expected.merge(table, rows, Long::sum));
        assertEquals(expected, actual, what + ": only " + grown + " stored");
        assertNothingPublishedSince(before, db, what);
    }

    /**
     * As {@link #assertNothingSince}, but the outbox sequence may have moved: a request under an Idempotency-Key that
     * another request holds is applied, meets the held key at its last insert and is rolled back (the key is written
     * once, after the effect: issue 20), so its outbox row took a sequence value and was never kept. Every table's
     * rows and every topic are still compared.
     */
    static void assertNothingKeptSince(Snapshot before, AgroalDataSource db, String what) {
        Map<String, Long> expected = new LinkedHashMap<>(before.rows());
        Map<String, Long> actual = rows(db);
        expected.remove("outbox_id_seq");
        actual.remove("outbox_id_seq");
        assertEquals(expected, actual, what + ": nothing stored");
        assertNothingPublishedSince(before, db, what);
    }

    private static void assertNothingPublishedSince(Snapshot before, AgroalDataSource db, String what) {
        assertEquals(List.of(), values(actionsThroughMarker(before, db)), what + ": nothing on " + Topics.ACTIONS);
        for (String topic : TOPICS) {
            if (!topic.equals(Topics.ACTIONS)) {
                assertEquals(List.of(), values(publishedSince(before, topic)), what + ": nothing on " + topic);
            }
        }
    }

    /**
     * Every record on the actions topic since {@code before}, but for a marker recorded now: the marker is awaited,
     * so whatever was written before it has been relayed too, and a late duplicate would be in the list.
     */
    static List<ConsumerRecord<String, String>> actionsThroughMarker(Snapshot before, AgroalDataSource db) {
        String marker = marker();
        await().atMost(Duration.ofSeconds(60)).until(() -> publishedSince(before, Topics.ACTIONS),
                r -> r.stream().anyMatch(c -> c.value().contains(marker)));
        awaitRelayed(db);
        List<ConsumerRecord<String, String>> actions = publishedSince(before, Topics.ACTIONS);
        assertEquals(1, actions.stream().filter(c -> c.value().contains(marker)).count(), "the marker once");
        return actions.stream().filter(c -> !c.value().contains(marker)).toList();
    }

    /** Records an action that is certainly accepted and returns its id. */
    static String marker() {
        return given().auth().oauth2(entityKey(MARKER_ENTITY)).contentType("application/json")
                .body("{\"type\":\"other\"}").post("/api/v1/actions")
                .then().statusCode(202).extract().path("results[0].actionId");
    }

    static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    static Map<TopicPartition, Long> endOffsets() {
        return TopicReader.endOffsets(kafka(), TOPICS);
    }

    /** Every record on {@code topic} after the snapshot's offsets, up to the end now. */
    static List<ConsumerRecord<String, String>> publishedSince(Snapshot before, String topic) {
        return TopicReader.readSince(kafka(), before.offsets(), topic);
    }

    private static String kafka() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    static long number(AgroalDataSource db, String sql) {
        return Long.parseLong(one(db, sql));
    }

    /** The first column of the first row {@code sql} selects with {@code param} for its one {@code ?}; null if none. */
    static String valueOrNull(AgroalDataSource db, String sql, String param) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static String one(AgroalDataSource db, String sql) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}

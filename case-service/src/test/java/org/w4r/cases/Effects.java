package org.w4r.cases;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.kit.outbox.OutboxRelay;
import org.w4r.testsupport.TopicReader;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a write left behind, read where the other services would see it: the database row and the compacted topics.
 * An answer's status alone cannot tell a write that took effect from one that only said so.
 */
final class Effects {
    static final Duration BOUND = Duration.ofSeconds(60);

    private Effects() {
    }

    /** The row {@code sql} selects, column name to value; null if there is none. */
    static Map<String, Object> row(DataSource db, String sql, Object... params) {
        List<Map<String, Object>> rows = rows(db, sql, params);
        if (rows.size() > 1) {
            throw new AssertionError(rows.size() + " rows for " + sql);
        }
        return rows.isEmpty() ? null : rows.get(0);
    }

    static List<Map<String, Object>> rows(DataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnName(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * A write straight into the database, as another instance (or an operator) would make it: nothing of it goes
     * through this service's outbox, so the token directory and the topics do not hear of it.
     */
    static int update(DataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A timestamptz column as an instant, whatever type the driver handed out. */
    static java.time.Instant instant(Object column) {
        if (column == null) {
            return null;
        }
        if (column instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (column instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalArgumentException("not a timestamp: " + column.getClass());
    }

    static Map<String, Object> caseRow(DataSource db, String caseId) {
        return row(db, "select * from case_file where id = ?", caseId);
    }

    /** Waits until the relay has sent every committed row, so a later look at a topic starts from a quiet outbox. */
    static void awaitOutboxEmpty(OutboxRelay relay) {
        relay.wakeUp();
        await().atMost(BOUND).until(() -> relay.backlog() == 0);
    }

    /**
     * The end of some topics at one moment, to read what was published after it. With {@link #awaitOutboxEmpty}
     * first, whatever appears later came from what the test did next.
     */
    static final class Mark {
        private final String kafka;
        private final Map<TopicPartition, Long> ends;

        private Mark(String kafka, Map<TopicPartition, Long> ends) {
            this.kafka = kafka;
            this.ends = ends;
        }

        static Mark now(String kafka, String... topics) {
            return new Mark(kafka, new HashMap<>(TopicReader.endOffsets(kafka, List.of(topics))));
        }

        /** Every record of {@code topic} published since this mark, in offset order. */
        List<ConsumerRecord<String, String>> since(String topic) {
            return TopicReader.readSince(kafka, ends, topic);
        }

        /** The keys published on {@code topic} since this mark, in order (a key twice if published twice). */
        List<String> keysSince(String topic) {
            return since(topic).stream().map(ConsumerRecord::key).toList();
        }

        /**
         * Each topic published only its marker since this mark. That nothing was published shows only once something
         * later was: a marker is one accepted write made after what must publish nothing, and the relay sends the
         * outbox in id order, so whatever came before the marker would have been sent first.
         */
        void publishedOnly(Map<String, String> markerByTopic) {
            await().atMost(BOUND).until(() -> markerByTopic.entrySet().stream()
                    .allMatch(m -> keysSince(m.getKey()).contains(m.getValue())));
            markerByTopic.forEach((topic, marker) -> assertEquals(List.of(marker), keysSince(topic),
                    topic + ": nothing published but the marker"));
        }

        /** Every {@code cases} event of {@code caseId} published since this mark. */
        List<CaseChanged> caseEventsSince(String caseId) {
            return since(Topics.CASES).stream().filter(r -> caseId.equals(r.key()) && r.value() != null)
                    .map(r -> Events.fromJson(r.value(), CaseChanged.class)).filter(Objects::nonNull).toList();
        }
    }
}

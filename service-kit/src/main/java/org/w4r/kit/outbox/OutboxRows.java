package org.w4r.kit.outbox;

import org.w4r.events.Events;
import org.w4r.kit.tracing.TraceContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The outbox for writers that hold a plain JDBC transaction (group commit) rather than a JTA one: all rows in one
 * batched round trip. The caller commits, then wakes the {@link OutboxRelay}.
 */
public final class OutboxRows {
    private OutboxRows() {
    }

    /**
     * {@code trace} is the trace context of the request that caused the event (null if none): the relay sends it as
     * the record's {@code traceparent} header, so the consumers continue that request's trace.
     */
    public record Row(String topic, String key, Object event, TraceContext trace) {
        /** A row in the calling thread's trace: build it on the request's thread, not on a writer thread. */
        public Row(String topic, String key, Object event) {
            this(topic, key, event, TraceContext.current());
        }
    }

    public static void insert(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into outbox (topic, event_key, payload, trace_parent, trace_state) values (?, ?, ?, ?, ?)")) {
            for (Row row : rows) {
                insert.setString(1, row.topic());
                insert.setString(2, row.key());
                insert.setString(3, Events.toJson(row.event()));
                insert.setString(4, row.trace() == null ? null : row.trace().traceparent());
                insert.setString(5, row.trace() == null ? null : row.trace().tracestate());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}

package org.w4r.kit.outbox;

import org.w4r.events.Events;

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

    public record Row(String topic, String key, Object event) {
    }

    public static void insert(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into outbox (topic, event_key, payload) values (?, ?, ?)")) {
            for (Row row : rows) {
                insert.setString(1, row.topic());
                insert.setString(2, row.key());
                insert.setString(3, Events.toJson(row.event()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}

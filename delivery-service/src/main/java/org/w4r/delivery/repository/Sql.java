package org.w4r.delivery.repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Small JDBC conversions shared by the repositories. */
final class Sql {
    private Sql() {
    }

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, Timestamp.from(instant));
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** By SQLSTATE only: PostgreSQL's message may quote the row's values (names, notes). */
    static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("cannot " + what + " (SQLSTATE " + e.getSQLState() + ")", e);
    }
}

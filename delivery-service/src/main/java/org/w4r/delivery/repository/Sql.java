package org.w4r.delivery.repository;

import org.w4r.delivery.model.FrozenCounts;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC conversions shared by the repositories, and the one way they run a single statement. */
final class Sql {
    private Sql() {
    }

    /** What a statement answers, read once its values are bound. */
    @FunctionalInterface
    interface Answer<T> {
        T read(PreparedStatement statement) throws SQLException;
    }

    /** One row of a result as a value. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs one statement on the connection of the caller's transaction, with {@code values} bound in order; a failure
     * names {@code what} was done, never the values.
     */
    static <T> T run(DataSource dataSource, String what, String sql, Answer<T> answer, Object... values) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                set(ps, i + 1, values[i]);
            }
            return answer.read(ps);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    static <T> Optional<T> first(PreparedStatement query, Row<T> row) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
        }
    }

    static <T> List<T> all(PreparedStatement query, Row<T> row) throws SQLException {
        List<T> result = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                result.add(row.read(rs));
            }
        }
        return result;
    }

    /** Rows of (entity id, action type, count): counts as a handover freezes them. */
    static FrozenCounts frozenCounts(PreparedStatement query) throws SQLException {
        return new FrozenCounts(all(query, rs -> new FrozenCounts.Cell(rs.getString(1), rs.getString(2), rs.getLong(3))));
    }

    /** An instant as {@link #setInstant}; any other value (null included) as the driver maps it. */
    static void set(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof Instant instant) {
            setInstant(ps, index, instant);
        } else {
            ps.setObject(index, value);
        }
    }

    /**
     * PgJDBC <em>rounds</em> a timestamp's nanoseconds to the microsecond when it binds it ({@code 23:59:59.9999995Z}
     * becomes the next day's {@code 00:00:00}), so an instant the service also publishes or compares must reach here
     * at the microsecond already: the API's are read so ({@code rest.IsoInstant}), the service's own clock is
     * truncated where it is read (read-only review, 6 December 2026).
     */
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

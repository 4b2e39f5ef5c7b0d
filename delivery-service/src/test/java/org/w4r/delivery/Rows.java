package org.w4r.delivery;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the service's database holds, read the way an operator would: plain SQL, no service code in between. */
final class Rows {
    private Rows() {
    }

    static long number(DataSource db, String sql, Object... parameters) {
        List<String> values = strings(db, sql, parameters);
        return values.isEmpty() || values.get(0) == null ? 0 : Long.parseLong(values.get(0));
    }

    /** The first column of every row, as text. */
    static List<String> strings(DataSource db, String sql, Object... parameters) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void execute(DataSource db, String sql) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sessions of this service's database waiting for a lock while running a statement that starts with {@code sql}. */
    static long waitingOnLock(DataSource db, String sql) {
        return number(db, """
                select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
                and query ilike ?""", sql + "%");
    }
}

package org.w4r.replay;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * What the platform's databases wrote, from PostgreSQL's own counters: per table of every database, rows inserted,
 * updated and deleted ({@code pg_stat_user_tables}; an upsert that hits an existing row counts as an update), live
 * rows and bytes ({@code pg_total_relation_size}), and each database's size ({@code pg_database_size}).
 *
 * <p>These counters are cumulative and asynchronous: each backend keeps its own until it flushes them, at most once
 * a second while busy and, once idle, up to {@link #FLUSH_IDLE_SECONDS} s later (PostgreSQL 15's
 * PGSTAT_IDLE_INTERVAL). {@code pg_stat_force_next_flush()} only flushes the calling session's counters, never the
 * services' connections, so the bench waits until the figures stop moving instead ({@link Costs}).
 */
final class PgStats implements AutoCloseable {
    /** How long an idle backend may keep its counters before flushing them. */
    static final int FLUSH_IDLE_SECONDS = 10;

    /** One table's counters at one moment, each counting since the statistics were last reset. */
    record Table(String database, String table, long inserted, long updated, long deleted, long liveRows, long bytes) {
        String key() {
            return database + "." + table;
        }
    }

    /**
     * Tables the platform writes on a timer whatever the load: petition-service's instance heartbeat (every 10 s,
     * shorter than the quiet wait). Their rows are counted like any others, but they never hold the wait for the
     * counters to settle: in the first runs of 3 December they did, every wait ran to its 120 s timeout, and the idle
     * CPU of those two minutes was divided among the step's actions (2.1 ms per action at 1,000/s instead of about 0.9).
     */
    static final Set<String> HEARTBEATS = Set.of("w4r_petition.rate_limit_instance");

    /** service-kit's outbox partitions ({@code db/outbox/V0_4__outbox_log.sql}). */
    static final java.util.regex.Pattern OUTBOX_PARTITION = java.util.regex.Pattern.compile("outbox_[0-9]+");

    record Snapshot(Map<String, Table> tables, Map<String, Long> databaseBytes) {
        long written() {
            return tables.values().stream().mapToLong(t -> t.inserted() + t.updated() + t.deleted()).sum();
        }

        /** What the step's work wrote, the heartbeats left out: what the wait for the counters watches. */
        long writtenBesidesHeartbeats() {
            return tables.values().stream().filter(t -> !HEARTBEATS.contains(t.key()))
                    .mapToLong(t -> t.inserted() + t.updated() + t.deleted()).sum();
        }

        /** Per table, what changed since {@code before}; a table made in between counts from zero. */
        List<TableDelta> minus(Snapshot before) {
            List<TableDelta> deltas = new ArrayList<>();
            tables.forEach((key, after) -> {
                Table b = before.tables.getOrDefault(key, new Table(after.database(), after.table(), 0, 0, 0, 0, 0));
                deltas.add(new TableDelta(after.database(), after.table(), after.inserted() - b.inserted(),
                        after.updated() - b.updated(), after.deleted() - b.deleted(), after.liveRows() - b.liveRows(),
                        after.bytes() - b.bytes(), after.liveRows(), after.inserted(), after.deleted()));
            });
            return deltas;
        }

        /** Per database, bytes grown since {@code before}. */
        Map<String, Long> bytesMinus(Snapshot before) {
            Map<String, Long> grown = new LinkedHashMap<>();
            databaseBytes.forEach((db, size) -> grown.put(db, size - before.databaseBytes.getOrDefault(db, size)));
            return grown;
        }
    }

    /** One table over one step, with its totals now: what it keeps and what it prunes. */
    record TableDelta(String database, String table, long inserted, long updated, long deleted, long liveRowsDelta,
                      long bytesDelta, long liveRowsNow, long everInserted, long everDeleted) {
        long written() {
            return inserted + updated + deleted;
        }

        /**
         * From the counts alone: "pruned" when the step deleted nearly all it inserted (a queue; the last rows may
         * still wait), "pruned later" when some rows were ever deleted but fewer than the step took (a retention
         * job), "truncated" for the partitions of service-kit's outbox (a log emptied a partition at a time by
         * TRUNCATE once sent, which no row counter records), "kept" when no row was ever deleted since the
         * statistics were reset, "updated" when it only updated rows, "-" when the step did not touch it.
         */
        String fate() {
            if (inserted == 0 && deleted == 0) {
                return updated == 0 ? "-" : "updated";
            }
            if (deleted == 0 && OUTBOX_PARTITION.matcher(table).matches()) {
                return "truncated";
            }
            if (inserted > 0 && deleted * 10 >= inserted * 9) {
                return "pruned";
            }
            return everDeleted > 0 ? "pruned later" : "kept";
        }
    }

    private final Map<String, Connection> connections = new LinkedHashMap<>();

    /** One connection per database, as {@code user} (the admin user ./platform uses: it owns no service's role). */
    PgStats(String baseUrl, List<String> databases, String user, String password) throws SQLException {
        try {
            for (String db : databases) {
                Properties p = new Properties();
                p.setProperty("user", user);
                if (password != null) {
                    p.setProperty("password", password);
                }
                p.setProperty("loginTimeout", "3");
                p.setProperty("ApplicationName", "w4r-bench");
                Connection c = new org.postgresql.Driver().connect(baseUrl + db, p);
                if (c == null) {
                    throw new SQLException("not a PostgreSQL URL: " + baseUrl + db);
                }
                connections.put(db, c);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** Its backend's pid: the postmaster is its parent ({@link PlatformCpu}). */
    OptionalInt backendPid() throws SQLException {
        if (connections.isEmpty()) {
            return OptionalInt.empty();
        }
        try (Statement s = connections.values().iterator().next().createStatement();
             ResultSet r = s.executeQuery("select pg_backend_pid()")) {
            r.next();
            return OptionalInt.of(r.getInt(1));
        }
    }

    /**
     * The server's {@code autovacuum} setting: without it dead rows stay until a VACUUM, and a table that deletes what
     * it inserts grows and slows with every run (CI machines run PostgreSQL without it).
     */
    String autovacuum() throws SQLException {
        try (Statement s = connections.values().iterator().next().createStatement();
             ResultSet r = s.executeQuery("show autovacuum")) {
            r.next();
            return r.getString(1);
        }
    }

    /** Every counter now. Autocommit: each query is its own transaction, so none sees an earlier query's cached stats. */
    Snapshot snapshot() throws SQLException {
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, Connection> e : connections.entrySet()) {
            try (Statement s = e.getValue().createStatement()) {
                try (ResultSet r = s.executeQuery("""
                        select schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_del, n_live_tup,
                               pg_total_relation_size(relid)
                        from pg_stat_user_tables order by 1""")) {
                    while (r.next()) {
                        String table = r.getString(1).replaceFirst("^public\\.", "");
                        Table t = new Table(e.getKey(), table, r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6));
                        tables.put(t.key(), t);
                    }
                }
                try (ResultSet r = s.executeQuery("select pg_database_size(current_database())")) {
                    r.next();
                    sizes.put(e.getKey(), r.getLong(1));
                }
            }
        }
        return new Snapshot(tables, sizes);
    }

    @Override
    public void close() {
        for (Connection c : connections.values()) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        connections.clear();
    }
}

package org.w4r.cases;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A transaction on the test database that the test holds open, as another instance's or a colleague's change under
 * way: its own connection (not the service's pool), so the service's requests meet its locks as they would meet
 * another writer's. A request sent meanwhile runs on a thread of its own; {@link #awaitBlocked} waits until it is
 * answered or waits on one of this transaction's locks.
 */
final class OpenTransaction implements AutoCloseable {
    private final Connection connection;
    /** Autocommit, to watch the others: in the transaction, pg_stat_activity would be a snapshot of its start. */
    private final Connection watch;
    private final int pid;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    OpenTransaction() throws SQLException {
        Config config = ConfigProvider.getConfig();
        connection = connect(config);
        watch = connect(config);
        try (var slow = connection.createStatement()) {
            // in a deadlock the session whose deadlock_timeout (1 s) ends first finds it and is ended: this one waits
            // last, so it should be the service's request; under a loaded CI machine the two checks ran the other way
            // round once (7 December 2026, DatabaseConflictTest). Needs a role that may set it (the tests' postgres).
            slow.execute("set deadlock_timeout = '20s'");
        } catch (SQLException notAllowed) {
            // another role: the order is then the server's timing, as before
        }
        connection.setAutoCommit(false);
        try (ResultSet rs = connection.createStatement().executeQuery("select pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
    }

    /** A statement in this transaction; it may wait for a lock. */
    OpenTransaction run(String sql, Object... params) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.execute();
        }
        return this;
    }

    /** {@code request} on a thread of its own, started now. */
    <T> Future<T> meanwhile(Callable<T> request) {
        return thread.submit(request);
    }

    /** Until {@code request} is answered, or waits on a lock this transaction holds. */
    void awaitBlocked(Future<?> request) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> request.isDone() || blocksAnother());
    }

    private boolean blocksAnother() throws SQLException {
        try (PreparedStatement s = watch.prepareStatement(
                     "select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))")) {
            s.setInt(1, pid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    private static Connection connect(Config config) throws SQLException {
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    void commit() throws SQLException {
        connection.commit();
    }

    static <T> T answer(Future<T> request) throws Exception {
        return request.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws SQLException {
        thread.shutdownNow();
        try {
            connection.rollback();
        } finally {
            connection.close();
            watch.close();
        }
    }
}

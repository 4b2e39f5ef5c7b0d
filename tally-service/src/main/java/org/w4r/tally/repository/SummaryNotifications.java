package org.w4r.tally.repository;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Listens on channel {@code tally_summary}, where the summary's triggers (V4) announce at commit which campaigns a
 * statement changed. One connection of its own, opened with the driver, not taken from the pool: it is held for the
 * life of the instance, and a pooled one held forever would be a pool slot the requests never get back.
 *
 * <p>The connection is re-opened with backoff (100 ms doubling to 5 s) when it breaks (a database restart, an
 * administrator's {@code pg_terminate_backend}, a network cut that the idle check finds). Notifications sent while
 * nobody listened are lost, so every (re)connect is reported as "everything may have changed".
 */
public class SummaryNotifications {
    private static final Logger LOG = Logger.getLogger(SummaryNotifications.class);
    static final String CHANNEL = "tally_summary";
    /** The triggers' payload for "re-read everything" (a truncate, too many campaigns for one payload). */
    static final String EVERYTHING = "*";
    /** What the listening session is called in pg_stat_activity. */
    public static final String APPLICATION_NAME = "tally-live-listen";
    /** How long the connection may stay silent before it is checked with a round trip: finds a cut that sent no FIN. */
    private static final int IDLE_CHECK_MS = 10_000;
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final DirectConnections connections;
    private final Consumer<Set<String>> campaignsChanged;
    private final Runnable everythingMayHaveChanged;
    private volatile boolean running = true;
    private volatile boolean listening;
    private volatile long reconnects;
    private volatile Connection connection;
    private Thread thread;

    /**
     * @param campaignsChanged         told the campaign ids of each notification, on the listening thread
     * @param everythingMayHaveChanged told on every (re)connect and on a payload that names no campaigns
     */
    public SummaryNotifications(DirectConnections connections, Consumer<Set<String>> campaignsChanged,
                                Runnable everythingMayHaveChanged) {
        this.connections = connections;
        this.campaignsChanged = campaignsChanged;
        this.everythingMayHaveChanged = everythingMayHaveChanged;
    }

    public void start() {
        thread = new Thread(this::run, "tally-summary-listen");
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                // abort, not close: close would wait for the listening thread's read to time out
                c.abort(Runnable::run);
            } catch (SQLException e) {
                LOG.debugf("closing the listen connection: SQLSTATE %s", e.getSQLState());
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether changes are pushed now; false while reconnecting (the safety poll alone keeps the view fresh then). */
    public boolean listening() {
        return listening;
    }

    /** How many times the listen connection was lost and re-opened since start. */
    public long reconnects() {
        return reconnects;
    }

    private void run() {
        long backoffMs = MIN_BACKOFF_MS;
        boolean connectedBefore = false;
        while (running) {
            try (Connection c = connections.open(APPLICATION_NAME)) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("listen " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                if (connectedBefore) {
                    reconnects++;
                    LOG.info("listening to tally_summary changes again");
                }
                connectedBefore = true;
                listening = true;
                backoffMs = MIN_BACKOFF_MS;
                everythingMayHaveChanged.run();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(IDLE_CHECK_MS);
                    if (notifications != null && notifications.length > 0) {
                        deliver(notifications);
                    } else if (!c.isValid(5)) {
                        throw new SQLException("the listen connection does not answer", "08006");
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                connection = null;
                if (!running) {
                    return;
                }
                LOG.warnf("not listening to tally_summary changes (%s); the safety poll covers it, retrying in %d ms",
                        e instanceof SQLException sql ? "SQLSTATE " + sql.getSQLState() : e.getClass().getSimpleName(),
                        backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
        listening = false;
    }

    /** One call for all notifications that arrived together: the union of their campaigns, or everything. */
    private void deliver(PGNotification[] notifications) {
        Set<String> campaigns = new TreeSet<>();
        for (PGNotification n : notifications) {
            String payload = n.getParameter();
            if (payload == null || payload.isEmpty() || EVERYTHING.equals(payload)) {
                everythingMayHaveChanged.run();
                return;
            }
            campaigns.addAll(Arrays.asList(payload.split(",")));
        }
        campaignsChanged.accept(campaigns);
    }
}

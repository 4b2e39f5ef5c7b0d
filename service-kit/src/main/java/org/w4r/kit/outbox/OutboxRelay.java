package org.w4r.kit.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.EventPublisher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Relays the outbox to Kafka in batches: send every row of a batch, wait for all acks (acks=all), then delete the
 * rows in the same transaction that locked them. A crash between ack and delete re-sends a batch; consumers are
 * idempotent on the event id, so that is harmless. If Kafka is down the rows wait, and the API keeps accepting.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventPublisher publisher;

    @ConfigProperty(name = "w4r.outbox.enabled", defaultValue = "false")
    boolean enabled;

    @ConfigProperty(name = "w4r.outbox.batch-size", defaultValue = "1000")
    int batchSize;

    @ConfigProperty(name = "w4r.outbox.idle-poll-ms", defaultValue = "250")
    long idlePollMs;

    private final Semaphore work = new Semaphore(0);
    private volatile boolean running = true;
    private volatile Thread thread;

    /** Starts at start-up in services that have an outbox, so rows left by a crash are sent without new writes. */
    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called after a transaction that wrote to the outbox has committed, so events leave without polling delay. */
    public void wakeUp() {
        if (work.availablePermits() == 0) {
            work.release();
        }
    }

    private void run() {
        long backoffMs = 100;
        while (running) {
            try {
                int sent = relayBatch();
                backoffMs = 100;
                if (sent < batchSize) {
                    work.tryAcquire(idlePollMs, TimeUnit.MILLISECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warnf("outbox relay: %s; retrying in %d ms", e.getMessage(), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }

    /** One batch: returns how many events it relayed. */
    int relayBatch() throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                planByPrimaryKey(connection);
                List<Long> ids = new ArrayList<>();
                List<CompletableFuture<?>> acks = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "select id, topic, event_key, payload from outbox order by id limit ? for update skip locked")) {
                    select.setInt(1, batchSize);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getLong(1));
                            acks.add(publisher.publishJson(rows.getString(2), rows.getString(3), rows.getString(4)));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    connection.commit();
                    return 0;
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                try (PreparedStatement delete = connection.prepareStatement("delete from outbox where id = any(?)")) {
                    delete.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                    delete.executeUpdate();
                }
                connection.commit();
                return ids.size();
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * The outbox is a queue: often empty, sometimes a backlog of a million rows. A plan cached (or statistics taken)
     * while it was nearly empty said "scan the table"; with a backlog that made every batch scan hundreds of MB, and
     * the relay fell further behind at 1,000 events/s. Every access here is by primary key, so plan each batch's
     * statements afresh and never as a table scan.
     */
    private static void planByPrimaryKey(Connection connection) throws SQLException {
        try (Statement settings = connection.createStatement()) {
            settings.execute("set local plan_cache_mode = force_custom_plan; set local enable_seqscan = off");
        }
    }

    /** Waits until the outbox row {@code id} has been acknowledged by Kafka; false if not within {@code timeout}. */
    public boolean awaitRelayed(long id, java.time.Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        wakeUp();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement exists = connection.prepareStatement("select 1 from outbox where id = ?")) {
            exists.setLong(1, id);
            while (true) {
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        return true;
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                sleep(10);
            }
        }
    }

    /** Events accepted but not yet acknowledged by Kafka. */
    public long backlog() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("select count(*) from outbox");
             ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

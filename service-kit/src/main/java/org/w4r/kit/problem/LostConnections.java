package org.w4r.kit.problem;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Once one connection is found lost, the pool's idle ones are dropped, since they went the same way. A database host
 * that dies, or a network that falls silent, sends no reset: every pooled connection stays open in the pool and is
 * found dead only when a statement on it waits out the driver's socket timeout ({@code socketTimeout}, the kit's
 * defaults). The pool drops only the connection that failed, so each writer then took the next dead one and waited
 * again: with 32 pooled connections and two signature writers, recovery would have taken 16 timeouts. Dropped at
 * the first, the next statement opens a new connection, which fails fast while the database is away and works once it
 * is back. Found with petition-service's frozen-database test (5 December 2026).
 *
 * <p>At most once a second: a burst of failures closes the idle connections once. Connections in use are left to
 * their own statements. The pool closes them on its own thread, after whatever it is doing there (opening a
 * connection), so a statement right after this call may still meet one: petition's writers do not try again after a
 * wait for the server ran out ({@code WriteFailed}).
 */
@ApplicationScoped
public class LostConnections {
    private static final Logger LOG = Logger.getLogger(LostConnections.class);
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A service without a database has no pool: nothing to drop. */
    @Inject
    Instance<AgroalDataSource> dataSource;

    /** The pool of a kit test that wires its beans by hand ({@link #of}); null under CDI. */
    private AgroalDataSource given;

    private final AtomicLong lastDrop = new AtomicLong(System.nanoTime() - QUIET_NANOS);

    /** For code wired by hand (the kit's tests): drops the idle connections of {@code pool}, or of none if null. */
    public static LostConnections of(AgroalDataSource pool) {
        LostConnections lost = new LostConnections();
        lost.given = pool;
        return lost;
    }

    /** Drops the idle connections if {@code failure} says a connection was lost ({@link DatabaseProblems.Failure#lostConnection}). */
    public void after(Throwable failure) {
        after(DatabaseProblems.failure(failure));
    }

    /** As {@link #after(Throwable)}, for a failure already read. */
    public void after(DatabaseProblems.Failure failure) {
        AgroalDataSource pool = given != null || dataSource == null ? given
                : dataSource.isResolvable() ? dataSource.get() : null;
        if (failure == null || !failure.lostConnection() || pool == null) {
            return;
        }
        long last = lastDrop.get();
        long now = System.nanoTime();
        if (now - last < QUIET_NANOS || !lastDrop.compareAndSet(last, now)) {
            return;
        }
        LOG.infof("database connection lost (SQLSTATE %s): the idle pooled connections are dropped", failure.sqlState());
        pool.flush(AgroalDataSource.FlushMode.IDLE);
    }
}

package org.w4r.kit.problem;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.kit.KitDatabase;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.messaging.Retry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JDBC batch whose connection PostgreSQL drops in the middle: whatever the driver throws (under {@code -ea}, as
 * here, PgJDBC 42.7.13 throws an AssertionError, pgjdbc/pgjdbc#1458), the kit reads it as a lost connection before any
 * commit, to be waited out or answered 503, never as a bug (CI stop 27: a 500 in case-service's DatabaseOutageTest).
 */
class LostInBatchTest {
    private static KitDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = new KitDatabase("kit_lost_in_batch");
        db.execute("create table signature (id int primary key, note text not null)");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    /** What executeBatch throws when the backend is terminated between addBatch and executeBatch. */
    private static Throwable batchOnTerminatedConnection() throws Exception {
        // the victim from a pool of its own: the killed connection must not go back to the one the test reads with
        try (io.agroal.api.AgroalDataSource victims = db.anotherPool();
             Connection victim = victims.getConnection();
             Connection killer = db.dataSource().getConnection();
             Statement kill = killer.createStatement()) {
            victim.setAutoCommit(false);
            int pid;
            try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            PreparedStatement insert = victim.prepareStatement("insert into signature values (?, 'n')");
            for (int i = 0; i < 50; i++) {
                insert.setInt(1, i);
                insert.addBatch();
            }
            kill.execute("select pg_terminate_backend(" + pid + ")");
            Throwable thrown = assertThrows(Throwable.class, insert::executeBatch);
            System.out.println("executeBatch on a terminated connection threw " + thrown.getClass().getName());
            return thrown;
        }
    }

    @Test
    void aBatchThatLosesItsConnectionIsALostConnection() throws Exception {
        Throwable thrown = batchOnTerminatedConnection();
        DatabaseProblems.Failure failure = DatabaseProblems.failure(thrown);
        assertNotNull(failure, "an SQL failure, whatever the driver threw: " + thrown.getClass().getName());
        assertTrue(failure.unavailable(), "SQLSTATE " + failure.sqlState());
        Problem answer = DatabaseProblems.unreachable(thrown).orElseThrow();
        assertEquals(503, answer.status());
        assertTrue(answer.type().endsWith("database-unavailable"), answer.type());
        assertTrue(Failures.isTransient(thrown));
        assertTrue(Failures.sqlState(thrown).startsWith("08") || Failures.sqlState(thrown).startsWith("57"));
        assertEquals(0, db.count("select count(*) from signature"), "nothing of the batch was stored");
    }

    @Test
    void retryWaitsItOutInsteadOfDying() throws Exception {
        Throwable thrown = batchOnTerminatedConnection();
        List<Boolean> transients = new ArrayList<>();
        int[] attempts = {0};
        Exception last = new Retry(1, true, 10).run(() -> {
            if (attempts[0]++ == 0) {
                throwAny(thrown);
            }
        }, (failure, passing, waitMs) -> transients.add(passing));
        assertNull(last, "the second attempt passed");
        assertEquals(List.of(true), transients, "waited out as transient, not counted toward the one attempt");
    }

    @Test
    void aRealAssertionStaysAnError() {
        AssertionError bug = new AssertionError("ours");
        assertNull(DatabaseProblems.lostInBatch(bug));
        assertNull(DatabaseProblems.failure(bug));
        assertThrows(AssertionError.class, () -> new Retry(3, true, 10).run(() -> {
            throw bug;
        }, (failure, passing, waitMs) -> {
        }));
    }

    private static void throwAny(Throwable t) throws Exception {
        if (t instanceof Exception e) {
            throw e;
        }
        throw (Error) t;
    }
}

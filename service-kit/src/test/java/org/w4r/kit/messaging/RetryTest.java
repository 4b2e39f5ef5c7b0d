package org.w4r.kit.messaging;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.kit.KitDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What is retried and how often, on failures PostgreSQL really raises: a cancelled statement (57014) passes by itself,
 * a violated constraint (23514) happens again on every try.
 */
class RetryTest {
    private static KitDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = new KitDatabase("kit_retry");
        db.execute("create table signer (id int primary key, country text check (country <> 'XX'))");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    /** Runs {@code sql}; the first {@code cancelled} calls are cancelled by a statement timeout instead. */
    private static Retry.Attempt statement(String sql, AtomicInteger calls, int cancelled) {
        return () -> {
            try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                if (calls.incrementAndGet() <= cancelled) {
                    try {
                        statement.execute("set statement_timeout = '10ms'");
                        statement.execute("select pg_sleep(5)");
                    } finally {
                        statement.execute("reset statement_timeout"); // the connection goes back to the pool
                    }
                }
                statement.execute(sql);
            }
        };
    }

    @Test
    void anOutageIsWaitedOutPastTheAttemptsWhenThePolicySaysSo() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> retries = new ArrayList<>();
        Exception failure = new Retry(2, true, 200).run(statement("select 1", calls, 5),
                (e, passing, waitMs) -> retries.add(passing + " " + waitMs));
        assertNull(failure, "applied in the end");
        assertEquals(6, calls.get());
        assertEquals(List.of("true 100", "true 200", "true 200", "true 200", "true 200"), retries,
                "each wait doubles up to the ceiling");
    }

    @Test
    void withoutWaitingOutAnOutageCountsLikeAnyFailure() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Exception failure = new Retry(3, false, 200).run(statement("select 1", calls, 5), (e, passing, waitMs) -> { });
        assertEquals(3, calls.get());
        assertEquals("57014", Failures.sqlState(failure), "the last failure is given back");
    }

    @Test
    void aFailureThatWillHappenAgainIsTriedMaxAttemptsTimesThenGivenBack() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> passing = new ArrayList<>();
        Exception failure = new Retry(3, true, 200).run(
                statement("insert into signer values (1, 'XX')", calls, 0), (e, p, waitMs) -> passing.add(p));
        assertEquals(3, calls.get());
        assertEquals(List.of(false, false), passing, "told of the two retries, as failures that will not pass");
        assertEquals("23514", Failures.sqlState(failure));
    }

    @Test
    void anInterruptStopsTheRetries() {
        InterruptedException interrupt = new InterruptedException("shutdown");
        AtomicInteger calls = new AtomicInteger();
        InterruptedException thrown = assertThrows(InterruptedException.class, () -> Retry.forever(200).run(() -> {
            calls.incrementAndGet();
            throw interrupt;
        }, (e, p, waitMs) -> { }));
        assertSame(interrupt, thrown);
        assertEquals(1, calls.get());
    }

    @Test
    void foreverRetriesEvenWhatLooksFinal() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Exception failure = Retry.forever(200).run(() -> {
            if (calls.incrementAndGet() < 4) {
                throw new SQLException("refused", "23514");
            }
        }, (e, p, waitMs) -> { });
        assertNull(failure);
        assertEquals(4, calls.get());
    }
}

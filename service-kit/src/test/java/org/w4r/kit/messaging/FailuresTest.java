package org.w4r.kit.messaging;

import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.kit.KitDatabase;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures are waited out and which are final, on errors PostgreSQL really raises. */
class FailuresTest {
    private static KitDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = new KitDatabase("kit_failures");
        db.execute("create table signer (id int primary key, name text not null)");
        db.execute("insert into signer values (1, 'x')");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static SQLException raised(String... sql) {
        return assertThrows(SQLException.class, () -> {
            try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                try {
                    for (String s : sql) {
                        statement.execute(s);
                    }
                } finally {
                    connection.rollback();
                }
            }
        });
    }

    /** A row another session has locked, asked for with NOWAIT. */
    private static SQLException lockedRow() {
        return assertThrows(SQLException.class, () -> {
            try (Connection holder = db.dataSource().getConnection(); Statement hold = holder.createStatement()) {
                holder.setAutoCommit(false);
                hold.execute("select * from signer where id = 1 for update");
                try {
                    raisedOrNull("select * from signer where id = 1 for update nowait");
                } finally {
                    holder.rollback();
                }
            }
        });
    }

    private static void raisedOrNull(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void whatTheDataGotWrongIsFinal() {
        SQLException duplicate = raised("insert into signer values (1, 'secret name')");
        assertEquals("23505", duplicate.getSQLState());
        assertFalse(Failures.isTransient(duplicate));
        SQLException notNull = raised("insert into signer values (2, null)");
        assertFalse(Failures.isTransient(notNull));
        // JSON the contract cannot read or write is an IOException to Jackson, wrapped by Events: final all the same
        Exception unreadable = new IllegalArgumentException("not an event",
                new com.fasterxml.jackson.core.JsonParseException(null, "unexpected character"));
        assertFalse(Failures.isTransient(unreadable));
        assertFalse(Failures.isTransient(new java.io.UncheckedIOException(new java.nio.charset.MalformedInputException(1))));
        SQLException division = raised("select 1/0");
        assertEquals("22012", division.getSQLState());
        assertFalse(Failures.isTransient(new RuntimeException(division)), "wrapped, still final");
    }

    @Test
    void whatPassesByItselfIsWaitedOut() {
        SQLException cancelled = raised("set local statement_timeout = '10ms'", "select pg_sleep(5)");
        assertEquals("57014", cancelled.getSQLState());
        assertTrue(Failures.isTransient(cancelled));
        SQLException locked = lockedRow();
        assertEquals("55P03", locked.getSQLState());
        assertTrue(Failures.isTransient(locked));
        assertTrue(Failures.isTransient(new SQLException("deadlock", "40P01")));
        assertTrue(Failures.isTransient(new SQLException("serialization", "40001")));
        assertTrue(Failures.isTransient(new SQLException("too many connections", "53300")));
        assertTrue(Failures.isTransient(new SQLException("connection refused", "08001")));
        assertTrue(Failures.isTransient(new SQLException("lock not available", "55P03")));
        assertTrue(Failures.isTransient(new SQLTransientConnectionException("no connection from the pool")),
                "no SQLSTATE: the pool could not hand one out");
        assertTrue(Failures.isTransient(new CompletionException(new IOException("reset"))));
        assertTrue(Failures.isTransient(new IllegalArgumentException(new com.fasterxml.jackson.databind.JsonMappingException(
                null, "reading", new java.net.SocketException("reset")))), "a stream's failure Jackson wrapped");
        assertTrue(Failures.isTransient(new NotEnoughReplicasException("isr")));
        assertTrue(Failures.isTransient(new SQLException("read-only transaction", "25006")), "a switchover");
        Exception commitFailed = new IllegalStateException("commit failed");
        commitFailed.addSuppressed(new SQLException("connection lost", "08006"));
        assertTrue(Failures.isTransient(commitFailed), "the driver's error kept as a suppressed one, as Narayana does");
        Exception refusedCommit = new IllegalStateException("commit failed");
        refusedCommit.addSuppressed(new SQLException("duplicate", "23505"));
        assertFalse(Failures.isTransient(refusedCommit));
        assertFalse(Failures.isTransient(new RecordTooLargeException("2 MB")));
        assertFalse(Failures.isTransient(new IllegalArgumentException("a null type")));
    }

    @Test
    void theFirstSqlErrorInTheChainDecidesAndItsTextIsNeverLogged() {
        SQLException duplicate = raised("insert into signer values (1, 'secret name')");
        Exception wrapped = new IllegalStateException("outer", new RuntimeException(duplicate));
        assertEquals("23505", Failures.sqlState(wrapped));
        String described = Failures.describe(wrapped);
        assertEquals("PSQLException (SQLSTATE 23505)", described);
        assertFalse(described.contains("secret"));
        assertFalse(Failures.isTransient(wrapped));
    }
}

package org.w4r.kit.problem;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.kit.KitDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * On a real pool: a failure that says a connection was lost closes the idle connections (their server processes
 * end). Which failures say so is {@code DatabaseProblems}' (its tests).
 */
class LostConnectionsTest {
    private KitDatabase db;
    private AgroalDataSource pool;

    @BeforeEach
    void open() throws SQLException {
        db = new KitDatabase("kit_lost_connections");
        pool = db.dataSource();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void aLostConnectionDropsTheIdleOnes() throws Exception {
        int idle = backendOfAnIdleConnection();
        assertEquals(idle, backendOfAnIdleConnection(), "the pool hands this thread its idle connection again");
        LostConnections.of(pool).after(new IllegalStateException("wrapped", new SQLException("I/O error", "08006")));
        // the pool closes them on its own thread; then the server process of the one it handed out ends
        await().atMost(Duration.ofSeconds(30)).until(() -> !alive(idle));
        assertNotEquals(idle, backendOfAnIdleConnection(), "a new connection, not the closed one");
    }

    /** The server process of the connection the pool hands out now, returned to the pool (idle) at once. */
    private int backendOfAnIdleConnection() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Read on a connection of its own: one of the pool's could be the idle one the flush has to skip. */
    private boolean alive(int backend) throws SQLException {
        try (Connection c = org.w4r.testsupport.PostgresServer.shared().connect(db.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where pid = " + backend)) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}

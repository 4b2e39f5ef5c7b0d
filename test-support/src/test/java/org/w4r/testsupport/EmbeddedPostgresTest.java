package org.w4r.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fallback for a machine without PostgreSQL, run here although this machine has one: the server starts from the
 * Maven jar (as an unprivileged user when the build runs as root), keeps its data across a restart, and stops.
 */
class EmbeddedPostgresTest {

    @Test
    void aServerFromMavenJarsStartsKeepsItsDataAndStops() throws Exception {
        // a space in the path, as in "/home/me/my projects/w4r": pg_ctl's options went through a shell unquoted
        Path home = Files.createTempDirectory("w4r postgres test ");
        home.toFile().setExecutable(true, false);
        int port;
        try (EmbeddedPostgres server = EmbeddedPostgres.start(home, 0)) {
            port = server.port();
            try (Connection c = PostgresServer.connect(server.jdbcUrl("postgres"), "postgres", "");
                 Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("show server_version")) {
                    rs.next();
                    assertTrue(rs.getString(1).startsWith("17."), rs.getString(1));
                }
                s.execute("create table kept (n int)");
                s.execute("insert into kept values (42)");
            }
        }
        assertThrows(java.sql.SQLException.class, () ->
                PostgresServer.connect("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "").close(),
                "stopped");
        try (EmbeddedPostgres again = EmbeddedPostgres.start(home, 0);
             Connection c = PostgresServer.connect(again.jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select n from kept")) {
            rs.next();
            assertEquals(42, rs.getInt(1), "the data outlives a restart (./platform keeps it under .platform/)");
        }
    }

    @Test
    void theTestsFallBackToItWithAThrowawayDatabase() throws Exception {
        PostgresServer server = PostgresServer.embedded();
        String url = server.createDatabase("fallback");
        try (Connection c = PostgresServer.connect(url, server.username(), server.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_database()")) {
            rs.next();
            assertTrue(url.endsWith("/" + rs.getString(1)), url);
        }
        server.dropDatabase(url);
    }
}

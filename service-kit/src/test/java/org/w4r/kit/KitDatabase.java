package org.w4r.kit;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import org.w4r.testsupport.PostgresServer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A throwaway PostgreSQL database with the kit's outbox tables, created by the kit's own migration scripts (the ones
 * every service runs), and an Agroal pool on it as Quarkus would give the relay. Dropped on close.
 */
public final class KitDatabase implements AutoCloseable {
    private static final String[] MIGRATIONS = {
            "db/outbox/V0_1__outbox.sql", "db/outbox/V0_2__outbox_tombstones_and_dead_letters.sql",
            "db/outbox/V0_3__outbox_trace_context.sql", "db/outbox/V0_4__outbox_log.sql",
            "db/outbox/V0_6__outbox_grouped_rows.sql", "db/outbox/V0_7__outbox_attempt.sql", "db/outbox/V0_8__outbox_attempt_fence.sql",
            "db/outbox/R__outbox_autovacuum.sql"};

    private final String jdbcUrl;
    private final AgroalDataSource dataSource;

    private int applied;

    public KitDatabase(String purpose) throws SQLException {
        this(purpose, "R");
    }

    /** A database migrated up to and including the migration whose name starts with {@code last} (e.g. "V0_3"). */
    public KitDatabase(String purpose, String last) throws SQLException {
        jdbcUrl = PostgresServer.shared().createDatabase(purpose);
        dataSource = pool(jdbcUrl);
        migrate(last);
    }

    /** Applies the migrations not applied yet on {@code statement} (as its role), as an upgrade would. */
    public void migrateRest(Statement statement) throws SQLException {
        migrate(statement, "R");
    }

    private void migrate(String last) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            migrate(statement, last);
        }
    }

    /** Each migration in a transaction of its own, as Flyway runs it (V0_6 takes locks, which need one). */
    private void migrate(Statement statement, String last) throws SQLException {
        Connection connection = statement.getConnection();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            while (applied < MIGRATIONS.length) {
                String migration = MIGRATIONS[applied++];
                statement.execute(resource(migration));
                connection.commit();
                if (migration.startsWith("db/outbox/" + last)) {
                    return;
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** An Agroal pool on one of the shared server's databases, as its user. */
    private static AgroalDataSource pool(String jdbcUrl) throws SQLException {
        PostgresServer server = PostgresServer.shared();
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(8)
                        .acquisitionTimeout(java.time.Duration.ofSeconds(30))
                        .connectionFactoryConfiguration(factory -> factory.jdbcUrl(jdbcUrl)
                                .connectionProviderClass(org.postgresql.Driver.class)
                                .principal(new NamePrincipal(server.username()))
                                .credential(new SimplePassword(server.password() == null ? "" : server.password())))));
    }

    public AgroalDataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A fresh pool on the same database: a second service instance. */
    public AgroalDataSource anotherPool() throws SQLException {
        return pool(jdbcUrl);
    }

    public void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String resource(String name) {
        try (InputStream in = KitDatabase.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
        PostgresServer.shared().dropDatabase(jdbcUrl);
    }
}

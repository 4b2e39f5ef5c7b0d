package org.w4r.testsupport;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;

/**
 * A database of its own for each test of a migration: Flyway up to the version before, rows as that version left them,
 * then the rest, and the repositories under test on a small pool of their own. Registered as a field
 * ({@code @RegisterExtension final ScratchDatabase database = new ScratchDatabase("ledger_v5")}), it is created before
 * each test and dropped, with its pool, after it. Flyway reads the locations and the order the service under test
 * migrates with ({@code quarkus.flyway.locations} and {@code quarkus.flyway.out-of-order} of its
 * {@code application.properties}), so the test runs what the service runs: tally-service takes service-kit's audit
 * trail and not its outbox, though both are on its classpath.
 */
public final class ScratchDatabase implements BeforeEachCallback, AfterEachCallback {
    private final PostgresServer server = PostgresServer.shared();
    private final String purpose;
    private String url;
    private AgroalDataSource dataSource;

    /** A database named after {@code purpose}, made on the shared server before each test. */
    public ScratchDatabase(String purpose) {
        this.purpose = purpose;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        url = server.createDatabase(purpose);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (dataSource != null) {
            dataSource.close();
            dataSource = null;
        }
        server.dropDatabase(url);
    }

    public String url() {
        return url;
    }

    /** Flyway over this database up to {@code target} ({@code "latest"} for every migration), loaded, not run. */
    public Flyway flyway(String target) {
        Properties service = serviceSettings();
        String locations = service.getProperty("quarkus.flyway.locations");
        if (locations == null) {
            throw new IllegalStateException("the service's application.properties names no quarkus.flyway.locations");
        }
        return Flyway.configure().dataSource(url, server.username(), server.password())
                .locations(Arrays.stream(locations.split(",")).map(l -> "classpath:" + l.trim()).toArray(String[]::new))
                .outOfOrder(Boolean.parseBoolean(service.getProperty("quarkus.flyway.out-of-order", "false")))
                .target(target).load();
    }

    /** Migrates up to {@code target} ({@code "latest"}: every migration). */
    public void migrate(String target) {
        flyway(target).migrate();
    }

    /** A pool of two connections to this database, made on first use in a test. */
    public AgroalDataSource dataSource() throws SQLException {
        if (dataSource == null) {
            dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool.maxSize(2).connectionFactoryConfiguration(factory -> factory
                            .jdbcUrl(url).principal(new NamePrincipal(server.username()))
                            .credential(new SimplePassword(server.password() == null ? "" : server.password())))));
        }
        return dataSource;
    }

    private static Properties serviceSettings() {
        Properties properties = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("application.properties")) {
            if (in == null) {
                throw new IllegalStateException("no application.properties on the classpath: not a service's test");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}

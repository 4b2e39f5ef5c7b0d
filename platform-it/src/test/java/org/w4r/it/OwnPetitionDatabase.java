package org.w4r.it;

import org.w4r.testsupport.PostgresServer;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * A database of its own for a petition-service process a test starts, stops and starts again beside the shared
 * platform (its Kafka, its reference data): what the test then reads in it is that process's doing alone.
 */
final class OwnPetitionDatabase implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("w4r.root", "..")).toAbsolutePath().normalize();

    private final PostgresServer postgres = PostgresServer.shared();
    private final String jdbcUrl;
    private final Map<String, String> settings;
    private final Map<String, String> env;

    OwnPetitionDatabase(TestPlatform platform, String purpose) {
        jdbcUrl = postgres.createDatabase("petition_" + purpose);
        settings = Map.of("kafka.bootstrap.servers", platform.kafka, "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", postgres.username(), "quarkus.datasource.password", postgres.password());
        env = Map.of("W4R_SIGNER_HMAC_KEY", purpose + "-test-hmac-key-0123456789abcdef");
    }

    /** petition-service on this database, as packaged, logging to target/petition-service-{@code purpose}.log. */
    ServiceProcess start(String logName) throws IOException {
        return ServiceProcess.start(ROOT, "petition-service", logName, settings, env);
    }

    Connection connect() throws SQLException {
        return PostgresServer.connect(jdbcUrl, postgres.username(), postgres.password());
    }

    @Override
    public void close() {
        postgres.dropDatabase(jdbcUrl);
    }
}

package org.w4r.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** A throwaway database for the Quarkus app under test, dropped when the app stops. */
public class PostgresDatabaseResource implements QuarkusTestResourceLifecycleManager {
    private String jdbcUrl;

    @Override
    public Map<String, String> start() {
        PostgresServer server = PostgresServer.shared();
        jdbcUrl = server.createDatabase(System.getProperty("w4r.test.db-prefix", "svc"));
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", server.username(),
                "quarkus.datasource.password", server.password());
    }

    @Override
    public void stop() {
        if (jdbcUrl != null) {
            PostgresServer.shared().dropDatabase(jdbcUrl);
        }
    }
}

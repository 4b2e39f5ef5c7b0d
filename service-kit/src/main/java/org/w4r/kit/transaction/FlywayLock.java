package org.w4r.kit.transaction;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * Flyway's lock on PostgreSQL is a session lock on the connection that migrates, not a transaction lock on a second
 * one. By default Flyway holds its lock inside a transaction on a connection of its own, which sits idle in that
 * transaction while each migration runs on another; the kit's session settings ask the server to end a session idle
 * in a transaction after 60 s (microprofile-config.properties, {@code options}), so a migration longer than that
 * (an index rebuilt on a large table, docs/operations.md "Upgrade") lost its lock's session and failed at every
 * start. Found by a read-only review the evening the setting came in, 5 December 2026. A session lock is released when
 * its session ends, as the transaction's was; an instance that waits for it waits in a statement, not idle.
 */
@Singleton
public class FlywayLock implements FlywayConfigurationCustomizer {
    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.getPluginRegister().getPlugin(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
    }
}

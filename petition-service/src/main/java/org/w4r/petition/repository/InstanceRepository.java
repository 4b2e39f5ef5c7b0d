package org.w4r.petition.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/** The live instances of the service: a row each, refreshed by its heartbeat. */
@ApplicationScoped
public class InstanceRepository {
    @Inject
    AgroalDataSource dataSource;

    /** Refreshes this instance's row, forgets the rows older than {@code staleAfter}, and counts the live ones. */
    public int beat(UUID instanceId, Duration staleAfter) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement upsert = c.prepareStatement("insert into rate_limit_instance (instance_id, seen_at) "
                    + "values (?, now()) on conflict (instance_id) do update set seen_at = now()");
                 PreparedStatement forget = c.prepareStatement("delete from rate_limit_instance "
                         + "where seen_at < now() - make_interval(secs => ?)");
                 PreparedStatement count = c.prepareStatement("select count(*) from rate_limit_instance")) {
                upsert.setObject(1, instanceId);
                upsert.executeUpdate();
                forget.setDouble(1, staleAfter.toMillis() / 1000.0);
                forget.executeUpdate();
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        }
    }

    /** This instance stops: the others take its share at their next beat. */
    public void leave(UUID instanceId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement("delete from rate_limit_instance where instance_id = ?")) {
            delete.setObject(1, instanceId);
            delete.executeUpdate();
        }
    }
}

package org.w4r.tally.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Which stream tickets have been used, in the database every instance shares: a ticket used on one instance is used on
 * all of them (it was remembered per instance until a review, 6 December 2026).
 */
@ApplicationScoped
public class StreamTicketRepository {
    @Inject
    AgroalDataSource dataSource;

    /**
     * Records the first use of ticket {@code ticketId}; false if it was used before, here or on another instance. Rows
     * of tickets that expired before {@code forgetBefore} go in the same round trip: a ticket lives seconds, so the
     * table holds only the last minute's tickets.
     */
    public boolean firstUse(String ticketId, Instant expiresAt, Instant forgetBefore) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                with expired as (delete from stream_ticket_use where expires_at < ?)
                insert into stream_ticket_use (ticket_id, expires_at) values (?, ?) on conflict do nothing""")) {
            ps.setTimestamp(1, Timestamp.from(forgetBefore));
            ps.setString(2, ticketId);
            ps.setTimestamp(3, Timestamp.from(expiresAt));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a stream ticket's use", e);
        }
    }
}

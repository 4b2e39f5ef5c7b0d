package org.w4r.delivery.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CaseChanged;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * This service's copy of each case's hold. A hold-sensitive transaction locks the case's row (shared), so the
 * stream's write of a new hold (exclusive) is ordered strictly before or after it: never in the middle.
 */
@ApplicationScoped
public class HoldRepository {
    @Inject
    AgroalDataSource dataSource;

    public void save(CaseChanged change) {
        CaseChanged.Hold hold = change.hold();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into case_hold (case_id, held, reason, placed_by, placed_at, changed_at) values (?,?,?,?,?, now())
                on conflict (case_id) do update set held = excluded.held, reason = excluded.reason,
                    placed_by = excluded.placed_by, placed_at = excluded.placed_at, changed_at = now()""")) {
            ps.setString(1, change.caseId());
            ps.setBoolean(2, hold != null);
            ps.setString(3, hold == null ? null : hold.reason());
            ps.setString(4, hold == null ? null : hold.placedBy());
            Sql.setInstant(ps, 5, hold == null ? null : hold.placedAt());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("store the hold of " + change.caseId(), e);
        }
    }

    /** Locks the case's hold row until the transaction ends and returns the hold it records, if any. */
    public Optional<CaseChanged.Hold> lockAndRead(String caseId) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into case_hold (case_id, held) values (?, false) on conflict do nothing")) {
                ps.setString(1, caseId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select held, reason, placed_by, placed_at from case_hold where case_id = ? for share")) {
                ps.setString(1, caseId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean("held")) {
                        Instant placedAt = Sql.instant(rs, "placed_at");
                        return Optional.of(new CaseChanged.Hold(rs.getString("reason"), rs.getString("placed_by"), placedAt));
                    }
                    return Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw Sql.failure("read the hold of " + caseId, e);
        }
    }
}

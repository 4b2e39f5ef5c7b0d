package org.w4r.delivery.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CaseChanged;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * This service's copy of each case's hold. A hold-sensitive transaction locks the case's row (shared), so the
 * stream's write of a new hold (exclusive) is ordered strictly before or after it: never in the middle.
 */
@ApplicationScoped
public class HoldRepository {
    @Inject
    AgroalDataSource dataSource;

    /**
     * Stores the case's hold unless a newer version of the case is already stored: a late, older change (relayed by
     * another case-service instance, or re-read at start-up) must never clear a newer hold.
     */
    public void save(CaseChanged change) {
        CaseChanged.Hold hold = change.hold();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into case_hold (case_id, held, hold_id, placed_at, version, changed_at) values (?,?,?,?,?, now())
                on conflict (case_id) do update set held = excluded.held, hold_id = excluded.hold_id,
                    placed_at = excluded.placed_at, version = excluded.version, changed_at = now()
                where case_hold.version <= excluded.version""")) {
            ps.setString(1, change.caseId());
            ps.setBoolean(2, hold != null);
            if (hold == null) {
                ps.setNull(3, java.sql.Types.BIGINT);
            } else {
                ps.setLong(3, hold.holdId());
            }
            Sql.setInstant(ps, 4, hold == null ? null : hold.placedAt());
            ps.setLong(5, change.version());
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
            return select(c, caseId, " for share");
        } catch (SQLException e) {
            throw Sql.failure("read the hold of " + caseId, e);
        }
    }

    /** The stored hold without a lock: for refusing a read early. */
    public Optional<CaseChanged.Hold> read(String caseId) {
        try (Connection c = dataSource.getConnection()) {
            return select(c, caseId, "");
        } catch (SQLException e) {
            throw Sql.failure("read the hold of " + caseId, e);
        }
    }

    private static Optional<CaseChanged.Hold> select(Connection c, String caseId, String suffix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select held, hold_id, placed_at from case_hold where case_id = ?" + suffix)) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getBoolean("held")) {
                    return Optional.of(new CaseChanged.Hold(rs.getLong("hold_id"), Sql.instant(rs, "placed_at")));
                }
                return Optional.empty();
            }
        }
    }
}

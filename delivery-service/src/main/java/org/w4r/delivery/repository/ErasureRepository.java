package org.w4r.delivery.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.delivery.model.PackErasure;
import org.w4r.delivery.model.PreviewErasure;
import org.w4r.events.SignerErased;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What an erasure changes here. Nothing personal is stored (packs are built from petition-service when asked), so an
 * erasure only marks the handovers of its cases whose pack was already issued, and the deliveries of its cases with a
 * preview taken (V7): those copies hold erased names.
 * A pack being built takes the same case_hold row lock, so a pack is either issued before the erasure is applied
 * here (its handover is marked) or built again after it (see {@link #erasuresOf}).
 * <p>Which copies were issued before an erasure is decided by that lock's order, not by clocks: the mark keeps the
 * highest {@code pack_issue} id of the handover, read once the lock is held. Until the read-only audit of 4 December
 * 2026 it compared {@code applied_at}, the start of the erasure's transaction (before it waited for the lock), with the
 * JVM's time of issue, so a pack issued while the erasure waited passed for the new pack though it held the erased
 * names (V6).
 */
@ApplicationScoped
public class ErasureRepository {
    @Inject
    AgroalDataSource dataSource;

    /** The handovers of the erasure's cases whose pack was issued, with the last copy issued before it. */
    private static final String MARK_HANDOVERS = """
            insert into handover_erasure (delivery_id, erasure_id, erased_at, applied_at, last_issue_id)
            select h.delivery_id, ?, ?, clock_timestamp(),
                   (select max(p.id) from pack_issue p where p.delivery_id = h.delivery_id)
            from handover h join delivery d on d.id = h.delivery_id
            where d.case_id = any(?) and exists (select 1 from pack_issue p where p.delivery_id = h.delivery_id)
            on conflict do nothing""";

    /** A preview is a copy too, of a delivery in any status (V7): the last one taken before the erasure. */
    private static final String MARK_PREVIEWS = """
            insert into preview_erasure (delivery_id, erasure_id, erased_at, applied_at, last_preview_id)
            select d.id, ?, ?, clock_timestamp(), (select max(p.id) from pack_preview p where p.delivery_id = d.id)
            from delivery d
            where d.case_id = any(?) and exists (select 1 from pack_preview p where p.delivery_id = d.id)
            on conflict do nothing""";

    /**
     * Applies a batch of erasures not applied before (the kit's {@code BatchConsumer.consumeOnce} filtered them and
     * records the partitions' progress in this same transaction); returns how many it applied.
     */
    @Transactional
    public int apply(List<SignerErased> batch) {
        int applied = 0;
        try (Connection c = dataSource.getConnection()) {
            for (SignerErased erasure : batch) {
                applied++;
                // sorted, so two erasures locking the same cases cannot deadlock
                TreeSet<String> cases = new TreeSet<>();
                (erasure.caseIds() == null ? List.<String>of() : erasure.caseIds()).stream()
                        .filter(Objects::nonNull).forEach(cases::add);
                for (String caseId : cases) {
                    lockCase(c, caseId);
                    try (PreparedStatement ps = c.prepareStatement("""
                            insert into case_erasure (erasure_id, case_id, erased_at, applied_at)
                            values (?,?,?, clock_timestamp()) on conflict do nothing""")) {
                        ps.setObject(1, erasure.erasureId());
                        ps.setString(2, caseId);
                        Sql.setInstant(ps, 3, erasure.erasedAt());
                        ps.executeUpdate();
                    }
                }
                // runs with every case's row lock held: the packs issued before this erasure have all committed and
                // none can be issued until it commits, so the highest issue id now and this statement's own clock
                // (not now(), the transaction's start, taken before the wait) are where "before the erasure" ends
                for (String marks : List.of(MARK_HANDOVERS, MARK_PREVIEWS)) {
                    try (PreparedStatement ps = c.prepareStatement(marks)) {
                        ps.setObject(1, erasure.erasureId());
                        Sql.setInstant(ps, 2, erasure.erasedAt());
                        ps.setArray(3, c.createArrayOf("varchar", cases.toArray()));
                        ps.executeUpdate();
                    }
                }
            }
        } catch (SQLException e) {
            throw Sql.failure("apply an erasure", e);
        }
        return applied;
    }

    /**
     * How many erasures of the case were applied so far: taken before a pack is built and again, under the case's
     * lock, before it is issued; a difference means the pack may hold erased names.
     */
    public long erasuresOf(String caseId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from case_erasure where case_id = ?")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw Sql.failure("read the erasures of a case", e);
        }
    }

    /**
     * The notice shown on a handover whose issued pack copies hold erased data, if any. A new pack is one issued after
     * the last erasure by the lock's order (its issue id above the ones that erasure saw), not by comparing times.
     */
    public Optional<PackErasure> notice(UUID deliveryId) {
        return marks(deliveryId, "a handover", """
                select count(*), max(e.erased_at) as erased_at, max(e.applied_at) as applied_at,
                       exists (select 1 from pack_issue p where p.delivery_id = ?
                               and p.id > (select max(last_issue_id) from handover_erasure where delivery_id = ?))
                from handover_erasure e where e.delivery_id = ?""",
                rs -> new PackErasure(rs.getLong(1), Sql.instant(rs, "erased_at"), Sql.instant(rs, "applied_at"),
                        rs.getBoolean(4)));
    }

    /**
     * The notice shown on a delivery whose previews were taken before an erasure of its case, if any: how many of its
     * previews hold erased names (those up to the last erasure by the lock's order) and before when they were taken.
     */
    public Optional<PreviewErasure> previewNotice(UUID deliveryId) {
        return marks(deliveryId, "a delivery's previews", """
                select count(*), max(e.erased_at) as erased_at, max(e.applied_at) as applied_at,
                       (select count(*) from pack_preview p where p.delivery_id = ?
                        and p.id <= (select max(last_preview_id) from preview_erasure where delivery_id = ?))
                from preview_erasure e where e.delivery_id = ?""",
                rs -> new PreviewErasure(rs.getLong(1), Sql.instant(rs, "erased_at"), Sql.instant(rs, "applied_at"),
                        rs.getLong(4)));
    }

    private interface Notice<T> {
        T of(ResultSet rs) throws SQLException;
    }

    /** One of the notices above: its query names the delivery three times, and no mark is no notice. */
    private <T> Optional<T> marks(UUID deliveryId, String what, String sql, Notice<T> notice) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= 3; i++) {
                ps.setObject(i, deliveryId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0 ? Optional.empty() : Optional.of(notice.of(rs));
            }
        } catch (SQLException e) {
            throw Sql.failure("read the erasures of " + what, e);
        }
    }

    private static void lockCase(Connection c, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into case_hold (case_id, held) values (?, false) on conflict do nothing")) {
            ps.setString(1, caseId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("select 1 from case_hold where case_id = ? for update")) {
            ps.setString(1, caseId);
            ps.executeQuery().close();
        }
    }
}

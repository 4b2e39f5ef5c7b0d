package org.w4r.delivery.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.delivery.model.CountedMessage;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.delivery.model.Handover;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Deliveries, handovers and their frozen counts. Used inside the caller's transaction: the connection is the one
 * enlisted in it, so the outbox row and these rows commit together.
 */
@ApplicationScoped
public class DeliveryRepository {
    private static final String DELIVERY_COLUMNS = """
            id, campaign_id, case_id, entity_id, kind, recipient_kind, recipient_name, city, country, planned_for,
            status, planned_by, planned_at, cancelled_by, cancelled_at, cancel_reason""";

    @Inject
    AgroalDataSource dataSource;

    public void insert(Delivery d) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into delivery (" + DELIVERY_COLUMNS + ") values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setObject(1, d.id());
            ps.setString(2, d.campaignId());
            ps.setString(3, d.caseId());
            ps.setString(4, d.entityId());
            ps.setString(5, d.kind());
            ps.setString(6, d.recipientKind());
            ps.setString(7, d.recipientName());
            ps.setString(8, d.city());
            ps.setString(9, d.country());
            Sql.setInstant(ps, 10, d.plannedFor());
            ps.setString(11, d.status());
            ps.setString(12, d.plannedBy());
            Sql.setInstant(ps, 13, d.plannedAt());
            ps.setString(14, d.cancelledBy());
            Sql.setInstant(ps, 15, d.cancelledAt());
            ps.setString(16, d.cancelReason());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("store a delivery", e);
        }
    }

    public Optional<Delivery> find(UUID id) {
        return findWhere("id = ?", id, "");
    }

    /**
     * Reads and locks the delivery row until the transaction ends, so two handovers (or a handover and a cancellation)
     * of one plan cannot both pass.
     * <p>{@code for no key update}, not {@code for update}: nothing here changes the row's key, and only the weaker
     * lock lets a foreign key to the row ({@code for key share}: an erasure's {@code preview_erasure} row, a
     * preview's {@code pack_preview} row, the handover's own row) be checked while it is held. Until a read-only review
     * of 6 December 2026 it was {@code for update}: a handover held it and then waited for the case's hold row, which an
     * erasure held exclusively while it waited for this one (its {@code preview_erasure} row's key share), and
     * PostgreSQL aborted one of them as a deadlock (40P01), the handover answering 500.
     */
    public Optional<Delivery> lock(UUID id) {
        return findWhere("id = ?", id, " for no key update");
    }

    private Optional<Delivery> findWhere(String where, UUID id, String suffix) {
        return Sql.run(dataSource, "read a delivery", "select " + DELIVERY_COLUMNS + " from delivery where " + where + suffix,
                ps -> Sql.first(ps, DeliveryRepository::delivery), id);
    }

    /** Deliveries, optionally of one case and/or in one status, by planned date. */
    public List<Delivery> list(String caseId, String status, int limit) {
        return Sql.run(dataSource, "list deliveries", "select " + DELIVERY_COLUMNS + " from delivery"
                        + " where (?::varchar is null or case_id = ?) and (?::varchar is null or status = ?)"
                        + " order by planned_for, id limit ?",
                ps -> Sql.all(ps, DeliveryRepository::delivery), caseId, caseId, status, status, limit);
    }

    public boolean anyOfCampaign(String campaignId) {
        return Sql.run(dataSource, "read deliveries", "select 1 from delivery where campaign_id = ? limit 1",
                ps -> Sql.first(ps, rs -> true).isPresent(), campaignId);
    }

    public void markDelivered(UUID id) {
        updatePlanned("record a delivery as delivered", "status = 'delivered'", id);
    }

    public void markCancelled(UUID id, String by, Instant at, String reason) {
        updatePlanned("cancel a delivery", "status = 'cancelled', cancelled_by = ?, cancelled_at = ?, cancel_reason = ?", id,
                by, at, reason);
    }

    /** Moves a planned delivery on; the caller locked it and saw it planned, so any other row count is a bug. */
    private void updatePlanned(String what, String set, UUID id, Object... values) {
        Object[] all = Arrays.copyOf(values, values.length + 1);
        all[values.length] = id;
        int updated = Sql.run(dataSource, what, "update delivery set " + set + " where id = ? and status = 'planned'",
                PreparedStatement::executeUpdate, all);
        if (updated != 1) {
            throw new IllegalStateException("delivery " + id + " was not planned");
        }
    }

    public void insertHandover(Handover h, FrozenCounts counts) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into handover (delivery_id, delivered_at, cutoff, delivered_by, notes, evidence, recorded_by,
                                          recorded_at, total) values (?,?,?,?,?,?,?,?,?)""")) {
                ps.setObject(1, h.deliveryId());
                Sql.setInstant(ps, 2, h.deliveredAt());
                Sql.setInstant(ps, 3, h.cutoff());
                ps.setString(4, h.deliveredBy());
                ps.setString(5, h.notes());
                ps.setArray(6, c.createArrayOf("text", h.evidence().toArray()));
                ps.setString(7, h.recordedBy());
                Sql.setInstant(ps, 8, h.recordedAt());
                ps.setLong(9, h.total());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into handover_count (delivery_id, entity_id, action_type, count) values (?,?,?,?)")) {
                for (FrozenCounts.Cell cell : counts.cells()) {
                    ps.setObject(1, h.deliveryId());
                    ps.setString(2, cell.entityId());
                    ps.setString(3, cell.type());
                    ps.setLong(4, cell.count());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        } catch (SQLException e) {
            throw Sql.failure("store a handover", e);
        }
    }

    /** The messages a solidarity handover counted (V9), in one statement; none for a petition handover. */
    public void insertHandoverMessages(UUID deliveryId, List<CountedMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        Sql.run(dataSource, "store a handover's messages",
                "insert into handover_message (delivery_id, action_id) select ?, unnest(?::uuid[])", ps -> {
                    ps.setObject(1, deliveryId);
                    ps.setArray(2, ps.getConnection().createArrayOf("uuid",
                            messages.stream().map(CountedMessage::actionId).toArray()));
                    return ps.executeUpdate();
                });
    }

    /** The ids of the messages a solidarity handover counted; empty for one recorded before they were kept (V9). */
    public Set<UUID> handoverMessageIds(UUID deliveryId) {
        return Sql.run(dataSource, "read a handover's messages",
                "select action_id from handover_message where delivery_id = ?",
                ps -> new HashSet<>(Sql.all(ps, rs -> rs.getObject(1, UUID.class))), deliveryId);
    }

    public Optional<Handover> findHandover(UUID deliveryId) {
        return Sql.run(dataSource, "read a handover", "select * from handover where delivery_id = ?",
                ps -> Sql.first(ps, rs -> handover(deliveryId, rs)), deliveryId);
    }

    public FrozenCounts frozenCounts(UUID deliveryId) {
        return Sql.run(dataSource, "read frozen counts",
                "select entity_id, action_type, count from handover_count where delivery_id = ? order by 1, 2",
                Sql::frozenCounts, deliveryId);
    }

    /**
     * Records a pack served, its digest on the handover (the latest) and in the issue log, and returns when it was
     * issued by the database's clock, which erasures date themselves by too ({@link ErasureRepository}); until the
     * read-only audit of 4 December 2026 the JVM's clock here was compared with the start of an erasure's transaction.
     * The caller holds the case's hold row lock (shared).
     */
    public Instant recordPack(UUID deliveryId, String sha256, String issuedTo) {
        try (Connection c = dataSource.getConnection()) {
            Instant at;
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into pack_issue (delivery_id, sha256, issued_to, issued_at) values (?,?,?, clock_timestamp())
                    returning issued_at""")) {
                ps.setObject(1, deliveryId);
                ps.setString(2, sha256);
                ps.setString(3, issuedTo);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    at = Sql.instant(rs, "issued_at");
                }
            }
            // never over a later copy's: two packs of one case may be issued at once (the hold row is shared), and
            // the one inserted first could update last, leaving an older digest on the handover as "the latest"
            // (a read-only review, 7 December 2026; not reproduced by a test: it needs two instances interleaved)
            try (PreparedStatement ps = c.prepareStatement("""
                    update handover set pack_sha256 = ?, pack_created_at = ?
                    where delivery_id = ? and (pack_created_at is null or pack_created_at <= ?)""")) {
                ps.setString(1, sha256);
                Sql.setInstant(ps, 2, at);
                ps.setObject(3, deliveryId);
                Sql.setInstant(ps, 4, at);
                ps.executeUpdate();
            }
            return at;
        } catch (SQLException e) {
            throw Sql.failure("record a pack", e);
        }
    }

    /**
     * A preview taken: a copy of the signer list as a pack is, so an erasure can name it for destruction
     * ({@link ErasureRepository}); dated by the database in the same lock order as packs and erasures.
     */
    public void recordPreview(UUID deliveryId, Instant cutoff, String sha256, String previewedBy) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into pack_preview (delivery_id, cutoff, sha256, previewed_by, previewed_at)
                values (?,?,?,?, clock_timestamp())""")) {
            ps.setObject(1, deliveryId);
            Sql.setInstant(ps, 2, cutoff);
            ps.setString(3, sha256);
            ps.setString(4, previewedBy);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("record a preview", e);
        }
    }

    private static Handover handover(UUID deliveryId, ResultSet rs) throws SQLException {
        Array evidence = rs.getArray("evidence");
        return new Handover(deliveryId, Sql.instant(rs, "delivered_at"), Sql.instant(rs, "cutoff"),
                rs.getString("delivered_by"), rs.getString("notes"),
                evidence == null ? List.of() : Arrays.asList((String[]) evidence.getArray()),
                rs.getString("recorded_by"), Sql.instant(rs, "recorded_at"), rs.getLong("total"),
                rs.getString("pack_sha256"), Sql.instant(rs, "pack_created_at"));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getObject("id", UUID.class), rs.getString("campaign_id"), rs.getString("case_id"),
                rs.getString("entity_id"), rs.getString("kind"), rs.getString("recipient_kind"),
                rs.getString("recipient_name"), rs.getString("city"), rs.getString("country"),
                Sql.instant(rs, "planned_for"), rs.getString("status"), rs.getString("planned_by"),
                Sql.instant(rs, "planned_at"), rs.getString("cancelled_by"), Sql.instant(rs, "cancelled_at"),
                rs.getString("cancel_reason"));
    }
}

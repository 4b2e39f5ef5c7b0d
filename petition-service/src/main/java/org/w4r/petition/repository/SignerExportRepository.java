package org.w4r.petition.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.petition.model.SignerExport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Every signer list that left this service (V24): the copies an erasure must name for destruction. "Taken before an
 * erasure" is the order of a per-case advisory lock: an export holds it exclusively from before its read until its row
 * is committed; an erasure takes it shared, after its update and before it marks, and is refused while any export holds
 * its own (not only one of a case the person signed: the refusal would tell who signed). So no export that could still
 * read an erased name is left unmarked; one that starts later waits for the erasures under way and reads the names
 * erased. Shared for erasures, as erasures of one case's signers (an entity
 * forwarding a batch of them) must not turn each other away; exclusive for exports, which take turns per case (a
 * review of this change, 6 December 2026: the other way round, two erasures of one case refused each other).
 */
@ApplicationScoped
public class SignerExportRepository {
    @Inject
    AgroalDataSource dataSource;

    // the two-key form, its own space: a case's hash can never meet another lock of this database (retention's too is
    // keyed by its own name)
    private static final String LOCK = "(hashtext('w4r-signer-export'), hashtext(?))";

    /** Held until the export's transaction ends: taken before its read, in the transaction that records it. */
    public void lockForExport(String caseId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from pg_advisory_xact_lock" + LOCK)) {
            ps.setString(1, caseId);
            ps.executeQuery().close();
        }
    }

    /** {@code kind}: {@code signers} (a signer list) or {@code messages} (a page of approved messages, with authors). */
    public void record(String caseId, String entityId, Instant cutoff, String exportedBy, int signers, String kind)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into signer_export (case_id, entity_id, cutoff, exported_by, exported_at, signers, kind)
                values (?,?,?,?, clock_timestamp(), ?, ?)""")) {
            ps.setString(1, caseId);
            ps.setString(2, entityId);
            ps.setObject(3, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            ps.setString(4, exportedBy);
            ps.setInt(5, signers);
            ps.setString(6, kind);
            ps.executeUpdate();
        }
    }

    /**
     * In the erasure's transaction, after its update: marks every export of these cases taken until now; returns false,
     * marking nothing, while any signer list is being exported or waits to be (the erasure is then refused and rolled
     * back). Every
     * erasure asks, whatever it matched, and the answer depends on the exports alone: until a read-only review of 6
     * December 2026 only an export of a case the person signed refused it, so a refusal told an entity key that this
     * address had signed that case through it, which the erasure's answer must never say. Refused rather than waited
     * for: a large list takes seconds, and erasures waiting for it each held a pooled connection and their row locks,
     * enough of them to leave the write path without connections (a review of this same change, 6 December 2026).
     * Whether the erased person was in a given list is not known here (the erasure keeps no name, the export no list),
     * so every export of the case is marked, as delivery-service marks every pack of it: a copy destroyed without need,
     * never one kept that holds an erased name.
     */
    public boolean markErased(UUID erasureId, Instant erasedAt, Collection<String> signedCases,
                              Collection<String> authoredCases) throws SQLException {
        // the signer lists of the cases the person signed, the message pages of those they wrote to (8 December 2026)
        TreeSet<String> cases = new TreeSet<>(signedCases);
        cases.addAll(authoredCases);
        try (Connection c = dataSource.getConnection()) {
            // the cases' locks first: from here no export of them starts before this erasure commits
            List<String> busy = tryShared(c, cases);
            // then any export, reading or queued for its lock: a try is refused behind a queued exclusive request too,
            // so counting only those reading told a signer (busy) from a stranger (a review of this change, 6 December
            // 2026: 503 against 202 while an export waited behind another erasure)
            if (anyExport(c)) {
                return false;
            }
            // none now, though one held a lock of these cases a moment ago: tried once more, never waited for (a wait
            // held this erasure's row locks and connection, and timed out only for signers of the case)
            if (!busy.isEmpty() && !tryShared(c, busy).isEmpty()) {
                return false;
            }
            if (cases.isEmpty()) {
                return true;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into signer_export_erasure (export_id, erasure_id, erased_at, marked_at)
                    select id, ?, ?, clock_timestamp() from signer_export
                     where (kind = 'signers' and case_id = any(?)) or (kind = 'messages' and case_id = any(?))
                    on conflict do nothing""")) {
                ps.setObject(1, erasureId);
                ps.setObject(2, OffsetDateTime.ofInstant(erasedAt, ZoneOffset.UTC));
                ps.setArray(3, c.createArrayOf("varchar", new TreeSet<>(signedCases).toArray()));
                ps.setArray(4, c.createArrayOf("varchar", new TreeSet<>(authoredCases).toArray()));
                ps.executeUpdate();
            }
            return true;
        }
    }

    /** The cases whose lock could not be had shared now (an export holds it or waits for it). */
    private static List<String> tryShared(Connection c, Collection<String> caseIds) throws SQLException {
        List<String> busy = new ArrayList<>();
        for (String caseId : caseIds) {
            try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock_shared" + LOCK)) {
                ps.setString(1, caseId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        busy.add(caseId);
                    }
                }
            }
        }
        return busy;
    }

    /**
     * Whether an export of any case holds its lock or waits for it (exports take it exclusively, erasures shared), in
     * this database.
     */
    private static boolean anyExport(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select exists (select 1 from pg_locks
                               where locktype = 'advisory' and objsubid = 2 and mode = 'ExclusiveLock'
                                 and database = (select oid from pg_database where datname = current_database())
                                 and classid = cast(hashtext('w4r-signer-export') as oid))""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** The latest exports of a case, newest first, with the erasures that reached each. */
    public List<SignerExport> list(String caseId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select x.id, x.case_id, x.entity_id, x.cutoff, x.exported_by, x.exported_at, x.signers, x.kind,
                       count(e.erasure_id) as erasures, max(e.erased_at) as erased_at, max(e.marked_at) as marked_at
                from signer_export x left join signer_export_erasure e on e.export_id = x.id
                where x.case_id = ?
                group by x.id order by x.id desc limit ?""")) {
            ps.setString(1, caseId);
            ps.setInt(2, limit);
            List<SignerExport> exports = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long erasures = rs.getLong("erasures");
                    exports.add(new SignerExport(rs.getLong("id"), rs.getString("case_id"), rs.getString("entity_id"),
                            instant(rs, "cutoff"), rs.getString("exported_by"), instant(rs, "exported_at"),
                            rs.getInt("signers"), rs.getString("kind"), erasures == 0 ? null
                            : new SignerExport.Erasure(erasures, instant(rs, "erased_at"), instant(rs, "marked_at"))));
                }
            }
            return exports;
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}

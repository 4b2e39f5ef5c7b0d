package org.w4r.petition.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.petition.model.ConsentingSigner;
import org.w4r.petition.model.SignerExport;
import org.w4r.petition.repository.SignatureRepository;
import org.w4r.petition.repository.SignerExportRepository;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The signers who consented to have their name delivered, up to a cut-off, for a delivery team: of the whole case, or
 * of one entity for a delivery planned for that entity. Refused while the case is on safety hold. Every list handed
 * out is recorded, with the audit trail's entry, in the transaction that read it, so an erasure can name the copies
 * taken before it ({@link SignerExportRepository}); until a read-only review of 6 December 2026 an export left no
 * trace here at all.
 */
@ApplicationScoped
public class SignerExportService {
    /** How many exports of a case {@link #exports} lists, newest first. */
    public static final int MAX_LISTED = 1_000;

    @Inject
    SignatureRepository signatures;

    @Inject
    SignerExportRepository exports;

    @Inject
    DeliveryGate holds;

    @Inject
    AuditTrail audit;

    /**
     * {@code entityId} null: every entity's signers of the case. {@code authorization}: the request's header, so the
     * caller is looked up again after each wait for the reference topics (a token revoked meanwhile gets 401).
     */
    public List<ConsentingSigner> signers(String caseId, String entityId, Instant until, String exportedBy,
                                          String authorization) throws SQLException {
        // waits for the case stream outside the transaction, so no connection is held while it waits
        holds.requireDeliverable(caseId, "its signer list", authorization);
        // a checked exception inside (a SQLException) comes out wrapped, its cause kept for the database mappers
        return QuarkusTransaction.requiringNew().call(() -> {
            exports.lockForExport(caseId);
            List<ConsentingSigner> list = signatures.consenting(caseId, entityId, until);
            // again after the read, as DeliveryGate.handOut does: a hold, or a revocation of the caller's token, that
            // arrived meanwhile hands nothing out, and nothing is recorded (the transaction rolls back)
            holds.requireDeliverable(caseId, "its signer list", authorization);
            exports.record(caseId, entityId, until, exportedBy, list.size(), "signers");
            audit.record("signers.exported", "case", caseId, entityId, AuditTrail.detail("cutoff", until.toString(),
                    "signers", list.size()));
            return list;
        });
    }

    /**
     * A page of a case's approved messages for a delivery team, read under the case's export lock and recorded as an
     * export of kind {@code messages} (authors' names and countries, the texts), so an erasure of an author names it
     * for destruction: until a read-only review of 8 December 2026 it left no trace. A page with no message is not
     * recorded (it holds no name).
     */
    public <T> List<T> messages(String caseId, String entityId, Instant until, String exportedBy, String authorization,
                                DeliveryGate.Read<List<T>> read) throws SQLException {
        holds.requireDeliverable(caseId, "its messages", authorization);
        return QuarkusTransaction.requiringNew().call(() -> {
            exports.lockForExport(caseId);
            List<T> page = read.read();
            holds.requireDeliverable(caseId, "its messages", authorization);
            if (!page.isEmpty()) {
                Instant cutoff = until != null ? until : ActionRules.now();
                exports.record(caseId, entityId, cutoff, exportedBy, page.size(), "messages");
                audit.record("messages.exported", "case", caseId, entityId, AuditTrail.detail("cutoff",
                        cutoff.toString(), "messages", page.size()));
            }
            return page;
        });
    }

    public List<SignerExport> exports(String caseId) throws SQLException {
        return exports.list(caseId, MAX_LISTED);
    }
}

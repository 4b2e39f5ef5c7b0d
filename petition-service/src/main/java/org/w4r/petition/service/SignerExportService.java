package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.petition.model.ConsentingSigner;
import org.w4r.petition.repository.SignatureRepository;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The signers who consented to have their name delivered, up to a cut-off, for a delivery team: of the whole case, or
 * of one entity for a delivery planned for that entity. Refused while the case is on safety hold.
 */
@ApplicationScoped
public class SignerExportService {
    @Inject
    SignatureRepository signatures;

    @Inject
    DeliveryGate holds;

    /** {@code entityId} null: every entity's signers of the case. */
    public List<ConsentingSigner> signers(String caseId, String entityId, Instant until) throws SQLException {
        return holds.handOut(caseId, "its signer list", () -> signatures.consenting(caseId, entityId, until));
    }
}

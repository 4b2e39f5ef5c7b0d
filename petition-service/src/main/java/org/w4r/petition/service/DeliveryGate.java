package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.security.LiveCaller;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one door check for everything petition-service hands to a delivery: a signer list, the approved messages. A case
 * on safety hold gets neither (409), and a hold placed a moment ago already counts: the read model is brought up to
 * date with the stream before the check. (Delivery staff once still read a held case's messages.) A case whose
 * campaign's personal data was anonymised on schedule gets neither either (410): its pack can no longer be built. And
 * a caller whose token was revoked while it waited gets nothing (401): the wait applies the {@code credentials} topic
 * too, so the caller is looked up again after it ({@link LiveCaller}).
 */
@ApplicationScoped
public class DeliveryGate {
    @Inject
    ReferenceData reference;

    @Inject
    RetentionService retention;

    @Inject
    LiveCaller callers;

    /** What a delivery is handed, read by a statement that may take a while. */
    @FunctionalInterface
    public interface Read<T> {
        T read() throws SQLException;
    }

    /**
     * Reads what a delivery is handed between two checks: a hold placed while a long list was read lets nothing out.
     * (Until 4 December 2026 the check came only before the read; a large case's list takes seconds.) A hold placed
     * after the second check finds the list on its way, as it would a moment later.
     */
    public <T> T handOut(String caseId, String what, String authorization, Read<T> read) throws SQLException {
        requireDeliverable(caseId, what, authorization);
        T handed = read.read();
        requireDeliverable(caseId, what, authorization);
        return handed;
    }

    /**
     * {@code authorization}: the request's {@code Authorization} header, for looking the caller up again once the wait
     * is over.
     */
    public void requireDeliverable(String caseId, String what, String authorization) throws SQLException {
        reference.findCase(caseId).orElseThrow(() -> ProblemException.notFound("case", caseId));
        if (!reference.awaitUpToDate(Duration.ofSeconds(2))) {
            throw new ProblemException(Problem.of(503, "hold-status-unknown", "Hold status cannot be confirmed",
                    "the latest case changes could not be read; try again shortly"));
        }
        // the wait applied the credentials topic too: a token revoked a moment before the request may only now be out
        // of the index it was authenticated from. Asked before anything of the case is told, and at each check, so a
        // revocation that arrives while a long list is read lets nothing out either (until a read-only security
        // review, 6 December 2026, nothing asked again: a revoked delivery token still got the list)
        callers.requireLive(authorization);
        CaseChanged c = reference.findCase(caseId).orElseThrow(() -> ProblemException.notFound("case", caseId));
        if (c.hold() != null) {
            throw new ProblemException(Problem.of(409, "case-on-hold", "Case on safety hold",
                    "case '" + caseId + "' has been on safety hold since " + c.hold().placedAt() + "; " + what
                            + " cannot be handed out").with("caseId", caseId).with("hold", c.hold()));
        }
        Optional<Instant> retired = retention.retiredAt(c.campaignId());
        if (retired.isPresent()) {
            throw new ProblemException(Problem.of(410, "signer-data-retired", "Signer data anonymised",
                    "the personal data of campaign '" + c.campaignId() + "' was anonymised on " + retired.get()
                            + " under the retention schedule; " + what + " can no longer be handed out, and each past "
                            + "pack is kept only as its SHA-256").with("caseId", caseId)
                    .with("campaignId", c.campaignId()).with("retiredAt", retired.get().toString()));
        }
    }
}

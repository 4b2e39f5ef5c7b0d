package org.w4r.delivery.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.delivery.repository.HoldRepository;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.security.LiveCaller;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Holds are absolute. Every hold-sensitive action (plan, handover, pack, preview) first waits until this service has
 * applied every case change published before the request ({@link #awaitCaseStream}, outside any transaction), then
 * checks the hold inside its own transaction with the case's hold row locked ({@link #refuseIfHeld(String)}). A
 * cancellation waits too, for the caller's credential, not for a hold, and never refuses for the wait ({@link
 * #awaitCredentials}).
 */
@ApplicationScoped
public class HoldGuard {
    @Inject
    ReferenceData reference;

    @Inject
    HoldRepository holds;

    @ConfigProperty(name = "w4r.delivery.hold-barrier", defaultValue = "PT2S")
    Duration barrier;

    @Inject
    LiveCaller callers;

    /**
     * For what checks no hold (calling a delivery off, always safe): the caller's credential as the barrier leaves it,
     * but never a 503 when the stream is behind. Staff call a delivery off when a danger appears, when Kafka may be
     * down too (a review of this change, 6 December 2026: cancel had come to wait on the barrier and refuse).
     */
    public void awaitCredentials(String authorization) {
        reference.awaitUpToDate(barrier); // best effort: a revocation published before the request is applied by then
        callers.requireLive(authorization);
    }

    /**
     * Refuses with 503 rather than decide on a read model that may be missing a hold; then with 401 when the caller's
     * credential was revoked meanwhile ({@code authorization}: the request's header). Called right before the
     * decision it guards, and again after any long wait before it (a pack's build), since only what was published
     * before the call is waited for.
     */
    public void awaitCaseStream(String authorization) {
        if (!reference.awaitUpToDate(barrier)) {
            throw new UnavailableException("case-stream-behind", "Cannot check safety holds right now",
                    "this service could not confirm it has the latest case holds; nothing was changed, try again shortly", 2);
        }
        // the barrier applies the credentials topic too: a revocation published before the request may only now be
        // in the directory the request was authenticated from (a read-only review, 6 December 2026)
        callers.requireLive(authorization);
    }

    /** Inside the caller's transaction: locks the case's hold row, then refuses if either copy of the hold says held. */
    public void refuseIfHeld(String caseId) {
        Optional<CaseChanged.Hold> stored = holds.lockAndRead(caseId);
        CaseChanged.Hold hold = currentCase(caseId).hold();
        if (hold == null) {
            hold = stored.orElse(null);
        }
        if (hold != null) {
            throw onHold(caseId, hold);
        }
    }

    /** Without a lock: for refusing early (before an export) and for reads; either copy saying "held" refuses. */
    public void refuseIfHeldNow(String caseId) {
        CaseChanged.Hold hold = currentCase(caseId).hold();
        if (hold == null) {
            hold = holds.read(caseId).orElse(null);
        }
        if (hold != null) {
            throw onHold(caseId, hold);
        }
    }

    private CaseChanged currentCase(String caseId) {
        return reference.findCase(caseId).orElseThrow(() -> ProblemException.unprocessable("unknown-case",
                "Unknown case", "case '" + caseId + "' is not known to this service, so its safety hold cannot be checked"));
    }

    /**
     * Names the hold by id and time only: its reason may name the danger it protects from, so it stays in
     * case-service, where case managers read it. {@code hold} null when the refusal came from petition-service
     * without naming it.
     */
    public static ProblemException onHold(String caseId, CaseChanged.Hold hold) {
        Problem problem = Problem.of(409, "case-on-hold", "Case on safety hold",
                        "case '" + caseId + "' is on safety hold"
                                + (hold == null || hold.placedAt() == null ? "" : " since " + hold.placedAt())
                                + ": no delivery may be planned or recorded and no signer or message exported while "
                                + "the hold lasts (the reason is in case-service)")
                .with("caseId", caseId);
        if (hold != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("holdId", hold.holdId());
            details.put("placedAt", hold.placedAt() == null ? null : hold.placedAt().toString());
            problem.with("hold", details);
        }
        return new ProblemException(problem);
    }
}

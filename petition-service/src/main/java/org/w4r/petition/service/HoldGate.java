package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;

import java.time.Duration;

/**
 * The one door check for everything petition-service hands to a delivery: a signer list, the approved messages. A case
 * on safety hold gets neither (409), and a hold placed a moment ago already counts: the read model is brought up to
 * date with the stream before the check. (Delivery staff once still read a held case's messages.)
 */
@ApplicationScoped
public class HoldGate {
    @Inject
    ReferenceData reference;

    public void requireNotHeld(String caseId, String what) {
        reference.findCase(caseId).orElseThrow(() -> ProblemException.notFound("case", caseId));
        if (!reference.awaitUpToDate(Duration.ofSeconds(2))) {
            throw new ProblemException(Problem.of(503, "hold-status-unknown", "Hold status cannot be confirmed",
                    "the latest case changes could not be read; try again shortly"));
        }
        CaseChanged c = reference.findCase(caseId).orElseThrow(() -> ProblemException.notFound("case", caseId));
        if (c.hold() != null) {
            throw new ProblemException(Problem.of(409, "case-on-hold", "Case on safety hold",
                    "case '" + caseId + "' has been on safety hold since " + c.hold().placedAt() + "; " + what
                            + " cannot be handed out").with("caseId", caseId).with("hold", c.hold()));
        }
    }
}

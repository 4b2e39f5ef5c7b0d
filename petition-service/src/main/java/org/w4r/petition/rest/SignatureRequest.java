package org.w4r.petition.rest;

import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.service.Inputs;
import org.w4r.petition.service.SignatureService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One signer for one or several cases ("sign for all": one action per case). */
public record SignatureRequest(List<String> caseIds, Signer signer, Consent consent, Instant occurredAt) {
    static final int MAX_CASES = 50;

    public record Signer(String name, String email, String country) {
    }

    /** Show my name on the delivered list; contact me. Both default to no. */
    public record Consent(Boolean showName,
                          Boolean contact) {
    }

    /** The signature, once every field is checked: case ids distinct, the name trimmed, the country upper-case. */
    SignatureService.Signature toSignature() {
        // what the signature's own checks below do not look at: the ids' text, the email's, the instant
        if (caseIds != null) {
            for (String caseId : caseIds) {
                if (caseId != null && !caseId.isBlank()) {
                    Inputs.optionalId("caseIds", caseId);
                }
            }
        }
        if (signer != null) {
            Inputs.optionalText("signer.name", signer.name(), 200);
            if (signer.email() != null) {
                Inputs.email("signer.email", signer.email());
            }
        }
        Inputs.occurredAt("occurredAt", occurredAt);
        if (caseIds == null || caseIds.isEmpty()) {
            throw ProblemException.invalid("caseIds", "'caseIds' must name at least one case");
        }
        if (caseIds.size() > MAX_CASES) {
            throw ProblemException.invalid("caseIds", "at most " + MAX_CASES + " cases in one signature");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String caseId : caseIds) {
            if (caseId == null || caseId.isBlank()) {
                throw ProblemException.invalid("caseIds", "'caseIds' must not contain empty ids");
            }
            distinct.add(caseId);
        }
        if (signer == null) {
            throw ProblemException.invalid("signer", "'signer' with 'name' and 'email' is required");
        }
        String name = Inputs.text("signer.name", signer.name(), 200);
        if (signer.email() == null) {
            throw ProblemException.invalid("signer.email", "'signer.email' must be an email address");
        }
        String country = Inputs.country("signer.country", signer.country());
        return new SignatureService.Signature(new ArrayList<>(distinct), name, signer.email(), country,
                consent != null && Boolean.TRUE.equals(consent.showName()),
                consent != null && Boolean.TRUE.equals(consent.contact()), occurredAt);
    }
}

package org.w4r.petition.rest;


import java.time.Instant;
import java.util.List;

/** One signer for one or several cases ("sign for all": one action per case). */
public record SignatureRequest(List<String> caseIds, Signer signer, Consent consent, Instant occurredAt) {

    public record Signer(String name, String email, String country) {
    }

    /** Show my name on the delivered list; contact me. Both default to no. */
    public record Consent(Boolean showName,
                          Boolean contact) {
    }
}

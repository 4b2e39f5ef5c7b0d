package org.w4r.delivery.service;

/**
 * petition-service anonymised the case's campaign under its retention schedule (410 signer-data-retired): no pack of
 * it can be built again, and what is left of a past one is the SHA-256 stored on its handover.
 */
public class SignerDataRetiredException extends RuntimeException {
    public SignerDataRetiredException(String caseId) {
        super("the signer data of case '" + caseId + "' was anonymised under the retention schedule", null, false, false);
    }
}

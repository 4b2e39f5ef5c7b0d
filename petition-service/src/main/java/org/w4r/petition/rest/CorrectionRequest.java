package org.w4r.petition.rest;


/** A correction of an offline count: a new ledger entry that adds {@code delta} (negative to take back). */
public record CorrectionRequest(Long delta, String reason) {
}

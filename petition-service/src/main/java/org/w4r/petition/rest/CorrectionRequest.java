package org.w4r.petition.rest;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** A correction of an offline count: a new ledger entry that adds {@code delta} (negative to take back). */
public record CorrectionRequest(@JsonDeserialize(using = Strict.WholeNumber.class) Long delta, String reason) {
}

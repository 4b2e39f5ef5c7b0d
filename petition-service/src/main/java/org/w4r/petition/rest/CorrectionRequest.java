package org.w4r.petition.rest;

import org.w4r.petition.service.Inputs;
import org.w4r.petition.service.OfflineCountService;

import java.util.UUID;

/** A correction of an offline count: a new ledger entry that adds {@code delta} (negative to take back). */
public record CorrectionRequest(Long delta, String reason) {

    /** The correction of {@code offlineCountId}, once every field is checked. */
    OfflineCountService.NewCorrection toCorrection(UUID offlineCountId) {
        long d = Inputs.count("delta", delta, OfflineCountService.MAX_COUNT, true);
        return new OfflineCountService.NewCorrection(offlineCountId, d, Inputs.text("reason", reason, 1000));
    }
}

package org.w4r.petition.rest;

import org.w4r.petition.service.OfflineCountService;

import java.util.UUID;

/** A correction recorded: its id, what it corrected, and the entry's net count with it. */
public record CorrectionResult(UUID correctionId, UUID offlineCountId, long delta, long net) {
    static CorrectionResult of(OfflineCountService.Corrected c) {
        return new CorrectionResult(c.correctionId(), c.offlineCountId(), c.delta(), c.net());
    }
}

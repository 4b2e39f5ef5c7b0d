package org.w4r.petition.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.petition.service.OfflineCountService;

import java.util.UUID;

/** A correction recorded: its id, what it corrected, and the entry's net count with it. */
public record CorrectionResult(@Schema(required = true) UUID correctionId,
                               @Schema(required = true) UUID offlineCountId,
                               @Schema(required = true) long delta,
                               @Schema(required = true, description = "The count with every correction") long net) {
    static CorrectionResult of(OfflineCountService.Corrected c) {
        return new CorrectionResult(c.correctionId(), c.offlineCountId(), c.delta(), c.net());
    }
}

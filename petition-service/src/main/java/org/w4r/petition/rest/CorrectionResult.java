package org.w4r.petition.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.petition.service.OfflineCountService;

import java.util.UUID;

/** A correction recorded: its id, what it corrected, and the entry's net count with it. */
@RequiredUnlessNullable
public record CorrectionResult(UUID correctionId,
                               UUID offlineCountId,
                               long delta,
                               @Schema(description = "The count with every correction") long net) {
    static CorrectionResult of(OfflineCountService.Corrected c) {
        return new CorrectionResult(c.correctionId(), c.offlineCountId(), c.delta(), c.net());
    }
}

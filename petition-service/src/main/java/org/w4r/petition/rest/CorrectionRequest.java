package org.w4r.petition.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.validation.OneLine;
import org.w4r.petition.service.OfflineCountService;

import java.util.UUID;

/** A correction of an offline count: a new ledger entry that adds {@code delta} (negative to take back). */
@Schema(description = "A correction of an offline count: a new ledger entry; the count never goes below zero")
public record CorrectionRequest(
        @Schema(description = "Added to the count: negative to take back, never 0", example = "-50")
        @NotNull @Min(-OfflineCountService.MAX_COUNT) @Max(OfflineCountService.MAX_COUNT) Long delta,
        @Schema(example = "counted twice", maxLength = 1000) @NotBlank @OneLine(max = 1000) String reason) {

    /** The correction of {@code offlineCountId} the service takes. */
    OfflineCountService.NewCorrection toCorrection(UUID offlineCountId) {
        if (delta == 0) {
            throw ProblemException.invalid("delta", "'delta' must not be 0");
        }
        return new OfflineCountService.NewCorrection(offlineCountId, delta, reason.trim());
    }
}

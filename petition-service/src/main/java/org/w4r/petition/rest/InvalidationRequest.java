package org.w4r.petition.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.validation.OneLine;

/** A coordinator's decision: take the selection out of the counts, as previewed, for a reason. */
@Schema(description = "Take the selection out of the counts; refused unless it still holds exactly expectedActions")
public record InvalidationRequest(
        @NotNull @Valid InvalidationSelection selection,
        @Schema(description = "Why, kept on record with the decision", example = "bot flood through the petition form",
                maxLength = 1000) @NotBlank @OneLine(max = 1000) String reason,
        @Schema(description = "How many actions the preview showed; the invalidation is refused (409 selection-changed) "
                + "if the selection now holds another number", example = "1250")
        @NotNull @Min(1) Long expectedActions) {
}

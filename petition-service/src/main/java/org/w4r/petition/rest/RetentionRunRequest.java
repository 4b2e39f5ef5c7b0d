package org.w4r.petition.rest;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.validation.Slug;

/** Run the retention schedule for one campaign now, or only see what it would anonymise. */
@Schema(description = "Anonymise a due campaign's signer and author data now, or (dryRun) only count what would go")
public record RetentionRunRequest(@Schema(required = true, example = "w4r-2020") @NotNull @Slug String campaignId,
                                  @Schema(description = "Count only; nothing is changed (the run is recorded all the same)",
                                          defaultValue = "false") boolean dryRun) {
}

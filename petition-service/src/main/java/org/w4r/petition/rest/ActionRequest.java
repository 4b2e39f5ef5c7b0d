package org.w4r.petition.rest;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.service.OnlineActionService;

import java.time.Instant;

/**
 * One online action other than a signature or message: letter, email, tweet, sms, postcard, drawing, audio, other.
 * {@code campaignId} is optional: the case's campaign, or the current one for an action without a case.
 */
@Schema(description = "One online action other than a signature or a message; it counts every time it is reported")
public record ActionRequest(
        @Schema(description = "The case; absent for an action for the campaign as a whole", example = "el-hiblu-3")
        @Slug String caseId,
        @Schema(enumeration = {"letter", "email", "tweet", "sms", "postcard", "drawing", "audio", "other"},
                example = "letter") @NotNull String type,
        @Schema(description = "When it happened (default: now); at most 5 minutes ahead of the service's clock")
        @CampaignEra(daysAhead = 1) Instant occurredAt,
        @Schema(description = "The campaign of an action without a case (default: the current one); with a case, the "
                + "case's", example = "w4r-2026") @Slug String campaignId) {

    /** The action the service takes. */
    OnlineActionService.NewAction toAction() {
        return new OnlineActionService.NewAction(caseId, OnlineActionService.type(type, OnlineActionService.TYPES),
                occurredAt, campaignId);
    }
}

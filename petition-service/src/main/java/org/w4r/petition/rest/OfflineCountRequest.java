package org.w4r.petition.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.service.OfflineCountService;
import org.w4r.petition.service.OnlineActionService;

import java.time.LocalDate;

/**
 * A count reported after an offline event (1,250 letters written at a school): a ledger entry, never edited.
 * {@code campaignId} is optional: the case's campaign, or the current one for a count without a case.
 */
@Schema(description = "A count reported after an offline event: a ledger entry, never edited, dated noon UTC of the event")
public record OfflineCountRequest(
        @Schema(description = "The case; absent for the campaign as a whole", example = "el-hiblu-3") @Slug String caseId,
        @Schema(enumeration = {"signature", "letter", "email", "tweet", "sms", "postcard", "drawing", "audio", "other"},
                example = "letter") @NotNull String type,
        @Schema(example = "1250") @NotNull @Min(1) @Max(OfflineCountService.MAX_COUNT) Long count,
        @NotNull @Valid Event event,
        @Schema(description = "The campaign of a count without a case (default: the current one)", example = "w4r-2026")
        @Slug String campaignId) {

    @Schema(name = "OfflineEvent")
    public record Event(@Schema(example = "School marathon", maxLength = 300) @NotBlank @OneLine(max = 300) String name,
                        @Schema(description = "The day of the event, from 2000-01-01 to today (UTC)", example = "2026-12-10")
                        @NotNull @CampaignEra(daysAhead = 0) LocalDate date,
                        @Schema(example = "Lyon", maxLength = 300) @OneLine(max = 300) String place) {
    }

    /** The count the service takes: texts trimmed, an empty place none. */
    OfflineCountService.NewOfflineCount toOfflineCount() {
        return new OfflineCountService.NewOfflineCount(caseId, OnlineActionService.type(type, OfflineCountService.TYPES),
                count, event.name().trim(), event.date(), event.place() == null || event.place().isBlank() ? null
                : event.place().trim(), campaignId);
    }
}

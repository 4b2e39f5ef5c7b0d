package org.w4r.petition.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.service.MessageService;

import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * A moderator's decision on the messages the page showed: their ids, not a filter, so what is decided is exactly what
 * was seen (a filter read again at the server would take messages that came in since).
 */
@Schema(description = "A decision on the listed pending messages of one campaign, as a single decision on each")
public record BulkDecisionRequest(
        @Schema(description = "The campaign of every message", example = "w4r-2026") @NotNull @Slug String campaignId,
        @Schema(description = "The messages, as the moderator saw them", maxItems = MAX_IDS)
        @NotNull @Size(min = 1, max = MAX_IDS) List<@NotNull UUID> messageIds,
        @Schema(enumeration = {"approve", "reject"}) @NotNull String decision,
        @Schema(description = "Required to reject", example = "off topic", maxLength = 1000) @OneLine(max = 1000) String reason,
        @Schema(description = "A rejection as abuse also takes the messages out of the counts (default false)")
        Boolean abuse) {
    /** One transaction holds the rows locked: bounded so it stays short (a filtered page of the queue). */
    static final int MAX_IDS = 500;

    /** The decision on each, checked as a single one is; an id twice is a mistake of the caller's. */
    MessageService.Decision toDecision() {
        if (new HashSet<>(messageIds).size() != messageIds.size()) {
            throw ProblemException.invalid("messageIds", "'messageIds' names a message twice");
        }
        return new DecisionRequest(decision, reason, abuse).toDecision();
    }
}

package org.w4r.petition.rest;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.validation.OneLine;
import org.w4r.petition.service.MessageService;

/** {@code {"decision":"approve"}} or {@code {"decision":"reject","reason":"…","abuse":true}}. */
@Schema(description = "A moderator's decision on a pending message")
public record DecisionRequest(
        @Schema(enumeration = {"approve", "reject"}) @NotNull String decision,
        @Schema(description = "Required to reject", example = "off topic", maxLength = 1000) @OneLine(max = 1000) String reason,
        @Schema(description = "A rejection as abuse also takes the message out of the counts (default false)")
        Boolean abuse) {

    /** The decision the service takes: a rejection needs a reason; only a rejection can be abuse. */
    MessageService.Decision toDecision() {
        if (!"approve".equals(decision) && !"reject".equals(decision)) {
            throw ProblemException.invalid("decision", "'decision' must be 'approve' or 'reject'");
        }
        boolean approve = "approve".equals(decision);
        boolean isAbuse = Boolean.TRUE.equals(abuse);
        if (approve && isAbuse) {
            throw ProblemException.invalid("abuse", "an approved message cannot be abuse");
        }
        if (!approve && (reason == null || reason.isBlank())) {
            throw ProblemException.invalid("reason", "'reason' is required to reject");
        }
        return new MessageService.Decision(approve, reason == null || reason.isBlank() ? null : reason.trim(), isAbuse);
    }
}

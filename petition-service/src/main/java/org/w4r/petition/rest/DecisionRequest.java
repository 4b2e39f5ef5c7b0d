package org.w4r.petition.rest;

import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.service.Inputs;
import org.w4r.petition.service.MessageService;

import java.util.Set;

/** {@code {"decision":"approve"}} or {@code {"decision":"reject","reason":"…","abuse":true}}. */
public record DecisionRequest(String decision, String reason,
                              Boolean abuse) {

    /** The decision, once every field is checked: a rejection needs a reason; only a rejection can be abuse. */
    MessageService.Decision toDecision() {
        if (decision == null || !Set.of("approve", "reject").contains(decision)) {
            throw ProblemException.invalid("decision", "'decision' must be 'approve' or 'reject'");
        }
        boolean approve = "approve".equals(decision);
        boolean isAbuse = Boolean.TRUE.equals(abuse);
        if (approve && isAbuse) {
            throw ProblemException.invalid("abuse", "an approved message cannot be abuse");
        }
        String why = approve ? Inputs.optionalText("reason", reason, 1000) : Inputs.text("reason", reason, 1000);
        return new MessageService.Decision(approve, why, isAbuse);
    }
}

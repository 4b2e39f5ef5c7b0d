package org.w4r.petition.rest;

import org.w4r.petition.service.Inputs;
import org.w4r.petition.service.OnlineActionService;

import java.time.Instant;

/**
 * One online action other than a signature or message: letter, email, tweet, sms, postcard, drawing, audio, other.
 * {@code campaignId} is optional: the case's campaign, or the current one for an action without a case.
 */
public record ActionRequest(String caseId, String type, Instant occurredAt, String campaignId) {

    /** The action, once every field is checked. */
    OnlineActionService.NewAction toAction() {
        var actionType = OnlineActionService.type(type, OnlineActionService.TYPES);
        String id = Inputs.caseId(caseId);
        String campaign = Inputs.optionalId("campaignId", campaignId);
        return new OnlineActionService.NewAction(id, actionType, Inputs.occurredAt("occurredAt", occurredAt), campaign);
    }
}

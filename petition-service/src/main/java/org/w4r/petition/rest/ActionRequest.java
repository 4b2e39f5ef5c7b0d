package org.w4r.petition.rest;

import java.time.Instant;

/**
 * One online action other than a signature or message: letter, email, tweet, sms, postcard, drawing, audio, other.
 * {@code campaignId} is optional: the case's campaign, or the current one for an action without a case.
 */
public record ActionRequest(String caseId, String type, Instant occurredAt, String campaignId) {
}

package org.w4r.petition.rest;

import java.time.Instant;

/** One online action other than a signature or message: letter, email, tweet, sms, postcard, drawing, audio, other. */
public record ActionRequest(String caseId, String type, Instant occurredAt) {
}

package org.w4r.petition.rest;

import java.time.Instant;

/** A solidarity message to a rights holder; it is counted when accepted and delivered only once approved. */
public record MessageRequest(String caseId, Author author, String text, String language, Instant occurredAt) {

    public record Author(String name, String country) {
    }
}

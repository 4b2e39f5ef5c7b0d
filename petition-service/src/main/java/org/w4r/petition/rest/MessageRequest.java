package org.w4r.petition.rest;

import java.time.Instant;

/** A solidarity message to a rights holder; it is counted when accepted and delivered only once approved. */
public record MessageRequest(String caseId, Author author, String text, String language, Instant occurredAt) {

    /**
     * {@code email} is optional and kept only as the keyed hash signatures use, so an erasure request by email finds
     * the author's messages too; without it an erasure by email cannot find the message.
     */
    public record Author(String name, String country, String email) {
    }
}

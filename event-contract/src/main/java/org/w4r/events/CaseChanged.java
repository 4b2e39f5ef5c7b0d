package org.w4r.events;

import java.time.Instant;
import java.util.UUID;

/** The full current state of a case, published on every change; {@code hold} is null unless on safety hold. */
public record CaseChanged(
        UUID eventId,
        String caseId,
        String campaignId,
        String name,
        String country,
        String targetAuthority,
        String scope,
        String localEntityId,
        Long goal,
        String status,
        boolean publicCounter,
        Hold hold,
        Instant changedAt) {

    public record Hold(String reason, String placedBy, Instant placedAt) {
    }
}

package org.w4r.cases.rest;

import org.w4r.cases.model.CaseFile;

import java.time.Instant;

/** A case as staff see it. */
public record CaseView(String caseId, String campaignId, String name, String country, String targetAuthority,
                       String scope, String localEntityId, Long goal, String status, boolean publicCounter,
                       Hold hold, Instant changedAt, long version) {

    /** {@code holdId} is the id the 'cases' topic carries; reason and who placed it stay in case-service. */
    public record Hold(long holdId, String reason, String placedBy, Instant placedAt) {
    }

    static CaseView of(CaseFile c) {
        return new CaseView(c.id, c.campaignId, c.name, c.country, c.targetAuthority, c.scope, c.localEntityId, c.goal,
                c.status, c.publicCounter, c.onHold() ? new Hold(c.holdId, c.holdReason, c.holdPlacedBy, c.holdPlacedAt) : null,
                c.changedAt, c.revision);
    }
}

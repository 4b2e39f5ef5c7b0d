package org.w4r.cases.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.cases.model.CaseFile;

import java.time.Instant;
import java.util.List;

/** A case as staff see it. */
public record CaseView(String caseId, String campaignId, String name, String country,
                       @Schema(nullable = true) String targetAuthority,
                       @Schema(enumeration = {"global", "local"}) String scope,
                       @Schema(nullable = true) String localEntityId, @Schema(nullable = true) Long goal,
                       @Schema(enumeration = {"draft", "active", "closed"}) String status, boolean publicCounter,
                       Hold hold, Instant changedAt,
                       @Schema(description = "grows with every change of the case, as the 'version' of its events; "
                               + "its ETag, for If-Match") long version,
                       @Schema(nullable = true, description = "percentages of the goal at which a milestone is "
                               + "announced; null: the platform's default (25, 50, 75, 100)") List<Integer> milestones,
                       @Schema(nullable = true, description = "what the campaign asks the target authority") String demand) {

    /** {@code holdId} is the id the 'cases' topic carries; reason and who placed it stay in case-service. */
    @Schema(nullable = true, description = "the open safety hold, or null")
    public record Hold(long holdId, String reason, String placedBy, Instant placedAt) {
    }

    static CaseView of(CaseFile c) {
        return new CaseView(c.id, c.campaignId, c.name, c.country, c.targetAuthority, c.scope, c.localEntityId, c.goal,
                c.status, c.publicCounter, c.onHold() ? new Hold(c.holdId, c.holdReason, c.holdPlacedBy, c.holdPlacedAt) : null,
                c.changedAt, c.revision, c.milestones, c.demand);
    }
}

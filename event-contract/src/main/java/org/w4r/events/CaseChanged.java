package org.w4r.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The full current state of a case, published on every change; {@code hold} is null unless on safety hold.
 * {@code version} grows with every committed change of the case and never goes back (it starts from the clock), so
 * a reader keeps the highest it has seen and drops a late copy of an older state. {@code demand} is what the
 * campaign asks the target authority for this case (the delivery pack's cover); public wording, never a reason for a
 * hold.
 */
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
        long version,
        Instant changedAt,
        List<Integer> milestones,
        String demand) {

    /** A case with the platform's default milestones (events written before cases had their own read as this). */
    public CaseChanged(UUID eventId, String caseId, String campaignId, String name, String country, String targetAuthority,
                       String scope, String localEntityId, Long goal, String status, boolean publicCounter, Hold hold,
                       long version, Instant changedAt) {
        this(eventId, caseId, campaignId, name, country, targetAuthority, scope, localEntityId, goal, status,
                publicCounter, hold, version, changedAt, null, null);
    }

    /** A case without a written demand (events written before cases had one read as this). */
    public CaseChanged(UUID eventId, String caseId, String campaignId, String name, String country, String targetAuthority,
                       String scope, String localEntityId, Long goal, String status, boolean publicCounter, Hold hold,
                       long version, Instant changedAt, List<Integer> milestones) {
        this(eventId, caseId, campaignId, name, country, targetAuthority, scope, localEntityId, goal, status,
                publicCounter, hold, version, changedAt, milestones, null);
    }

    /**
     * That the case is held, and since when. The reason and who placed it stay in case-service, shown to staff
     * only: a free-text reason on a topic every service reads could name the danger the hold protects from.
     */
    public record Hold(long holdId, Instant placedAt) {
    }
}

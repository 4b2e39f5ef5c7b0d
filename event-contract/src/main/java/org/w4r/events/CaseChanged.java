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
 *
 * <p>Checked when built (a read-only review, 6 December 2026, found nothing was): every field the schema requires (an
 * event without {@code eventId} made later ones without one look applied to consumers that skip an id seen before; one
 * without {@code caseId} stopped case-service's start-up check); {@code version} from 0 to {@link Events#MAX_VERSION}
 * (readers keep the highest: one near {@code Long.MAX_VALUE} froze the case everywhere), never bounded by the reader's
 * clock (a hold placed by a case-service whose clock ran ahead must not be skipped); {@code goal} not negative; a {@code hold} with its id (from 1) and start; and
 * {@code milestones}, when present, 1 to 10 distinct percentages from 1 to 1,000, none null (tally-service unboxes
 * them: a null one failed every count of the case). An event that fails is unreadable: the reference readers skip it,
 * a consumer dead-letters it.
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

    /** Percentages of the goal a case may announce milestones at, and how many (the schema's bounds). */
    static final int MIN_PERCENT = 1;
    static final int MAX_PERCENT = 1000;
    static final int MAX_MILESTONES = 10;

    public CaseChanged {
        String event = "CaseChanged";
        Events.require(event, "eventId", eventId);
        Events.require(event, "caseId", caseId);
        Events.require(event, "campaignId", campaignId);
        Events.require(event, "name", name);
        Events.require(event, "country", country);
        Events.require(event, "scope", scope);
        Events.require(event, "status", status);
        Events.require(event, "changedAt", changedAt);
        Events.requireVersion(event, version);
        if (goal != null && goal < 0) {
            throw new IllegalArgumentException(event + ": 'goal' " + goal + " is negative");
        }
        if (hold != null) {
            if (hold.holdId() < 1) {
                throw new IllegalArgumentException(event + ": 'hold.holdId' " + hold.holdId() + " is not positive");
            }
            Events.require(event, "hold.placedAt", hold.placedAt());
        }
        if (milestones != null) {
            Events.requireItems(event, "milestones", milestones);
            if (milestones.isEmpty() || milestones.size() > MAX_MILESTONES
                    || milestones.stream().distinct().count() != milestones.size()
                    || milestones.stream().anyMatch(p -> p < MIN_PERCENT || p > MAX_PERCENT)) {
                throw new IllegalArgumentException(event + ": 'milestones' must be 1 to " + MAX_MILESTONES
                        + " distinct percentages from " + MIN_PERCENT + " to " + MAX_PERCENT);
            }
        }
    }

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

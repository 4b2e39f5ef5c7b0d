package org.w4r.tally.model;

import java.time.Instant;

/**
 * A case's total reaching {@code percent} of its {@code goal} ({@code threshold} actions), recorded once. Not
 * {@code announced} while the case was on safety hold: its entity sites learn of it when the hold is lifted.
 */
public record Milestone(String campaignId, String caseId, long threshold, long goal, int percent, Instant reachedAt,
                        boolean announced) {
}

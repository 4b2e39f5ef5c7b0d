package org.w4r.petition.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One run of the retention schedule as recorded: what it found (a dry run) or anonymised, by case; counts only. */
public record RetentionRun(UUID runId, String campaignId, boolean dryRun, Instant dueAt, Instant startedAt,
                           Instant finishedAt, long signatures, long messages, List<CaseData> byCase, String runBy) {

    /** Personal data of one case: signatures and messages that hold some. */
    public record CaseData(String caseId, long signatures, long messages) {
    }
}

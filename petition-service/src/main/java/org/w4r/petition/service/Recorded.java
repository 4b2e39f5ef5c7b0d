package org.w4r.petition.service;

import java.util.List;
import java.util.UUID;

/** What a submission recorded: one entry per case, counted, or a duplicate (the signer had already signed it). */
public record Recorded(List<Entry> entries) {

    /** {@code actionId} is null for a duplicate: nothing new was recorded. */
    public record Entry(String caseId, UUID actionId, boolean duplicate) {
    }

    static Recorded counted(String caseId, UUID actionId) {
        return new Recorded(List.of(new Entry(caseId, actionId, false)));
    }
}

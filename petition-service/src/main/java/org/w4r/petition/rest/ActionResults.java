package org.w4r.petition.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.w4r.petition.service.Recorded;

import java.util.List;
import java.util.UUID;

/** The answer to a submission: one result per case. */
public record ActionResults(List<Result> results) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String caseId, UUID actionId, String status) {
        public static final String ACCEPTED = "accepted";
        public static final String DUPLICATE = "duplicate";
    }

    static ActionResults of(Recorded recorded) {
        return new ActionResults(recorded.entries().stream().map(e -> e.duplicate()
                ? new Result(e.caseId(), null, Result.DUPLICATE)
                : new Result(e.caseId(), e.actionId(), Result.ACCEPTED)).toList());
    }
}

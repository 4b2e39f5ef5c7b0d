package org.w4r.petition.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.petition.service.Recorded;

import java.util.List;
import java.util.UUID;

/**
 * The answer to a submission: one result per case. A replay (Idempotent-Replayed: true) is the body exactly as it was
 * stored, which an earlier version of the service may have shaped otherwise: the schema says so rather than promise more.
 */
@Schema(description = "One result per case, in the order of the request. A replay (Idempotent-Replayed: true) is the "
        + "body exactly as it was stored with the first answer", additionalProperties = Schema.True.class)
public record ActionResults(@Schema(description = "Present in every answer this version gives") List<Result> results) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ActionResult")
    public record Result(@Schema(description = "The case; absent for an action without a case") String caseId,
                         @Schema(description = "The action recorded; absent for a duplicate. A UUID of version 7 (time-ordered: the "
                                 + "millisecond it was written, then random bits); one stored before December 2026 is of "
                                 + "version 4. Read it as an opaque id") UUID actionId,
                         @Schema(required = true, enumeration = {ACCEPTED, DUPLICATE},
                                 description = "duplicate: this person had already signed this case (counted once)")
                         String status) {
        public static final String ACCEPTED = "accepted";
        public static final String DUPLICATE = "duplicate";
    }

    static ActionResults of(Recorded recorded) {
        return new ActionResults(recorded.entries().stream().map(e -> e.duplicate()
                ? new Result(e.caseId(), null, Result.DUPLICATE)
                : new Result(e.caseId(), e.actionId(), Result.ACCEPTED)).toList());
    }
}

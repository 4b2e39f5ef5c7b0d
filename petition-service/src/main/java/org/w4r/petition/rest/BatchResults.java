package org.w4r.petition.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.problem.Problem;
import org.w4r.petition.service.BatchService;
import org.w4r.petition.service.OfflineCountService;
import org.w4r.petition.service.Recorded;

import java.util.List;

/** One result per item, in order: {@code status} is what the item's own endpoint would have answered. */
@RequiredUnlessNullable
public record BatchResults(int accepted,
                           int refused,
                           List<ItemResult> results) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "BatchItemResult")
    public record ItemResult(@Schema(required = true) String id,
                             @Schema(required = true, description = "What the item's own endpoint would have answered")
                             int status,
                             @Schema(description = "The item's answer when it was taken",
                                     anyOf = {ActionResults.class, CorrectionResult.class}) Object result,
                             @Schema(description = "Why the item was refused", ref = "Problem") Problem problem) {
    }

    static BatchResults of(BatchService.Results done) {
        return new BatchResults(done.accepted(), done.refused(), done.items().stream().map(i -> i.problem() != null
                ? new ItemResult(i.id(), i.problem().status(), null, i.problem())
                : new ItemResult(i.id(), status(i.result()), result(i.result()), null)).toList());
    }

    /** As the item's own endpoint: a correction is created (201), every other action accepted (202). */
    private static int status(Object result) {
        return result instanceof OfflineCountService.Corrected ? 201 : 202;
    }

    private static Object result(Object result) {
        if (result instanceof OfflineCountService.Corrected c) {
            return CorrectionResult.of(c);
        }
        return ActionResults.of((Recorded) result);
    }
}

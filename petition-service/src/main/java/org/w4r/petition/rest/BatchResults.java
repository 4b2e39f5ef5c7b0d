package org.w4r.petition.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.w4r.kit.problem.Problem;

import java.util.List;

/** One result per item, in order: {@code status} is what the item's own endpoint would have answered. */
public record BatchResults(int accepted, int refused, List<ItemResult> results) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemResult(String id, int status, Object result, Problem problem) {
    }
}

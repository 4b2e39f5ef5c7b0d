package org.w4r.petition.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.UUID;

/** The answer to a submission: one result per case. */
public record ActionResults(List<Result> results) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String caseId, UUID actionId, String status) {
        public static final String ACCEPTED = "accepted";
        public static final String DUPLICATE = "duplicate";
    }
}

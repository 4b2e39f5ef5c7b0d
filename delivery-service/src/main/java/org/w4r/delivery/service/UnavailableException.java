package org.w4r.delivery.service;

import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

/** A temporary refusal (503 with Retry-After): the caller should try again shortly, nothing was changed. */
public class UnavailableException extends ProblemException {
    public UnavailableException(String slug, String title, String detail, int retryAfterSeconds) {
        super(Problem.of(503, slug, title, detail).retryAfter(retryAfterSeconds));
    }
}

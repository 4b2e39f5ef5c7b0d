package org.w4r.delivery.service;

import org.w4r.kit.problem.Problem;

/** A temporary refusal (503 with Retry-After): the caller should try again shortly, nothing was changed. */
public class UnavailableException extends RuntimeException {
    private final transient Problem problem;
    private final int retryAfterSeconds;

    public UnavailableException(String slug, String title, String detail, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.problem = Problem.of(503, slug, title, detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

package org.w4r.petition.service;

import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

/** A write refused by a rate limit (429): nothing was stored; the same request may be sent again after the wait. */
public class RateLimited extends ProblemException {
    private final long retryAfterSeconds;

    RateLimited(Problem problem, long retryAfterSeconds) {
        super(problem);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds until the bucket holds what the request needs (rounded up, at least one). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

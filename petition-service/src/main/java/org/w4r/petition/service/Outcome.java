package org.w4r.petition.service;

import org.w4r.kit.problem.ProblemException;

/**
 * What one request of a transaction is told: its answer, or why it has none (its Idempotency-Key was held by another
 * request with another body, or that request's answer cannot be read now).
 */
public record Outcome(Answer answer, ProblemException refused) {
    public Answer get() {
        if (refused != null) {
            throw refused;
        }
        return answer;
    }
}

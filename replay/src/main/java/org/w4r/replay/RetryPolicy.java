package org.w4r.replay;

import java.util.concurrent.TimeUnit;

/**
 * How a good entity site retries an answer that left the outcome unknown: the same request with the same
 * Idempotency-Key, at most {@code maxRetries} times, waiting {@code backoffNanos} and doubling, or longer when the
 * server asks for it (Retry-After, or the problem's retryAfterSeconds).
 */
record RetryPolicy(int maxRetries, long backoffNanos) {
    RetryPolicy {
        if (maxRetries < 0 || backoffNanos < 0) {
            throw new IllegalArgumentException("retries and their back-off cannot be negative");
        }
    }

    /** The wait before retry number {@code attempt} (1 for the first), given the server's hint in seconds (-1: none). */
    long delayNanos(int attempt, long retryAfterSeconds) {
        long backoff = backoffNanos << Math.min(attempt - 1, 20);
        return Math.max(backoff, retryAfterSeconds > 0 ? TimeUnit.SECONDS.toNanos(retryAfterSeconds) : 0);
    }
}

package org.w4r.kit.messaging;

/**
 * How the kit retries work on the database or the broker: waits doubling from 100 ms up to {@code maxBackoffMs}. A
 * failure that passes by itself ({@link Failures#isTransient}: an outage, a deadlock) is waited out when
 * {@code waitOutTransient}, and then never counts toward {@code maxAttempts}: an acknowledged action must be applied
 * however long the database is away. Any other failure counts, so work that can never succeed is given up.
 */
public record Retry(int maxAttempts, boolean waitOutTransient, long maxBackoffMs) {
    private static final long FIRST_BACKOFF_MS = 100;

    /** Until it succeeds, whatever fails. */
    public static Retry forever(long maxBackoffMs) {
        return new Retry(Integer.MAX_VALUE, true, maxBackoffMs);
    }

    @FunctionalInterface
    public interface Attempt {
        void run() throws Exception;
    }

    /** Told of each failure that will be retried, before the wait. */
    @FunctionalInterface
    public interface Listener {
        void retrying(Exception failure, boolean transientFailure, long waitMs);
    }

    /** Runs {@code attempt} until it succeeds (null) or the attempts are spent (the last failure). */
    public Exception run(Attempt attempt, Listener listener) throws InterruptedException {
        long backoffMs = FIRST_BACKOFF_MS;
        int counted = 0;
        while (true) {
            try {
                attempt.run();
                return null;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | AssertionError thrown) {
                Exception e = failure(thrown);
                boolean passing = Failures.isTransient(e);
                if (!(passing && waitOutTransient) && ++counted >= maxAttempts) {
                    return e;
                }
                listener.retrying(e, passing, backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
            }
        }
    }

    /** PgJDBC's batch assertion as the lost connection it is ({@code DatabaseProblems.lostInBatch}); any other Error stays one. */
    private static Exception failure(Throwable thrown) {
        if (thrown instanceof Exception e) {
            return e;
        }
        java.sql.SQLException lost = org.w4r.kit.problem.DatabaseProblems.lostInBatch(thrown);
        if (lost == null) {
            throw (AssertionError) thrown;
        }
        return lost;
    }
}

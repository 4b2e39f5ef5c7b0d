package org.w4r.kit.messaging;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Tells a failure that may pass by itself (the database or broker unreachable, a deadlock, a restart) from one that
 * will happen again on every retry (data the database refuses, an event that cannot be applied). The first must be
 * waited out, never answered or dead-lettered as if final; the second must not be retried forever.
 */
public final class Failures {
    private Failures() {
    }

    public static boolean isTransient(Throwable failure) {
        return isTransient(failure, 0);
    }

    // Narayana keeps the driver's error of a failed commit as a suppressed exception, not as the cause: a connection
    // lost at the commit of a consumed batch was taken for a refusal, and the batch's events were dead-lettered
    private static boolean isTransient(Throwable failure, int depth) {
        if (depth > 4) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Throwable suppressed : t.getSuppressed()) {
                if (isTransient(suppressed, depth + 1)) {
                    return true;
                }
            }
            if (org.w4r.kit.problem.DatabaseProblems.lostInBatch(t) != null) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // no SQLSTATE: the pool could not hand out a connection (Agroal's acquisition timeout)
                return state == null || state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.startsWith("57") || state.startsWith("58") || "55P03".equals(state)
                        || "25P03".equals(state)
                        // read-only: a connection that reached a primary being demoted in a switchover
                        || "25006".equals(state)
                        // PgJDBC's "something unusual has occurred": seen opening a connection to a database that
                        // does not answer; it is not caused by the data
                        || "99999".equals(state);
            }
            // an IOException that is about the data, not a connection: JSON that cannot be read or written (the
            // contract's Events wraps Jackson's) or text that cannot be encoded fails the same way on every retry, so
            // it is final; taken for transient it would have stopped its partition for good (read-only review, 6
            // December 2026)
            if (t instanceof com.fasterxml.jackson.core.JacksonException
                    || t instanceof java.nio.charset.CharacterCodingException) {
                // unless it only wraps a stream's own failure (a socket read or written through Jackson): that one is
                // looked at next, as the cause
                if (t.getCause() instanceof IOException cause && !(cause instanceof com.fasterxml.jackson.core.JacksonException)) {
                    continue;
                }
                return false;
            }
            if (t instanceof IOException || t instanceof org.apache.kafka.common.errors.RetriableException
                    || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of the first SQL error in the chain, for logs that must not carry PostgreSQL's detail text. */
    public static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (org.w4r.kit.problem.DatabaseProblems.lostInBatch(t) != null) {
                return "08006";
            }
            if (t instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** A description of a failure safe to log: its type and SQLSTATE, never a message that may quote data. */
    public static String describe(Throwable failure) {
        String state = sqlState(failure);
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (state == null ? "" : " (SQLSTATE " + state + ")");
    }

    /**
     * The cause chain's classes and frames, as a stack trace prints them but without any message (a message may quote
     * data): for the log of a bug, and for an exception recorded on a span.
     */
    public static String frames(Throwable failure) {
        StringBuilder trace = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            trace.append(t == failure ? "" : "Caused by: ").append(t.getClass().getName()).append('\n');
            for (StackTraceElement frame : t.getStackTrace()) {
                trace.append("\tat ").append(frame).append('\n');
            }
        }
        return trace.toString();
    }
}

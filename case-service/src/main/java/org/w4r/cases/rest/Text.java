package org.w4r.cases.rest;

import org.w4r.kit.problem.ProblemException;

/** The normalisation of a checked request's texts, done once when it becomes a command; and a CSV cell's number. */
final class Text {
    private Text() {
    }

    /** Trimmed, or null for none. */
    static String trim(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A whole number from a CSV cell ("1000", not "1e3", "1.5" or "x"), or null for an empty cell. */
    static Long whole(String field, String cell) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        if (!cell.matches("^[0-9]{1,10}$")) {
            throw ProblemException.invalid(field, "'" + field + "' must be a whole number from 0 to "
                    + CaseRequest.MAX_GOAL);
        }
        return Long.parseLong(cell);
    }
}

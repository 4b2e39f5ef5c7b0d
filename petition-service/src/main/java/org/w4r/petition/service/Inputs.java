package org.w4r.petition.service;

import org.w4r.kit.problem.ProblemException;

import java.util.Locale;
import java.util.Set;

/** Checks of caller input; each failure is a 400 problem naming the field. */
final class Inputs {
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private Inputs() {
    }

    static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "'" + field + "' is required");
        }
        if (value.length() > max) {
            throw ProblemException.invalid(field, "'" + field + "' is longer than " + max + " characters");
        }
        return value.trim();
    }

    static String optionalText(String field, String value, int max) {
        return value == null || value.isBlank() ? null : text(field, value, max);
    }

    static String country(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String code = value.trim().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(code)) {
            throw ProblemException.invalid(field, "'" + field + "' must be an ISO 3166-1 alpha-2 code");
        }
        return code;
    }

    static String caseId(String value) {
        if (value != null && value.isBlank()) {
            throw ProblemException.invalid("caseId", "'caseId' must not be empty; leave it out for no case");
        }
        return value;
    }
}

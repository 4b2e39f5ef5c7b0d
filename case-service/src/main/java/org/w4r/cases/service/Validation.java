package org.w4r.cases.service;

import org.w4r.kit.problem.ProblemException;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of caller input shared by campaigns, cases and entities; each failure is a 400 naming the field. */
public final class Validation {
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private Validation() {
    }

    public static String slug(String field, String value) {
        if (value == null || !SLUG.matcher(value).matches()) {
            throw ProblemException.invalid(field, "'" + field + "' must be a slug: 1 to 64 lower-case letters, digits "
                    + "or '-', starting with a letter or digit (got " + (value == null ? "nothing" : "'" + value + "'") + ")");
        }
        return value;
    }

    public static String country(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ProblemException.invalid(field, "'" + field + "' is required (ISO 3166-1 alpha-2, e.g. 'MM')");
            }
            return null;
        }
        String code = value.trim().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(code)) {
            throw ProblemException.invalid(field, "'" + value + "' is not an ISO 3166-1 alpha-2 country code");
        }
        return code;
    }

    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "'" + field + "' is required");
        }
        if (value.length() > max) {
            throw ProblemException.invalid(field, "'" + field + "' is longer than " + max + " characters");
        }
        return value.trim();
    }

    public static String optionalText(String field, String value, int max) {
        return value == null || value.isBlank() ? null : text(field, value, max);
    }

    public static String oneOf(String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw ProblemException.invalid(field, "'" + field + "' must be one of " + allowed);
        }
        return value;
    }
}

package org.w4r.cases.service;

import org.w4r.kit.problem.ProblemException;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every check of caller input in case-service, in one place; each failure is a 400 naming the field. Nothing the
 * caller sends reaches PostgreSQL unchecked: a NUL byte, an instant beyond its range or an oversized number there
 * would come back as a 5xx, and a control character in a name would travel on to every service and export.
 */
public final class Validation {
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");
    private static final Pattern PRINCIPAL = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$");
    private static final Pattern KEY_ID = Pattern.compile("^key_[A-Za-z0-9_-]{1,36}$");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    /** The sane window for any instant a caller sends (campaign dates, extensions, expiries). */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    /** Far above any campaign's reach (2020: about 4.5 million actions in all), far below bigint's. */
    static final long MAX_GOAL = 1_000_000_000L;

    private Validation() {
    }

    public static String slug(String field, String value) {
        if (value == null || !SLUG.matcher(value).matches()) {
            throw ProblemException.invalid(field, "'" + field + "' must be a slug: 1 to 64 lower-case letters, digits "
                    + "or '-', starting with a letter or digit (got " + (value == null ? "nothing" : quoted(value)) + ")");
        }
        return value;
    }

    /**
     * An id from a path or query: one that cannot exist is simply not found (404), without asking the database, which
     * would fail on a NUL byte.
     */
    public static String existingId(String what, String value) {
        if (value == null || !SLUG.matcher(value).matches()) {
            throw ProblemException.notFound(what, value == null ? "" : printable(value));
        }
        return value;
    }

    public static String existingKeyId(String value) {
        if (value == null || !KEY_ID.matcher(value).matches()) {
            throw ProblemException.notFound("key", value == null ? "" : printable(value));
        }
        return value;
    }

    /** A staff principal: it appears in URLs ({@code /staff/{principal}/tokens/...}) and in logs of who did what. */
    public static String principal(String field, String value) {
        if (value == null || !PRINCIPAL.matcher(value).matches()) {
            throw ProblemException.invalid(field, "'" + field + "' must be 1 to 100 letters, digits, '.', '_', '@' "
                    + "or '-', starting with a letter or digit");
        }
        return value;
    }

    public static String existingPrincipal(String value) {
        if (value == null || !PRINCIPAL.matcher(value).matches()) {
            throw ProblemException.notFound("principal", value == null ? "" : printable(value));
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
            throw ProblemException.invalid(field, quoted(value) + " is not an ISO 3166-1 alpha-2 country code");
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
        noControlCharacters(field, value);
        return value.trim();
    }

    public static String optionalText(String field, String value, int max) {
        return value == null || value.isBlank() ? null : text(field, value, max);
    }

    /** Below U+0020 and U+007F: invisible in a list, able to forge lines in a CSV export, and NUL breaks PostgreSQL. */
    public static String noControlCharacters(String field, String value) {
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                if (ch < 0x20 || ch == 0x7F) {
                    throw ProblemException.invalid(field, "'" + field + "' contains a control character (U+"
                            + String.format("%04X", (int) ch) + ") at position " + i);
                }
            }
        }
        return value;
    }

    public static String oneOf(String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw ProblemException.invalid(field, "'" + field + "' must be one of " + allowed);
        }
        return value;
    }

    /** Required instant within [2000, 2100): PostgreSQL's own range is wider than Java's and narrower than JSON's. */
    public static Instant instant(String field, Instant value) {
        if (value == null) {
            throw ProblemException.invalid(field, "'" + field + "' is required (an ISO-8601 instant)");
        }
        return optionalInstant(field, value);
    }

    public static Instant optionalInstant(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || !value.isBefore(LATEST))) {
            throw ProblemException.invalid(field, "'" + field + "' must be between " + EARLIEST + " and " + LATEST);
        }
        return value;
    }

    public static Long goal(String field, Long value) {
        if (value != null && (value < 0 || value > MAX_GOAL)) {
            throw ProblemException.invalid(field, "'" + field + "' must be a whole number from 0 to " + MAX_GOAL);
        }
        return value;
    }

    /** A whole number from a CSV cell ("1000", not "1e3", "1.5" or "x"). */
    public static Long goal(String field, String cell, int line) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        String digits = noControlCharacters(field, cell).trim();
        if (!digits.matches("^[0-9]{1,10}$")) {
            throw ProblemException.invalid(field, "line " + line + ": '" + field + "' must be a whole number from 0 to "
                    + MAX_GOAL);
        }
        return goal(field, Long.parseLong(digits));
    }

    private static String quoted(String value) {
        return "'" + printable(value) + "'";
    }

    /** Echoes a caller's value in a problem without its control characters (and never more than 100 of them). */
    private static String printable(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return shown.replaceAll("[\\x00-\\x1F\\x7F]", "?");
    }
}

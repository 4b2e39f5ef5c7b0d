package org.w4r.petition.service;

import org.w4r.kit.problem.ProblemException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of caller input, the one place every text, instant and id passes before it reaches PostgreSQL or an
 * event; each failure is a 400 problem naming the field. The resources run them on the request records.
 */
public final class Inputs {
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    public static final int MAX_EMAIL = 254;
    public static final int MAX_ID = 64;
    /**
     * No action of the campaign is older (Write for Rights began in 2001; the platform replays 2020 at the oldest):
     * an earlier instant is a caller's bug, and PostgreSQL cannot store every instant Java can parse.
     */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** A cut-off may lie ahead (a delivery planned for later in the campaign year), but not beyond a year. */
    static final Duration LATEST_CUTOFF = Duration.ofDays(366);
    /** An action is never stamped a day ahead; the campaign rules refine this to a few minutes of clock skew. */
    static final Duration LATEST_ACTION = Duration.ofDays(1);

    private Inputs() {
    }

    /** A required one-line text: no control characters (they end up in CSVs, logs and PostgreSQL, which refuses NUL). */
    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "'" + field + "' is required");
        }
        if (value.length() > max) {
            throw ProblemException.invalid(field, "'" + field + "' is longer than " + max + " characters");
        }
        refuseControls(field, value, false);
        return value.trim();
    }

    /** Absent or blank is none; a control character is refused even in a value that would otherwise be blank. */
    public static String optionalText(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        refuseControls(field, value, false);
        return value.isBlank() ? null : text(field, value, max);
    }

    /** Free text written by a person (a solidarity message): tabs and line breaks are part of it. */
    public static String multilineText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "'" + field + "' is required");
        }
        if (value.length() > max) {
            throw ProblemException.invalid(field, "'" + field + "' is longer than " + max + " characters");
        }
        refuseControls(field, value, true);
        return value.trim();
    }

    /**
     * Refuses C0 and C1 control characters and unpaired surrogates (which the driver would silently turn into '?').
     * {@code multiline} lets tab, line feed and carriage return through (a CRLF line end from a web form).
     */
    static void refuseControls(String field, String value, boolean multiline) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                if (multiline && (c == '\t' || c == '\n' || c == '\r')) {
                    continue;
                }
                throw ProblemException.invalid(field, "'" + field + "' contains a control character (U+"
                        + String.format("%04X", (int) c) + ")" + (multiline ? "; only tab and line breaks are allowed" : ""));
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ProblemException.invalid(field, "'" + field + "' contains an unpaired surrogate (invalid Unicode)");
            }
        }
    }

    public static String country(String field, String value) {
        if (value == null) {
            return null;
        }
        refuseControls(field, value, false);
        if (value.isBlank()) {
            return null;
        }
        String code = value.trim().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(code)) {
            throw ProblemException.invalid(field, "'" + field + "' must be an ISO 3166-1 alpha-2 code");
        }
        return code;
    }

    /** An email address, for its keyed hash only: it is never stored, but a bad one is the caller's mistake. */
    public static String email(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "'" + field + "' is required");
        }
        if (value.length() > MAX_EMAIL) {
            throw ProblemException.invalid(field, "'" + field + "' must be an email address");
        }
        refuseControls(field, value, false);
        if (!EMAIL.matcher(value.trim()).matches()) {
            throw ProblemException.invalid(field, "'" + field + "' must be an email address");
        }
        return value.trim();
    }

    /** The optional case of an action: absent for none, never empty. */
    public static String caseId(String value) {
        if (value != null && value.isBlank()) {
            throw ProblemException.invalid("caseId", "'caseId' must not be empty; leave it out for no case");
        }
        return optionalId("caseId", value);
    }

    /** An id of a case or campaign, as case-service makes them; checked before it is looked up or stored. */
    public static String optionalId(String field, String value) {
        if (value == null) {
            return null;
        }
        return id(field, text(field, value, MAX_ID));
    }

    /** case-service makes every case and campaign id a slug: anything else names nothing, and never reaches a query. */
    private static String id(String field, String value) {
        if (!ID.matcher(value).matches()) {
            throw ProblemException.invalid(field, "'" + field + "' must be an id: 1 to 64 lower-case letters, digits or "
                    + "'-', starting with a letter or digit");
        }
        return value;
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** When an action happened, as the caller says: within the campaign era, and not a day ahead. */
    public static Instant occurredAt(String field, Instant value) {
        return within(field, value, Instant.now().plus(LATEST_ACTION));
    }

    /** A cut-off for reading (a delivery's {@code until}): parsed here so a bad one is a 400, never a SQL error. */
    public static Instant cutoff(String field, String value) {
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalid(field, "'" + field + "' must be an ISO-8601 instant such as 2021-02-01T00:00:00Z");
        }
        return within(field, instant, Instant.now().plus(LATEST_CUTOFF));
    }

    /** The day of an offline event: in the campaign era (its future is refused by the offline count rules). */
    public static LocalDate date(String field, LocalDate value) {
        if (value != null && value.isBefore(EARLIEST.atZone(ZoneOffset.UTC).toLocalDate())) {
            throw ProblemException.invalid(field, "'" + field + "' must not be before " + EARLIEST.atZone(ZoneOffset.UTC).toLocalDate());
        }
        return value;
    }

    private static Instant within(String field, Instant value, Instant latest) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(latest))) {
            throw ProblemException.invalid(field, "'" + field + "' must be between " + EARLIEST + " and " + latest);
        }
        return value;
    }

    /** A count or delta: a whole number, never zero, within ±max (and positive unless {@code negative}). */
    public static long count(String field, Long value, long max, boolean negative) {
        if (value == null || value == 0 || value > max || value < (negative ? -max : 1)) {
            throw ProblemException.invalid(field, negative
                    ? "'" + field + "' must be a non-zero whole number between -" + String.format(Locale.ROOT, "%,d", max) + " and " + String.format(Locale.ROOT, "%,d", max)
                    : "'" + field + "' must be between 1 and " + String.format(Locale.ROOT, "%,d", max));
        }
        return value;
    }
}

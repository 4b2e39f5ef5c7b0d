package org.w4r.delivery.service;

import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.HandoverRequest;
import org.w4r.delivery.model.PlanRequest;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every check of what a caller sends (bodies, query parameters, content types), in one place: each mistake becomes
 * a 4xx naming the field before anything is read or written, so nothing odd ever reaches PostgreSQL (a NUL byte, an
 * instant it cannot store) or a delivery pack.
 */
public final class Validation {
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** No delivery of this platform happened before this (the 2020 report's are the oldest). */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** How far ahead a plan or a counts preview may look. */
    static final Duration HORIZON = Duration.ofDays(3660);
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private Validation() {
    }

    /** A plan with its instant read. */
    record Plan(PlanRequest request, Instant plannedFor) {
    }

    /** A handover with its instants read; {@code cutoff} is the effective one. */
    record Handover(Instant deliveredAt, Instant cutoff) {
    }

    static Plan plan(PlanRequest r, Instant now) {
        if (r == null) {
            throw ProblemException.badRequest("a JSON body with 'caseId', 'kind', 'recipient' and 'plannedFor' is required");
        }
        required("caseId", r.caseId(), 64);
        if (r.kind() == null || !DeliveryKinds.KINDS.contains(r.kind())) {
            throw ProblemException.invalid("kind", "'kind' must be one of " + DeliveryKinds.KINDS);
        }
        if (r.recipient() == null) {
            throw ProblemException.invalid("recipient", "'recipient' with 'kind' and 'name' is required");
        }
        if (r.recipient().kind() == null || !DeliveryKinds.RECIPIENT_KINDS.contains(r.recipient().kind())) {
            throw ProblemException.invalid("recipient.kind", "'recipient.kind' must be one of " + DeliveryKinds.RECIPIENT_KINDS);
        }
        required("recipient.name", r.recipient().name(), 200);
        if (r.place() != null) {
            optional("place.city", r.place().city(), 100);
            optional("place.country", r.place().country(), 2);
            if (r.place().country() != null && !COUNTRIES.contains(r.place().country().toUpperCase(Locale.ROOT))) {
                throw ProblemException.invalid("place.country", "'place.country' must be an ISO 3166-1 alpha-2 code");
            }
        }
        optional("entityId", r.entityId(), 64);
        Instant plannedFor = instant("plannedFor", r.plannedFor(), EARLIEST, now.plus(HORIZON));
        if (plannedFor == null) {
            throw ProblemException.invalid("plannedFor", "'plannedFor' (an ISO-8601 instant) is required");
        }
        return new Plan(r, plannedFor);
    }

    static Handover handover(HandoverRequest r, Instant now) {
        if (r == null) {
            throw ProblemException.badRequest("a JSON body with 'deliveredAt' and 'deliveredBy' is required");
        }
        Instant deliveredAt = instant("deliveredAt", r.deliveredAt(), EARLIEST, null);
        if (deliveredAt == null) {
            throw ProblemException.invalid("deliveredAt", "'deliveredAt' (an ISO-8601 instant) is required");
        }
        if (deliveredAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw ProblemException.invalid("deliveredAt", "'deliveredAt' is in the future: record a handover once it is done");
        }
        Instant given = instant("cutoff", r.cutoff(), EARLIEST, null);
        Instant cutoff = given == null ? deliveredAt : given;
        if (cutoff.isAfter(deliveredAt)) {
            throw ProblemException.invalid("cutoff", "'cutoff' must not be after 'deliveredAt'");
        }
        if (cutoff.isAfter(now)) {
            throw ProblemException.invalid("cutoff", "'cutoff' must not be in the future: counts are frozen up to it");
        }
        required("deliveredBy", r.deliveredBy(), 200);
        optional("notes", r.notes(), 2000);
        List<String> evidence = r.evidence() == null ? List.of() : r.evidence();
        if (evidence.size() > 20) {
            throw ProblemException.invalid("evidence", "at most 20 evidence links");
        }
        for (String url : evidence) {
            if (!isWebUrl(url)) {
                throw ProblemException.invalid("evidence", "each evidence item must be an http(s) URL of at most 2000 characters");
            }
        }
        return new Handover(deliveredAt, cutoff);
    }

    /** The optional reason of a cancellation, trimmed. */
    public static String cancelReason(String reason) {
        optional("reason", reason, 500);
        return trimmed(reason);
    }

    /**
     * A body that is not declared as JSON is refused (415) rather than guessed at; used where an endpoint accepts an
     * empty body of any type.
     */
    public static void jsonBody(String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            return;
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")) {
            throw unsupportedMediaType();
        }
    }

    private static ProblemException unsupportedMediaType() {
        return new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported Media Type",
                "a body, if any, must be sent as 'Content-Type: application/json'"));
    }

    /** {@code ?caseId=} of a list: a case id or nothing. */
    public static String caseIdFilter(String caseId) {
        optional("caseId", caseId, 64);
        return trimmed(caseId);
    }

    /** {@code ?status=} of a list. */
    public static String status(String status) {
        if (status != null && !DeliveryKinds.STATUSES.contains(status)) {
            throw ProblemException.invalid("status", "'status' must be one of " + DeliveryKinds.STATUSES);
        }
        return status;
    }

    /** {@code ?kind=} of a counts preview; petition when absent. */
    public static String kind(String kind) {
        String effective = kind == null ? DeliveryKinds.PETITION : kind;
        if (!DeliveryKinds.KINDS.contains(effective)) {
            throw ProblemException.invalid("kind", "'kind' must be one of " + DeliveryKinds.KINDS);
        }
        return effective;
    }

    /** {@code ?entityId=} of a counts preview: an entity id or nothing. */
    public static String entityFilter(String entityId) {
        optional("entityId", entityId, 64);
        return trimmed(entityId);
    }

    /** {@code ?until=} of a counts preview; now when absent. */
    public static Instant until(String until, Instant now) {
        Instant value = instant("until", until, EARLIEST, now.plus(HORIZON));
        return value == null ? now : value;
    }

    static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * An ISO-8601 instant (a string: a JSON number would be read as seconds since 1970 and could overflow), within
     * [{@code earliest}, {@code latest}] (no upper bound if null); null when absent.
     */
    private static Instant instant(String field, String value, Instant earliest, Instant latest) {
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            if (value.length() > 40) {
                throw new DateTimeParseException("too long", value, 0);
            }
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "'" + field + "' must be an ISO-8601 instant such as 2027-03-28T10:00:00Z");
        }
        if (instant.isBefore(earliest) || (latest != null && instant.isAfter(latest))) {
            throw ProblemException.invalid(field, "'" + field + "' must be between " + earliest
                    + (latest == null ? " and now" : " and " + latest.truncatedTo(java.time.temporal.ChronoUnit.DAYS)));
        }
        return instant;
    }

    private static boolean isWebUrl(String url) {
        if (url == null || url.length() > 2000 || hasControl(url)) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (Exception e) {
            return false;
        }
    }

    private static void required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "'" + field + "' is required");
        }
        optional(field, value, max);
    }

    private static void optional(String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.trim().length() > max) {
            throw ProblemException.invalid(field, "'" + field + "' must be at most " + max + " characters");
        }
        if (hasControl(value)) {
            throw ProblemException.invalid(field, "'" + field + "' must not contain control characters or broken Unicode");
        }
    }

    /**
     * Control characters (C0 including tab and newline, DEL, C1) and unpaired surrogates: none belongs in a name,
     * place, note or reason; PostgreSQL refuses NUL, and the others corrupt a PDF line or a CSV cell.
     */
    static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 || (ch >= 0x7F && ch <= 0x9F)) {
                return true;
            }
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(ch)) {
                return true;
            }
        }
        return false;
    }
}

package org.w4r.delivery.service;

import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.HandoverRequest;
import org.w4r.delivery.model.PlanRequest;
import org.w4r.kit.problem.ProblemException;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks of request bodies: every caller mistake becomes a 400 naming the field, before anything is touched. */
final class Validation {
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private Validation() {
    }

    static void plan(PlanRequest r) {
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
            if (r.place().country() != null && !COUNTRIES.contains(r.place().country().toUpperCase(Locale.ROOT))) {
                throw ProblemException.invalid("place.country", "'place.country' must be an ISO 3166-1 alpha-2 code");
            }
        }
        optional("entityId", r.entityId(), 64);
        if (r.plannedFor() == null) {
            throw ProblemException.invalid("plannedFor", "'plannedFor' (an ISO-8601 instant) is required");
        }
    }

    /** Returns the effective cut-off. */
    static Instant handover(HandoverRequest r, Instant now) {
        if (r == null) {
            throw ProblemException.badRequest("a JSON body with 'deliveredAt' and 'deliveredBy' is required");
        }
        if (r.deliveredAt() == null) {
            throw ProblemException.invalid("deliveredAt", "'deliveredAt' (an ISO-8601 instant) is required");
        }
        if (r.deliveredAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw ProblemException.invalid("deliveredAt", "'deliveredAt' is in the future: record a handover once it is done");
        }
        Instant cutoff = r.cutoff() == null ? r.deliveredAt() : r.cutoff();
        if (cutoff.isAfter(r.deliveredAt())) {
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
        return cutoff;
    }

    static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static boolean isWebUrl(String url) {
        if (url == null || url.length() > 2000) {
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
        if (value != null && value.trim().length() > max) {
            throw ProblemException.invalid(field, "'" + field + "' must be at most " + max + " characters");
        }
        if (value != null && value.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t')) {
            throw ProblemException.invalid(field, "'" + field + "' must not contain control characters");
        }
    }
}

package org.w4r.petition.rest;

import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.validation.CampaignEra;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A read's cut-off ({@code until}), from a query parameter: parsed here, so a bad one is a 400, never a SQL error. */
final class Cutoff {
    /** A cut-off may lie ahead (a delivery planned for later in the campaign year), but not beyond a year. */
    static final Duration LATEST = Duration.ofDays(366);

    private Cutoff() {
    }

    /** Null for none. */
    static Instant parse(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "'" + field + "' must be an ISO-8601 instant such as 2021-02-01T00:00:00Z");
        }
        Instant latest = Instant.now().plus(LATEST);
        if (instant.isBefore(CampaignEra.EARLIEST) || instant.isAfter(latest)) {
            throw ProblemException.invalid(field, "'" + field + "' must be between " + CampaignEra.EARLIEST + " and " + latest);
        }
        return instant;
    }
}

package org.w4r.events.demo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One row of the 2020 campaign report's handovers ({@code shared/data/w4r2020/handovers.csv}) read in a delivery's
 * vocabulary. Two programs load those rows and must read them alike: delivery-service's demo plans the outstanding
 * ones in the current campaign, the replay's demo edition plans and hands over the delivered ones through the API
 * (docs/operations.md, "Demo data"). It lives in the contract because that is the one module both build on: the replay
 * is a plain Java program, without the service kit. Not an event: it never goes on a topic (it carries a recipient's
 * name).
 */
public record ReportHandover(String date, String caseId, String entityId, String kind, String recipient,
                             String recipientKind, String city, String country, String status, String note) {
    private static final Pattern FAMILY = Pattern.compile(
            "\\b(son|daughter|sister|brother|mother|father|cousin|wife|husband|partner|family)\\b", Pattern.CASE_INSENSITIVE);
    /** The report's places: a city (with its country) or a country's English name. */
    private static final Map<String, String> CITIES = Map.of("Amsterdam", "NL", "Johannesburg", "ZA", "Pretoria", "ZA",
            "Nairobi", "KE", "Ankara", "TR", "Bogotá", "CO", "Canberra", "AU");

    /** A row by its column names; each cell trimmed, a blank one null. */
    public static ReportHandover of(Map<String, String> cells) {
        String caseId = cell(cells, "case_id");
        String kind = cell(cells, "kind");
        String recipient = cell(cells, "recipient");
        String place = cell(cells, "place");
        String country = place == null ? null : CITIES.getOrDefault(place, countryCode(place));
        // a place that is no country's name is a city, even where its country is unknown
        String city = place != null && (CITIES.containsKey(place) || country == null) ? place : null;
        return new ReportHandover(cell(cells, "date"), caseId, cell(cells, "entity_id"), kind, recipient,
                recipientKind(caseId, kind, recipient), city, country, cell(cells, "status"), cell(cells, "note"));
    }

    /** Handed over in 2021 (or late 2020); the other rows were planned or on hold when the report was written. */
    public boolean delivered() {
        return "delivered".equals(status);
    }

    /** The report's dates are days, months or years: each stands for its first day (UTC). */
    public Instant firstDay() {
        return firstDay(date);
    }

    static Instant firstDay(String date) {
        String[] parts = date.split("-");
        return LocalDate.of(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 1,
                parts.length > 2 ? Integer.parseInt(parts[2]) : 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * Petitions go to an embassy or the target authority; solidarity letters to the rights holder, or to family when
     * the recipient is described by kinship or shares only the rights holder's surname.
     */
    static String recipientKind(String caseId, String kind, String recipient) {
        String lower = recipient.toLowerCase(Locale.ROOT);
        if ("petition".equals(kind)) {
            return lower.contains("embass") || lower.contains("ambassador") ? "embassy" : "target-authority";
        }
        String[] names = caseId.split("-");
        boolean surnameOnly = names.length > 1 && lower.contains(names[names.length - 1])
                && !lower.contains(String.join(" ", names));
        return FAMILY.matcher(recipient).find() || surnameOnly ? "family" : "rights-holder";
    }

    private static String countryCode(String name) {
        for (String code : Locale.getISOCountries()) {
            if (new Locale("", code).getDisplayCountry(Locale.ENGLISH).equalsIgnoreCase(name)) {
                return code;
            }
        }
        return null;
    }

    private static String cell(Map<String, String> cells, String column) {
        String value = cells.get(column);
        return value == null || value.isBlank() ? null : value.trim();
    }
}

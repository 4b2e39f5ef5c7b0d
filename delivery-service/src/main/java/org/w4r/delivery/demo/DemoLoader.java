package org.w4r.delivery.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.repository.DeliveryRepository;
import org.w4r.delivery.service.DeliveryWriter;
import org.w4r.kit.csv.CsvRows;
import org.w4r.kit.demo.DemoShare;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Loads the 2020 report's outstanding deliveries ({@code demo/w4r2020/handovers.csv}, a copy of the shared data: the
 * rows planned or on hold) once, as the current demo campaign's plans, one a week from the day of loading. The rows
 * delivered in 2021 are not handovers of this campaign, which opened this year: recorded here they froze no action
 * (their cut-offs were years before the campaign) and every demo handover said 0. They belong to the 2020 edition,
 * which {@code ./platform up} loads through the API (the replay module's {@code DemoEdition}: a small replay of the
 * 2020 campaign, then those handovers recorded on its cases at their dates, with the counts the replay put before
 * them). The hold itself comes from case-service (paing-phyo-min), so the held plan cannot be recorded here. Events
 * go through the outbox like any other change.
 */
@ApplicationScoped
public class DemoLoader implements DemoShare {
    private static final Logger LOG = Logger.getLogger(DemoLoader.class);
    private static final Pattern FAMILY = Pattern.compile(
            "\\b(son|daughter|sister|brother|mother|father|cousin|wife|husband|partner|family)\\b", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> CITIES = Map.of("Amsterdam", "NL", "Johannesburg", "ZA", "Pretoria", "ZA",
            "Nairobi", "KE", "Ankara", "TR", "Bogotá", "CO", "Canberra", "AU");

    @Inject
    DeliveryRepository deliveries;

    @Inject
    DeliveryWriter writer;

    @Override
    public void loadDemo() {
        LOG.infof("demo data: %d outstanding deliveries of the 2020 report planned", load());
    }

    /** Plans the report's outstanding deliveries unless the demo campaign already has some; returns how many. */
    @Transactional
    public int load() {
        if (deliveries.anyOfCampaign(CAMPAIGN_ID)) {
            return 0;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int line = 0, planned = 0;
        for (CsvRows.Row row : DemoShare.rows(DemoLoader.class, "handovers.csv")) {
            Map<String, String> cells = new java.util.HashMap<>();
            row.cells().forEach((column, value) -> cells.put(column, value == null ? "" : value.trim()));
            // the n-th row, as before the kit read the file, so the demo ids stay what they were
            line++;
            if (!DeliveryKinds.DELIVERED.equals(cells.get("status"))) {
                planned++;
                plan(line, cells, today.plusWeeks(planned).atTime(10, 0).toInstant(ZoneOffset.UTC), now);
            }
        }
        return planned;
    }

    private void plan(int line, Map<String, String> row, Instant plannedFor, Instant now) {
        String caseId = row.get("case_id");
        String kind = row.get("kind");
        String recipient = row.get("recipient");
        String place = blankToNull(row.get("place"));
        String country = place == null ? null : CITIES.getOrDefault(place, countryCode(place));
        String city = place == null || (country != null && !CITIES.containsKey(place)) ? null : place;
        if (city == null && place != null && country == null) {
            city = place;
        }
        String entityId = blankToNull(row.get("entity_id"));
        UUID id = UUID.nameUUIDFromBytes((CAMPAIGN_ID + ":" + line + ":" + caseId + ":" + row.get("date"))
                .getBytes(StandardCharsets.UTF_8));
        writer.insertPlanned(new Delivery(id, CAMPAIGN_ID, caseId, entityId, kind, recipientKind(caseId, kind, recipient),
                recipient, city, country, plannedFor, DeliveryKinds.PLANNED, "demo", now, null, null, null));
    }

    /**
     * Petitions go to an embassy or the target authority; solidarity letters to the rights holder, or to family when
     * the recipient is described by kinship or shares only the rights holder's surname.
     */
    static String recipientKind(String caseId, String kind, String recipient) {
        String lower = recipient.toLowerCase(Locale.ROOT);
        if (DeliveryKinds.PETITION.equals(kind)) {
            return lower.contains("embass") || lower.contains("ambassador") ? "embassy" : "target-authority";
        }
        String[] names = caseId.split("-");
        String fullName = String.join(" ", names);
        boolean surnameOnly = names.length > 1 && lower.contains(names[names.length - 1]) && !lower.contains(fullName);
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

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

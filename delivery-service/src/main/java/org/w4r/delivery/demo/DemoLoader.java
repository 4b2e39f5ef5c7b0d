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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Loads the 2020 report's handovers ({@code demo/w4r2020/handovers.csv}, a copy of the shared data) once, as
 * deliveries of the demo campaign: delivered rows become recorded handovers with the cut-off at their date; planned
 * and on-hold rows stay planned. The hold itself comes from case-service (paing-phyo-min), so the held plan cannot be
 * recorded here. Events go through the outbox like any other change.
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
        LOG.infof("demo data: %d deliveries of the 2020 report loaded", load());
    }

    /** Loads the demo deliveries unless the demo campaign already has some; returns how many were loaded. */
    @Transactional
    public int load() {
        if (deliveries.anyOfCampaign(CAMPAIGN_ID)) {
            return 0;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int loaded = 0;
        for (CsvRows.Row row : DemoShare.rows(DemoLoader.class, "handovers.csv")) {
            Map<String, String> cells = new java.util.HashMap<>();
            row.cells().forEach((column, value) -> cells.put(column, value == null ? "" : value.trim()));
            // the n-th row, as before the kit read the file, so the demo ids stay what they were
            load(++loaded, cells, now);
        }
        return loaded;
    }

    private void load(int line, Map<String, String> row, Instant now) {
        String caseId = row.get("case_id");
        String kind = row.get("kind");
        String recipient = row.get("recipient");
        Instant date = date(row.get("date"));
        String place = blankToNull(row.get("place"));
        String country = place == null ? null : CITIES.getOrDefault(place, countryCode(place));
        String city = place == null || (country != null && !CITIES.containsKey(place)) ? null : place;
        if (city == null && place != null && country == null) {
            city = place;
        }
        String entityId = blankToNull(row.get("entity_id"));
        UUID id = UUID.nameUUIDFromBytes((CAMPAIGN_ID + ":" + line + ":" + caseId + ":" + row.get("date"))
                .getBytes(StandardCharsets.UTF_8));
        Delivery delivery = new Delivery(id, CAMPAIGN_ID, caseId, entityId, kind, recipientKind(caseId, kind, recipient),
                recipient, city, country, date, DeliveryKinds.PLANNED, "demo", now, null, null, null);
        writer.insertPlanned(delivery);
        if (DeliveryKinds.DELIVERED.equals(row.get("status"))) {
            writer.freeze(delivery, date, date, entityId == null ? "Write for Rights 2020 (campaign report)" : entityId,
                    blankToNull(row.get("note")), List.of(), "demo");
        }
    }

    /** The report's dates are days, months or years: each stands for its first day (UTC). */
    static Instant date(String value) {
        String[] parts = value.split("-");
        LocalDate day = LocalDate.of(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 1,
                parts.length > 2 ? Integer.parseInt(parts[2]) : 1);
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
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

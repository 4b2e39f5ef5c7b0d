package org.w4r.delivery.demo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.repository.DeliveryRepository;
import org.w4r.delivery.service.DeliveryWriter;
import org.w4r.events.demo.ReportHandover;
import org.w4r.kit.csv.CsvRows;
import org.w4r.kit.demo.DemoShare;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

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
            ReportHandover handover = ReportHandover.of(row.cells());
            // the n-th row, as before the kit read the file, so the demo ids stay what they were
            line++;
            if (!handover.delivered()) {
                planned++;
                plan(line, handover, today.plusWeeks(planned).atTime(10, 0).toInstant(ZoneOffset.UTC), now);
            }
        }
        return planned;
    }

    private void plan(int line, ReportHandover row, Instant plannedFor, Instant now) {
        UUID id = UUID.nameUUIDFromBytes((CAMPAIGN_ID + ":" + line + ":" + row.caseId() + ":" + row.date())
                .getBytes(StandardCharsets.UTF_8));
        writer.insertPlanned(new Delivery(id, CAMPAIGN_ID, row.caseId(), row.entityId(), row.kind(), row.recipientKind(),
                row.recipient(), row.city(), row.country(), plannedFor, DeliveryKinds.PLANNED, "demo", now, null, null, null));
    }
}

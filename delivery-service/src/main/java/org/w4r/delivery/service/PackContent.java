package org.w4r.delivery.service;

import org.w4r.delivery.model.ApprovedMessage;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.delivery.model.Handover;
import org.w4r.delivery.model.Signer;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.EntityChanged;
import org.w4r.kit.csv.CsvBodyWriter;
import org.w4r.kit.csv.CsvTable;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one pack shows: the handover with its frozen counts, the case and campaign as the read model has them,
 * the entities' names and countries, and the signers (petition) or approved messages (solidarity) from
 * petition-service. The PDF and the CSVs of the ZIP are both made from it, so they hold the same data.
 */
record PackContent(Delivery delivery, Handover handover, FrozenCounts counts, CaseChanged caseInfo,
                   CampaignChanged campaign, Map<String, EntityChanged> entities, List<Signer> signers,
                   List<ApprovedMessage> messages) {

    boolean petition() {
        return DeliveryKinds.PETITION.equals(delivery.kind());
    }

    String caseName() {
        return caseInfo == null ? delivery.caseId() : caseInfo.name();
    }

    String campaignName() {
        return campaign == null ? delivery.campaignId() : campaign.name();
    }

    String entityName(String entityId) {
        EntityChanged entity = entities.get(entityId);
        return entity == null || entity.name() == null ? entityId : entity.name();
    }

    /** The frozen counts summed by the country of each entity (null: an entity without one, e.g. the catch-all). */
    Map<String, Long> byCountry() {
        Map<String, Long> totals = new TreeMap<>(java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()));
        counts.byEntity().forEach((entityId, count) -> {
            EntityChanged entity = entities.get(entityId);
            String country = entity == null || entity.country() == null || entity.country().isBlank() ? null : entity.country();
            totals.merge(country, count, Long::sum);
        });
        return totals;
    }

    /** The list of the pack as a CSV: consenting signers, or approved messages as text. */
    CsvTable list() {
        List<List<Object>> rows = new ArrayList<>();
        if (petition()) {
            signers.forEach(s -> rows.add(List.of(s.name(), s.country() == null ? "" : s.country())));
            return new CsvTable("signers", List.of("name", "country"), rows);
        }
        for (ApprovedMessage m : messages) {
            ApprovedMessage.Author author = m.author();
            rows.add(java.util.Arrays.asList(String.valueOf(m.messageId()), author == null ? null : author.name(),
                    author == null ? null : author.country(), m.entityId(), m.language(),
                    m.createdAt() == null ? null : m.createdAt().toString(), m.text()));
        }
        return new CsvTable("messages", List.of("message_id", "author", "country", "entity_id", "language",
                "created_at", "text"), rows);
    }

    /** The frozen counts at their grain, entity by type, with each entity's name and country. */
    CsvTable countsTable() {
        List<List<Object>> rows = new ArrayList<>();
        counts.cells().stream()
                .sorted(java.util.Comparator.comparing(FrozenCounts.Cell::entityId).thenComparing(FrozenCounts.Cell::type))
                .forEach(c -> {
                    EntityChanged entity = entities.get(c.entityId());
                    rows.add(java.util.Arrays.asList(c.entityId(), entityName(c.entityId()),
                            entity == null ? null : entity.country(), c.type(), c.count()));
                });
        return new CsvTable("counts", List.of("entity_id", "entity", "country", "type", "count"), rows);
    }

    static byte[] bytes(CsvTable table) {
        try {
            StringWriter out = new StringWriter();
            CsvBodyWriter.write(table, out);
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.w4r.delivery.service;

import org.w4r.delivery.model.ApprovedMessage;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.Handover;
import org.w4r.delivery.model.Signer;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pack as a document for the recipient, in {@link PackText}'s language: a cover (campaign, case, target
 * authority, recipient, the total in large type with its cut-off), the breakdown by country, entity and type, the
 * consenting signers in three columns (or the approved messages), and how to verify it; every page numbered.
 */
final class PackDocument {
    private static final int SIGNER_COLUMNS = 3;

    private PackDocument() {
    }

    static byte[] render(PackContent content, PackText text, String listSha256, String countsSha256, boolean preview) {
        Delivery d = content.delivery();
        Handover h = content.handover();
        try (PackPdf pdf = new PackPdf(text.get("title") + ": " + content.caseName(), d.id(), h.recordedAt())) {
            pdf.newPage();
            pdf.paragraph(pdf.bold, 11, java.awt.Color.DARK_GRAY, text.get("brand") + " · " + text.get("title"));
            if (preview) {
                // a preview must never pass for the real thing: it says so first, and where the handover would be
                pdf.space(8);
                pdf.paragraph(pdf.bold, 14, java.awt.Color.RED.darker(), text.get("preview"));
            }
            pdf.space(24);
            pdf.paragraph(pdf.bold, 26, java.awt.Color.BLACK, content.caseName());
            pdf.space(2);
            pdf.paragraph(pdf.regular, 13, java.awt.Color.DARK_GRAY, text.get(content.petition() ? "kind.petition"
                    : "kind.solidarity"));
            pdf.space(18);
            pdf.field(text.get("campaign"), content.campaignName());
            pdf.field(text.get("target"), content.caseInfo() == null ? null : content.caseInfo().targetAuthority());
            // the campaign's words, as case-service holds them; a case without one says nothing rather than a dash
            String demand = content.caseInfo() == null ? null : content.caseInfo().demand();
            if (demand != null && !demand.isBlank()) {
                pdf.field(text.get("demand"), demand);
            }
            pdf.field(text.get("recipient"), d.recipientName() + " (" + text.label("recipient", d.recipientKind()) + ")");
            pdf.field(text.get("place"), join(d.city(), d.country() == null ? null : text.country(d.country())));
            pdf.field(text.get("entity"), d.entityId() == null ? text.get("entity.all") : content.entityName(d.entityId()));
            pdf.field(text.get("delivered"), preview ? text.get("preview.notDelivered", text.date(h.recordedAt()))
                    : text.get("delivered.value", text.date(h.deliveredAt()), h.deliveredBy()));
            pdf.total(text.number(content.counts().total()), text.get(content.petition() ? "total.petition"
                    : "total.solidarity", text.date(h.cutoff())));
            pdf.space(6);
            pdf.paragraph(pdf.regular, 10, java.awt.Color.DARK_GRAY, text.get("frozen"));

            pdf.newPage();
            pdf.heading(text.get("breakdown"));
            pdf.table(text.get("by.country"), text.get("column.count"), rows(content.byCountry(), text::country, text));
            pdf.table(text.get("by.entity"), text.get("column.count"),
                    rows(content.counts().byEntity(), content::entityName, text));
            pdf.table(text.get("by.type"), text.get("column.count"),
                    rows(content.counts().byType(), type -> text.label("type", type), text));

            if (content.petition()) {
                signers(pdf, text, content.signers());
            } else {
                messages(pdf, text, content.messages());
            }

            pdf.heading(text.get("verify"));
            pdf.paragraph(text.get("verify.document", d.id().toString()));
            pdf.space(6);
            pdf.paragraph(text.get("verify.list"));
            pdf.paragraph(pdf.bold, 9, java.awt.Color.BLACK, listSha256);
            pdf.space(4);
            pdf.paragraph(text.get("verify.counts"));
            pdf.paragraph(pdf.bold, 9, java.awt.Color.BLACK, countsSha256);
            return pdf.finish((page, pages) -> text.get("page", page, pages));
        }
    }

    private static void signers(PackPdf pdf, PackText text, List<Signer> signers) {
        if (signers.isEmpty()) {
            pdf.heading(text.get("signers", text.number(0)));
            pdf.paragraph(text.get("signers.none"));
            return;
        }
        List<String> items = new ArrayList<>(signers.size());
        for (int i = 0; i < signers.size(); i++) {
            Signer s = signers.get(i);
            items.add((i + 1) + ". " + s.name() + (s.country() == null || s.country().isBlank() ? "" : " (" + s.country() + ")"));
        }
        pdf.columns(text.get("signers", text.number(signers.size())), text.get("signers.continued"), items, SIGNER_COLUMNS);
        pdf.newPage();
    }

    private static void messages(PackPdf pdf, PackText text, List<ApprovedMessage> messages) {
        pdf.newPage();
        pdf.paragraph(pdf.bold, 14, java.awt.Color.BLACK, text.get("messages", text.number(messages.size())));
        for (ApprovedMessage m : messages) {
            ApprovedMessage.Author author = m.author();
            pdf.space(6);
            pdf.paragraph(pdf.bold, 10, java.awt.Color.DARK_GRAY, (author == null ? "" : join(author.name(), author.country()))
                    + (m.language() == null ? "" : " [" + m.language() + "]"));
            pdf.paragraph(m.text());
        }
        pdf.newPage();
    }

    private static List<Map.Entry<String, String>> rows(Map<String, Long> totals,
                                                        java.util.function.Function<String, String> label, PackText text) {
        List<Map.Entry<String, String>> rows = new ArrayList<>();
        totals.forEach((key, count) -> rows.add(new AbstractMap.SimpleEntry<>(label.apply(key), text.number(count))));
        if (rows.isEmpty()) {
            rows.add(new AbstractMap.SimpleEntry<>("-", text.number(0)));
        }
        return rows;
    }

    static String join(String a, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        return b == null || b.isBlank() ? a : a + ", " + b;
    }
}

package org.w4r.delivery.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.delivery.model.ApprovedMessage;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.delivery.model.Handover;
import org.w4r.delivery.model.Signer;
import org.w4r.delivery.repository.DeliveryRepository;
import org.w4r.delivery.repository.ErasureRepository;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The delivery pack of a recorded handover: a PDF for the recipient with the case, the frozen counts and, for a
 * petition, the consented signer list, or, for solidarity letters, the approved messages (both from petition-service,
 * up to the cut-off). Refused while the case is on hold; its SHA-256 is stored on the handover before it is served.
 */
@ApplicationScoped
public class PackService {
    @Inject
    HoldGuard guard;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    DeliveryService service;

    @Inject
    DeliveryWriter writer;

    @Inject
    ReferenceData reference;

    @Inject
    PetitionDirectory petitions;

    @Inject
    ErasureRepository erasures;

    public record Pack(byte[] pdf, String sha256, String fileName) {
    }

    public Pack pack(UUID id, String authorization, String principal) {
        Delivery delivery = deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString()));
        guard.awaitCaseStream();
        // refused before anything is asked of petition-service: no signer list leaves while a case is held
        guard.refuseIfHeldNow(delivery.caseId());
        DeliveryService.Delivered delivered = service.delivered(delivery);
        Handover handover = delivered.handover();
        long erasuresBefore = erasures.erasuresOf(delivery.caseId());
        List<Signer> signers = List.of();
        List<ApprovedMessage> messages = List.of();
        try {
            if (DeliveryKinds.PETITION.equals(delivery.kind())) {
                signers = petitions.signers(delivery.caseId(), handover.cutoff(), authorization);
            } else {
                messages = petitions.approvedMessages(delivery.caseId(), authorization).stream()
                        .filter(m -> m.createdAt() == null || !m.createdAt().isAfter(handover.cutoff()))
                        .filter(m -> delivery.entityId() == null || delivery.entityId().equals(m.entityId()))
                        .sorted(Comparator.comparing(ApprovedMessage::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
                                .thenComparing(m -> String.valueOf(m.messageId())))
                        .toList();
            }
        } catch (SignerDataRetiredException e) {
            throw retired(handover);
        }
        byte[] pdf = render(delivered, reference.findCase(delivery.caseId()).orElse(null), signers, messages);
        String sha256 = sha256(pdf);
        writer.recordPack(delivery, sha256, principal, erasuresBefore);
        return new Pack(pdf, sha256, "delivery-pack-" + delivery.caseId() + "-" + id + ".pdf");
    }

    /** What is left of a pack once its campaign's signer data is gone: the SHA-256 of the last one issued, if any. */
    static ProblemException retired(Handover handover) {
        return new ProblemException(Problem.of(410, "pack-retired", "Pack retired",
                "the signer and author data of this campaign was anonymised under the retention schedule, so its pack "
                        + "cannot be built again; " + (handover.packSha256() == null ? "no pack was issued before"
                        : "a copy issued before is verified by its SHA-256 (packSha256)"))
                .with("packSha256", handover.packSha256())
                .with("packCreatedAt", handover.packCreatedAt() == null ? null : handover.packCreatedAt().toString()));
    }

    static byte[] render(DeliveryService.Delivered delivered, CaseChanged caseInfo, List<Signer> signers,
                         List<ApprovedMessage> messages) {
        Delivery d = delivered.delivery();
        Handover h = delivered.handover();
        FrozenCounts counts = delivered.counts();
        try (PackPdf pdf = new PackPdf("Delivery pack: " + d.caseId(), d.id(), h.recordedAt())) {
            pdf.heading("Write for Rights: delivery pack");
            pdf.field("Case", caseInfo == null ? d.caseId() : caseInfo.name() + " (" + d.caseId() + ")");
            pdf.field("Target", caseInfo == null ? null : caseInfo.targetAuthority());
            pdf.field("Campaign", d.campaignId());
            pdf.field("Delivery", d.kind() + " " + d.id());
            pdf.field("Recipient", d.recipientName() + " (" + d.recipientKind() + ")");
            pdf.field("Place", join(d.city(), d.country()));
            pdf.field("Entity", d.entityId() == null ? "all entities" : d.entityId());
            pdf.field("Delivered", h.deliveredAt() + " by " + h.deliveredBy());
            pdf.field("Counts up to", h.cutoff().toString());

            pdf.heading("Total: " + counts.total());
            pdf.text(DeliveryKinds.SOLIDARITY.equals(d.kind()) ? "Approved solidarity messages" : "Actions");
            pdf.heading("By entity");
            table(pdf, counts.byEntity());
            pdf.heading("By type");
            table(pdf, counts.byType());

            if (DeliveryKinds.PETITION.equals(d.kind())) {
                pdf.heading("Signers who agreed to be named (" + signers.size() + ")");
                for (Signer s : signers) {
                    pdf.paragraph(s.name() + (s.country() == null || s.country().isBlank() ? "" : ", " + s.country()));
                }
            } else {
                pdf.heading("Approved solidarity messages (" + messages.size() + ")");
                for (ApprovedMessage m : messages) {
                    ApprovedMessage.Author author = m.author();
                    pdf.space(4);
                    pdf.paragraph((author == null ? "" : join(author.name(), author.country()))
                            + (m.language() == null ? "" : " [" + m.language() + "]"));
                    pdf.paragraph(m.text());
                }
            }
            return pdf.finish();
        }
    }

    private static void table(PackPdf pdf, Map<String, Long> totals) {
        if (totals.isEmpty()) {
            pdf.text("none");
        }
        totals.forEach((key, count) -> pdf.text(key + ": " + count));
    }

    private static String join(String a, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        return b == null || b.isBlank() ? a : a + ", " + b;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

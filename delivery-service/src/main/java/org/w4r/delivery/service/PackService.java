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
import org.w4r.events.EntityChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The delivery pack of a recorded handover: a PDF for the recipient ({@link PackDocument}) with the case, the frozen
 * counts and, for a petition, the consented signer list, or, for solidarity letters, the approved messages (both from
 * petition-service, up to the cut-off), and the ZIP beside it with the same data as CSV. Refused while the case is on
 * hold; the PDF's SHA-256 is stored on the handover before either is served.
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

    @Inject
    CaseService cases;

    /** The PDF with its SHA-256 (the one stored on the handover), and the ZIP beside it when asked for. */
    public record Pack(byte[] pdf, String sha256, String fileName, String language, byte[] zip) {
    }

    /**
     * The pack in {@code language} (en, fr, es; ar and none: see {@link PackText#of}), with its ZIP if {@code withZip}.
     * Either way the PDF's digest is stored and the issue recorded: a ZIP holds the same names.
     */
    public Pack pack(UUID id, String authorization, String principal, String language, boolean withZip) {
        Delivery delivery = deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString()));
        guard.awaitCaseStream();
        // refused before anything is asked of petition-service: no signer list leaves while a case is held
        guard.refuseIfHeldNow(delivery.caseId());
        DeliveryService.Delivered delivered = service.delivered(delivery);
        long erasuresBefore = erasures.erasuresOf(delivery.caseId());
        Pack pack = build(delivery, delivered.handover(), delivered.counts(), authorization, language, withZip, false);
        writer.recordPack(delivery, pack.sha256(), principal, erasuresBefore);
        return pack;
    }

    /**
     * What the pack of a planned delivery would be if it were handed over now with this cut-off (issue 21.4: a team
     * looks at the document before it records anything): the same document, counted as a handover would freeze it,
     * marked as a preview on its cover. Nothing is frozen, stored or published; the preview is in the audit trail, as
     * it carries the same names as a pack. A recorded handover's pack is {@link #pack} itself.
     */
    public Pack preview(UUID id, Instant cutoff, String authorization, String principal, String language) {
        Delivery delivery = deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString()));
        if (!DeliveryKinds.PLANNED.equals(delivery.status())) {
            throw ProblemException.conflict("not-planned", "Not a planned delivery", "delivery " + id + " is "
                    + delivery.status() + "; a preview is for a planned delivery (a recorded one has its pack)");
        }
        guard.awaitCaseStream();
        guard.refuseIfHeldNow(delivery.caseId());
        long erasuresBefore = erasures.erasuresOf(delivery.caseId());
        FrozenCounts counts = cases.preview(delivery.caseId(), delivery.kind(), delivery.entityId(), cutoff);
        Instant now = Instant.now();
        Handover handover = new Handover(id, now, cutoff, principal, null, List.of(), principal, now, counts.total(),
                null, null);
        Pack pack = build(delivery, handover, counts, authorization, language, false, true);
        writer.recordPreview(delivery, cutoff, pack.sha256(), principal, erasuresBefore);
        return pack;
    }

    private Pack build(Delivery delivery, Handover handover, FrozenCounts counts, String authorization, String language,
                       boolean withZip, boolean preview) {
        List<Signer> signers = List.of();
        List<ApprovedMessage> messages = List.of();
        try {
            // a plan for one entity hands over that entity's actions, so its list is that entity's too, as its counts
            // and cover are; until 4 December 2026 (read-only audit) a petition pack named every entity's signers
            if (DeliveryKinds.PETITION.equals(delivery.kind())) {
                signers = petitions.signers(delivery.caseId(), delivery.entityId(), handover.cutoff(), authorization);
            } else {
                // by the time written (occurredAt), as the frozen count on the cover is: the time petition-service
                // stored a message (createdAt) may be after the cut-off for one written before it, which was then
                // counted on the cover but left out of the pages and messages.csv
                messages = petitions.approvedMessages(delivery.caseId(), delivery.entityId(), handover.cutoff(),
                                authorization).stream()
                        .filter(m -> m.occurredAt() != null && !m.occurredAt().isAfter(handover.cutoff()))
                        .filter(m -> delivery.entityId() == null || delivery.entityId().equals(m.entityId()))
                        .sorted(Comparator.comparing(ApprovedMessage::occurredAt)
                                .thenComparing(m -> String.valueOf(m.messageId())))
                        .toList();
            }
        } catch (SignerDataRetiredException e) {
            throw retired(handover);
        }
        PackContent content = new PackContent(delivery, handover, counts,
                reference.findCase(delivery.caseId()).orElse(null),
                reference.findCampaign(delivery.campaignId()).orElse(null), entities(counts, delivery),
                signers, messages);
        PackText text = PackText.of(language, delivery.country());
        byte[] list = PackContent.bytes(content.list());
        byte[] countsCsv = PackContent.bytes(content.countsTable());
        byte[] pdf = PackDocument.render(content, text, sha256(list), sha256(countsCsv), preview);
        String sha256 = sha256(pdf);
        String name = (preview ? "delivery-pack-preview-" : "delivery-pack-") + delivery.caseId() + "-" + delivery.id();
        byte[] zip = null;
        if (withZip) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(name + ".pdf", pdf);
            files.put(content.list().filename() + ".csv", list);
            files.put("counts.csv", countsCsv);
            zip = PackZip.zip(files, handover.recordedAt());
        }
        return new Pack(pdf, sha256, name + (withZip ? ".zip" : ".pdf"), text.language(), zip);
    }

    private Map<String, EntityChanged> entities(FrozenCounts counts, Delivery delivery) {
        Map<String, EntityChanged> found = new HashMap<>();
        java.util.stream.Stream.concat(counts.byEntity().keySet().stream(),
                        java.util.stream.Stream.ofNullable(delivery.entityId()))
                .forEach(entityId -> reference.findEntity(entityId).ifPresent(e -> found.put(entityId, e)));
        return found;
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

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

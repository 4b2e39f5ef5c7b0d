package org.w4r.delivery.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.delivery.model.ApprovedMessage;
import org.w4r.delivery.model.CountedMessage;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.delivery.model.Handover;
import org.w4r.delivery.model.Signer;
import org.w4r.delivery.repository.CountRepository;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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

    @Inject
    CountRepository counted;

    /**
     * A pack is built wholly in memory (the signer list, its CSV, the PDF, the ZIP): a case with 100,000 to 400,000
     * consenting signers costs hundreds of MB, and petition-service, which reads the list into its own heap, restarts
     * when two or three are asked of it at once (read-only audit, 4 December 2026). So one pack or preview is built at a
     * time in this instance; another is refused at once, before petition-service is asked, with nothing issued or
     * recorded ({@code 503 overloaded}, Retry-After), rather than queued to hold a request thread and its memory.
     */
    private final Semaphore building = new Semaphore(1);

    /** About how long a large pack takes to build: when to try again after {@code overloaded}. */
    static final int BUSY_RETRY_AFTER_SECONDS = 10;

    /** The PDF with its SHA-256 (the one stored on the handover), and the ZIP beside it when asked for. */
    public record Pack(byte[] pdf, String sha256, String fileName, String language, byte[] zip) {
    }

    /**
     * The pack in {@code language} (en, fr, es; ar and none: see {@link PackText#of}), with its ZIP if {@code withZip}.
     * Either way the PDF's digest is stored and the issue recorded: a ZIP holds the same names.
     */
    public Pack pack(UUID id, String authorization, String principal, String language, boolean withZip) {
        Delivery delivery = deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString()));
        guard.awaitCaseStream(authorization);
        // refused before anything is asked of petition-service: no signer list leaves while a case is held
        guard.refuseIfHeldNow(delivery.caseId());
        DeliveryService.Delivered delivered = service.delivered(delivery);
        return oneAtATime(() -> {
            long erasuresBefore = erasures.erasuresOf(delivery.caseId());
            Pack pack = build(delivery, delivered.handover(), delivered.counts(), counted(delivery, delivered.handover()),
                    authorization, language, withZip, false);
            settledSinceBuilt(authorization);
            writer.recordPack(delivery, pack.sha256(), principal, erasuresBefore);
            return pack;
        });
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
        guard.awaitCaseStream(authorization);
        guard.refuseIfHeldNow(delivery.caseId());
        // a preview names the same signers as a pack and costs as much to build; it can be asked again and again
        return oneAtATime(() -> {
            long erasuresBefore = erasures.erasuresOf(delivery.caseId());
            // the messages and their counts from one read, as a handover freezes them
            Set<UUID> messages = null;
            FrozenCounts counts;
            if (DeliveryKinds.SOLIDARITY.equals(delivery.kind())) {
                List<CountedMessage> found = cases.countedMessages(delivery.caseId(), delivery.entityId(), cutoff);
                messages = found.stream().map(CountedMessage::actionId).collect(Collectors.toSet());
                counts = FrozenCounts.ofMessages(found);
            } else {
                counts = cases.preview(delivery.caseId(), delivery.kind(), delivery.entityId(), cutoff);
            }
            // the pack of a handover that would be refused is no preview of anything: said as the handover says it
            CountBound.check(delivery, counts, "pack preview");
            Instant now = Instant.now();
            Handover handover = new Handover(id, now, cutoff, principal, null, List.of(), principal, now, counts.total(),
                    null, null);
            Pack pack = build(delivery, handover, counts, messages, authorization, language, false, true);
            settledSinceBuilt(authorization);
            writer.recordPreview(delivery, cutoff, pack.sha256(), principal, erasuresBefore);
            return pack;
        });
    }

    /**
     * The barrier again, once the document is built and before it is issued (outside the issuing transaction): a
     * build takes seconds, and a hold or a revocation published meanwhile may be on Kafka and not yet applied here,
     * where the hold check under the row lock (which reads only this service's two copies) and the credential check
     * made before petition-service was asked cannot see it. Until a read-only review of 6 December 2026 neither was
     * waited for, and the pack or preview of a case held meanwhile, or for a token revoked meanwhile, was served.
     * 503 {@code case-stream-behind} when the stream cannot be confirmed, 401 for a revoked credential.
     */
    private void settledSinceBuilt(String authorization) {
        guard.awaitCaseStream(authorization);
    }

    /** Builds (and issues or records) while no other pack is being built here; refuses at once otherwise. */
    private Pack oneAtATime(Supplier<Pack> work) {
        if (!building.tryAcquire()) {
            throw new UnavailableException("overloaded", "Another pack is being built",
                    "this service builds one delivery pack or preview at a time and another is being built; nothing "
                            + "was issued or recorded, send the same request again after Retry-After seconds",
                    BUSY_RETRY_AFTER_SECONDS);
        }
        try {
            return work.get();
        } finally {
            building.release();
        }
    }

    /**
     * The messages a recorded solidarity handover counted, kept with it since V9; for one recorded before, those
     * approved and still counted as of its record time, as near as reviews and corrections read now can tell. Null for
     * a petition.
     */
    private Set<UUID> counted(Delivery delivery, Handover handover) {
        if (!DeliveryKinds.SOLIDARITY.equals(delivery.kind())) {
            return null;
        }
        Set<UUID> kept = deliveries.handoverMessageIds(delivery.id());
        return !kept.isEmpty() || handover.total() == 0 ? kept : counted.approvedMessageIdsUpTo(delivery.campaignId(),
                delivery.caseId(), delivery.entityId(), handover.cutoff(), handover.recordedAt());
    }

    /** {@code countedMessages}: for solidarity letters, the ids of the messages the cover counts; only those print. */
    private Pack build(Delivery delivery, Handover handover, FrozenCounts counts, Set<UUID> countedMessages,
                       String authorization, String language, boolean withZip, boolean preview) {
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
                // counted on the cover but left out of the pages and messages.csv. And only those the cover counts:
                // petition-service's list is approved as of now (and keeps an invalidated message)
                messages = petitions.approvedMessages(delivery.caseId(), delivery.entityId(), handover.cutoff(),
                                authorization).stream()
                        .filter(m -> m.occurredAt() != null && !m.occurredAt().isAfter(handover.cutoff()))
                        .filter(m -> countedMessages.contains(m.messageId()))
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

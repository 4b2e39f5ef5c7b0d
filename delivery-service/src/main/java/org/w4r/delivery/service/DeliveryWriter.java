package org.w4r.delivery.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.delivery.model.CountedMessage;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.delivery.model.Handover;
import org.w4r.delivery.repository.CountRepository;
import org.w4r.delivery.repository.DeliveryRepository;
import org.w4r.delivery.repository.ErasureRepository;
import org.w4r.events.DeliveryCancelled;
import org.w4r.events.DeliveryPlanned;
import org.w4r.events.HandoverRecorded;
import org.w4r.events.Topics;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.outbox.Outbox;
import org.w4r.kit.problem.ProblemException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The state changes of deliveries, each one transaction with its event in the outbox: the event exists if and only
 * if the change was committed. Hold checks happen here, with the case's hold row locked, not before.
 */
@ApplicationScoped
public class DeliveryWriter {
    @Inject
    DeliveryRepository deliveries;

    @Inject
    CountRepository counts;

    @Inject
    HoldGuard guard;

    @Inject
    Outbox outbox;

    @Inject
    ErasureRepository erasures;

    @Inject
    AuditTrail audit;

    @Transactional
    public Delivery plan(Delivery delivery) {
        guard.refuseIfHeld(delivery.caseId());
        insertPlanned(delivery);
        audit.record("delivery.planned", "delivery", delivery.id().toString(), delivery.entityId(), AuditTrail.detail(
                "caseId", delivery.caseId(), "kind", delivery.kind(), "recipientKind", delivery.recipientKind(),
                "country", delivery.country()));
        return delivery;
    }

    /** Also used by the demo loader, which records history and so checks no hold. */
    @Transactional
    public Delivery insertPlanned(Delivery delivery) {
        deliveries.insert(delivery);
        outbox.add(Topics.DELIVERIES, delivery.caseId(), new DeliveryPlanned(UUID.randomUUID(), delivery.id(),
                delivery.campaignId(), delivery.caseId(), delivery.entityId(), delivery.kind(), delivery.recipientKind(),
                delivery.country(), delivery.plannedFor(), delivery.plannedAt()));
        return delivery;
    }

    @Transactional
    public void recordHandover(UUID id, Instant deliveredAt, Instant cutoff, String deliveredBy, String notes,
                               java.util.List<String> evidence, String recordedBy) {
        // The case's hold row first, then the delivery's: the order in which an erasure (ErasureRepository), a plan, a
        // pack and a preview take theirs. Until a read-only review of 6 December 2026 the delivery row came first (and
        // exclusively, see DeliveryRepository.lock), so a handover and an erasure of its case could deadlock (500).
        // A delivery's case never changes: read unlocked, it names the hold row to lock.
        String caseId = deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString())).caseId();
        guard.refuseIfHeld(caseId);
        Delivery delivery = deliveries.lock(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString()));
        if (!DeliveryKinds.PLANNED.equals(delivery.status())) {
            throw ProblemException.conflict("not-planned", "Delivery not planned",
                    "delivery " + id + " is " + delivery.status() + "; only a planned delivery can be handed over");
        }
        Handover handover = freeze(delivery, deliveredAt, cutoff, deliveredBy, notes, evidence, recordedBy);
        audit.record("delivery.handed-over", "delivery", id.toString(), delivery.entityId(), AuditTrail.detail(
                "caseId", delivery.caseId(), "cutoff", cutoff.toString(), "deliveredAt", deliveredAt.toString(),
                "actions", handover.total(), "evidence", evidence == null ? 0 : evidence.size()));
    }

    /** Freezes the counts at the cut-off and records the handover; the caller holds the delivery's row lock. */
    @Transactional
    public Handover freeze(Delivery delivery, Instant deliveredAt, Instant cutoff, String deliveredBy, String notes,
                           java.util.List<String> evidence, String recordedBy) {
        // a solidarity handover keeps the ids of the messages it counts, from the same read: its pack prints those
        List<CountedMessage> messages = DeliveryKinds.SOLIDARITY.equals(delivery.kind())
                ? counts.approvedMessagesUpTo(delivery.campaignId(), delivery.caseId(), delivery.entityId(), cutoff)
                : List.of();
        FrozenCounts frozen = DeliveryKinds.SOLIDARITY.equals(delivery.kind()) ? FrozenCounts.ofMessages(messages)
                : counts.actionsUpTo(delivery.campaignId(), delivery.caseId(), delivery.entityId(), cutoff);
        // before the insert: HandoverRecorded refuses such figures, and once failed only after it, with a 500
        CountBound.check(delivery, frozen, "handover");
        // at the database's grain: stored, published and audited as the same instant (see IsoInstant)
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Handover handover = new Handover(delivery.id(), deliveredAt, cutoff, deliveredBy, notes,
                evidence == null ? java.util.List.of() : evidence, recordedBy, now, frozen.total(), null, null);
        deliveries.insertHandover(handover, frozen);
        deliveries.insertHandoverMessages(delivery.id(), messages);
        deliveries.markDelivered(delivery.id());
        outbox.add(Topics.DELIVERIES, delivery.caseId(), new HandoverRecorded(UUID.randomUUID(), delivery.id(),
                delivery.campaignId(), delivery.caseId(), delivery.entityId(), delivery.kind(), cutoff, deliveredAt,
                frozen.total(), frozen.byEntity(), frozen.byType(), now));
        return handover;
    }

    @Transactional
    public void cancel(UUID id, String reason, String cancelledBy) {
        Delivery delivery = deliveries.lock(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString()));
        if (!DeliveryKinds.PLANNED.equals(delivery.status())) {
            throw ProblemException.conflict("not-planned", "Delivery not planned",
                    "delivery " + id + " is " + delivery.status() + "; only a planned delivery can be cancelled");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // stored and published as the same instant
        deliveries.markCancelled(id, cancelledBy, now, reason);
        audit.record("delivery.cancelled", "delivery", id.toString(), delivery.entityId(),
                AuditTrail.detail("caseId", delivery.caseId()));
        outbox.add(Topics.DELIVERIES, delivery.caseId(),
                new DeliveryCancelled(UUID.randomUUID(), id, delivery.campaignId(), delivery.caseId(), now));
    }

    /**
     * Stores the digest of a pack about to be served, refusing if a hold or an erasure of the case's signers arrived
     * while it was being built ({@code erasuresBefore}: the case's erasure count taken before): the hold row lock
     * orders this against both, so a pack issued here is either free of erased names or marked by the erasure.
     */
    @Transactional
    public void recordPack(Delivery delivery, String sha256, String issuedTo, long erasuresBefore) {
        refuseIfChangedWhileBuilt(delivery, erasuresBefore);
        // dated by the database, in the same lock order as erasures (ErasureRepository)
        deliveries.recordPack(delivery.id(), sha256, issuedTo);
        // a pack names consenting signers: who took one, and which (its digest), is what an inquiry asks first
        audit.record("delivery.pack.issued", "delivery", delivery.id().toString(), delivery.entityId(),
                AuditTrail.detail("caseId", delivery.caseId(), "sha256", sha256));
    }

    /**
     * A preview names the same signers as a pack: who looked, at which cut-off, and the digest of what they saw, kept
     * as a copy an erasure can name for destruction (until 6 December 2026 only the audit trail had it, and an erasure
     * marked nothing). Refused as a pack is when a hold or an erasure arrived while it was being built (until 4
     * December 2026 it was checked only before petition-service was asked, so a hold placed meanwhile let the names
     * out). And refused when the delivery was cancelled or handed over meanwhile: a plan is called off when a danger
     * appears, and until a read-only review of 7 December 2026 a preview whose build began before the cancellation
     * was still served after it had been answered, with the names. Its row is locked after the hold's, in the order
     * of {@link #recordHandover}, so a cancellation or a handover either commits first (and this refuses) or waits.
     */
    @Transactional
    public void recordPreview(Delivery delivery, Instant cutoff, String sha256, String previewedBy, long erasuresBefore) {
        refuseIfChangedWhileBuilt(delivery, erasuresBefore);
        Delivery now = deliveries.lock(delivery.id())
                .orElseThrow(() -> ProblemException.notFound("delivery", delivery.id().toString()));
        if (!DeliveryKinds.PLANNED.equals(now.status())) {
            throw ProblemException.conflict("not-planned", "Not a planned delivery", "delivery " + delivery.id()
                    + " is " + now.status() + " since the preview was asked for; nothing was served");
        }
        deliveries.recordPreview(delivery.id(), cutoff, sha256, previewedBy);
        audit.record("delivery.pack.previewed", "delivery", delivery.id().toString(), delivery.entityId(),
                AuditTrail.detail("caseId", delivery.caseId(), "cutoff", cutoff.toString(), "sha256", sha256));
    }

    private void refuseIfChangedWhileBuilt(Delivery delivery, long erasuresBefore) {
        guard.refuseIfHeld(delivery.caseId());
        if (erasures.erasuresOf(delivery.caseId()) != erasuresBefore) {
            throw new UnavailableException("pack-outdated", "Pack outdated",
                    "signers or message authors of this case were erased while the pack was being built; nothing was "
                            + "issued, ask again for a pack without them", 1);
        }
    }
}

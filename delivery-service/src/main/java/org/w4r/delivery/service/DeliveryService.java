package org.w4r.delivery.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.DeliveryRecord;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.delivery.model.PreviewErasure;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.delivery.messaging.StreamProgress;
import org.w4r.delivery.repository.DeliveryRepository;
import org.w4r.delivery.repository.ErasureRepository;
import org.w4r.events.Topics;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Plans, handovers and cancellations: check the rules a request's shape cannot say (the case and entity exist, a
 * handover is not in the future; 400), wait for the case stream (503) and check the caller's credential again (401),
 * then change state in one transaction that checks the hold (409; not for a cancellation).
 */
@ApplicationScoped
public class DeliveryService {
    static final int MAX_LIST = 500;
    /** How far a handover's time may run ahead of this service's clock. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    @Inject
    ReferenceData reference;

    @Inject
    HoldGuard guard;

    @Inject
    DeliveryWriter writer;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    StreamProgress progress;

    @Inject
    ErasureRepository erasures;

    @ConfigProperty(name = "w4r.delivery.count-barrier", defaultValue = "PT5S")
    Duration countBarrier;

    /** {@code authorization}: the request's header, to ask again after the barrier whether it is still valid. */
    public DeliveryRecord plan(PlanCommand command, String principal, String authorization) {
        CaseChanged caseInfo = reference.findCase(command.caseId())
                .orElseThrow(() -> ProblemException.invalid("caseId", "case '" + command.caseId() + "' does not exist"));
        if (command.entityId() != null && reference.findEntity(command.entityId()).isEmpty()) {
            throw ProblemException.invalid("entityId", "entity '" + command.entityId() + "' does not exist");
        }
        Delivery delivery = new Delivery(UUID.randomUUID(), caseInfo.campaignId(), caseInfo.caseId(), command.entityId(),
                command.kind(), command.recipientKind(), command.recipientName(), command.city(), command.country(),
                command.plannedFor(), DeliveryKinds.PLANNED, principal, Instant.now().truncatedTo(ChronoUnit.MICROS),
                null, null, null);
        guard.awaitCaseStream(authorization);
        return committed(() -> {
            writer.plan(delivery);
            return find(delivery.id());
        });
    }

    public DeliveryRecord recordHandover(UUID id, HandoverCommand command, String principal, String authorization) {
        Instant now = Instant.now();
        if (command.deliveredAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw ProblemException.invalid("deliveredAt", "'deliveredAt' is in the future: record a handover once it is done");
        }
        // deliveredAt is the browser's clock, allowed CLOCK_SKEW ahead of ours; a cut-off must not be in the future
        // (counts are frozen up to it), so a default one is never later than now: a handover recorded "now" from a
        // browser 2 s ahead was refused with 400 for a cut-off nobody gave
        Instant cutoff = command.cutoff() != null ? command.cutoff()
                : earliest(command.deliveredAt(), now.truncatedTo(ChronoUnit.MICROS));
        if (cutoff.isAfter(command.deliveredAt())) {
            throw ProblemException.invalid("cutoff", "'cutoff' must not be after 'deliveredAt'");
        }
        if (cutoff.isAfter(now)) {
            throw ProblemException.invalid("cutoff", "'cutoff' must not be in the future: counts are frozen up to it");
        }
        Delivery delivery = deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString()));
        // freeze only once everything already on Kafka that its counts are made of is counted, so the frozen numbers
        // are the tally's: the actions for a petition, the reviews for solidarity messages. Both were waited for until
        // a review of 6 December 2026, so either topic's lag held the other kind's handovers (moderation is judged by
        // offsets committed up to 5 s late on another instance: StreamProgress)
        String counted = DeliveryKinds.SOLIDARITY.equals(delivery.kind()) ? Topics.MODERATION : Topics.ACTIONS;
        if (!progress.awaitApplied(List.of(counted), countBarrier)) {
            throw new UnavailableException("counts-behind", "Counts not up to date",
                    "this service has not yet counted every action already on the stream; nothing was recorded, try again shortly", 5);
        }
        // the hold barrier last, right before the transaction: the count barrier can wait seconds, and a hold (or a
        // revocation) published meanwhile must be applied here before the check under the row lock. It came first
        // until a read-only review of 6 December 2026, and such a hold was missed
        guard.awaitCaseStream(authorization);
        return committed(() -> {
            writer.recordHandover(id, command.deliveredAt(), cutoff, command.deliveredBy(), command.notes(),
                    command.evidence(), principal);
            return find(id);
        });
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isAfter(b) ? b : a;
    }

    /**
     * {@code reason} may be null. No hold check (calling a delivery off is always safe), but the caller's credential is
     * asked for again after the reference stream, where a revocation is found (a read-only review, 6 December 2026);
     * a stream behind is no reason to refuse.
     */
    public DeliveryRecord cancel(UUID id, String reason, String principal, String authorization) {
        deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString()));
        guard.awaitCredentials(authorization);
        return committed(() -> {
            writer.cancel(id, reason, principal);
            return find(id);
        });
    }

    /**
     * A write and the read of its answer in one transaction. Incident (issue 14): PostgreSQL stopped under load, and
     * a handover committed, then the read of its answer after the commit failed: a 500 for a recorded handover, which
     * the caller took for "not recorded". Read before the commit, a failure can only mean nothing was stored (503
     * database-unavailable); only the commit itself is ambiguous (503 outcome-unknown, kit DatabaseProblems).
     */
    private static DeliveryRecord committed(java.util.function.Supplier<DeliveryRecord> writeAndRead) {
        return QuarkusTransaction.joiningExisting().call(writeAndRead::get);
    }

    public DeliveryRecord find(UUID id) {
        return record(deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString())));
    }

    /** Plans by planned date, at most {@link #MAX_LIST}; {@code caseId} and {@code status} null for any. */
    public List<DeliveryRecord> list(String caseId, String status) {
        return deliveries.list(caseId, status, MAX_LIST).stream().map(this::record).toList();
    }

    private DeliveryRecord record(Delivery d) {
        PreviewErasure previews = erasures.previewNotice(d.id()).orElse(null);
        if (!DeliveryKinds.DELIVERED.equals(d.status())) {
            return new DeliveryRecord(d, null, null, null, previews);
        }
        return new DeliveryRecord(d, deliveries.findHandover(d.id()).orElseThrow(), deliveries.frozenCounts(d.id()),
                erasures.notice(d.id()).orElse(null), previews);
    }

    /** For the pack: the delivery with its handover and frozen counts. */
    public record Delivered(Delivery delivery, org.w4r.delivery.model.Handover handover, FrozenCounts counts) {
    }

    public Delivered delivered(Delivery d) {
        if (!DeliveryKinds.DELIVERED.equals(d.status())) {
            throw ProblemException.conflict("not-delivered", "No handover yet",
                    "delivery " + d.id() + " is " + d.status() + "; a pack is made for a recorded handover, with its frozen counts");
        }
        return new Delivered(d, deliveries.findHandover(d.id()).orElseThrow(), deliveries.frozenCounts(d.id()));
    }
}

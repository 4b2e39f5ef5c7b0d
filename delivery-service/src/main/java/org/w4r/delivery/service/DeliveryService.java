package org.w4r.delivery.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.delivery.model.CancelRequest;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.DeliveryView;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.delivery.model.HandoverRequest;
import org.w4r.delivery.model.PlanRequest;
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
import java.util.Locale;
import java.util.UUID;

/**
 * Plans, handovers and cancellations: validate the request (400), wait for the case stream (503), then change
 * state in one transaction that checks the hold (409).
 */
@ApplicationScoped
public class DeliveryService {
    static final int MAX_LIST = 500;

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

    public DeliveryView plan(PlanRequest request, String principal) {
        Validation.Plan valid = Validation.plan(request, Instant.now());
        CaseChanged caseInfo = reference.findCase(request.caseId().trim())
                .orElseThrow(() -> ProblemException.invalid("caseId", "case '" + request.caseId() + "' does not exist"));
        String entityId = Validation.trimmed(request.entityId());
        if (entityId != null && reference.findEntity(entityId).isEmpty()) {
            throw ProblemException.invalid("entityId", "entity '" + entityId + "' does not exist");
        }
        String city = request.place() == null ? null : Validation.trimmed(request.place().city());
        String country = request.place() == null || request.place().country() == null ? null
                : request.place().country().toUpperCase(Locale.ROOT);
        Delivery delivery = new Delivery(UUID.randomUUID(), caseInfo.campaignId(), caseInfo.caseId(), entityId,
                request.kind(), request.recipient().kind(), request.recipient().name().trim(), city, country,
                valid.plannedFor(), DeliveryKinds.PLANNED, principal, Instant.now().truncatedTo(ChronoUnit.MICROS),
                null, null, null);
        guard.awaitCaseStream();
        return committed(() -> {
            writer.plan(delivery);
            return view(delivery.id());
        });
    }

    public DeliveryView recordHandover(UUID id, HandoverRequest request, String principal) {
        Validation.Handover valid = Validation.handover(request, Instant.now());
        deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString()));
        guard.awaitCaseStream();
        // freeze only once every action and review already on Kafka is counted, so the frozen numbers are the tally's
        if (!progress.awaitApplied(List.of(Topics.ACTIONS, Topics.MODERATION), countBarrier)) {
            throw new UnavailableException("counts-behind", "Counts not up to date",
                    "this service has not yet counted every action already on the stream; nothing was recorded, try again shortly", 5);
        }
        List<String> evidence = request.evidence() == null ? List.of() : request.evidence();
        return committed(() -> {
            writer.recordHandover(id, valid.deliveredAt(), valid.cutoff(), request.deliveredBy().trim(),
                    Validation.trimmed(request.notes()), evidence, principal);
            return view(id);
        });
    }

    public DeliveryView cancel(UUID id, CancelRequest request, String principal) {
        String reason = request == null ? null : Validation.cancelReason(request.reason());
        return committed(() -> {
            writer.cancel(id, reason, principal);
            return view(id);
        });
    }

    /**
     * A write and the read of its answer in one transaction. Incident (issue 14): PostgreSQL stopped under load, and
     * a handover committed, then the read of its answer after the commit failed: a 500 for a recorded handover, which
     * the caller took for "not recorded". Read before the commit, a failure can only mean nothing was stored (503
     * database-unavailable); only the commit itself is ambiguous (503 outcome-unknown, kit DatabaseProblems).
     */
    private static DeliveryView committed(java.util.function.Supplier<DeliveryView> writeAndRead) {
        return QuarkusTransaction.joiningExisting().call(writeAndRead::get);
    }

    public DeliveryView view(UUID id) {
        return view(deliveries.find(id).orElseThrow(() -> ProblemException.notFound("delivery", id.toString())));
    }

    public List<DeliveryView> list(String caseId, String status) {
        return deliveries.list(Validation.caseIdFilter(caseId), Validation.status(status), MAX_LIST).stream().map(this::view).toList();
    }

    private DeliveryView view(Delivery d) {
        if (!DeliveryKinds.DELIVERED.equals(d.status())) {
            return DeliveryView.of(d, null, null);
        }
        return DeliveryView.of(d, deliveries.findHandover(d.id()).orElseThrow(), deliveries.frozenCounts(d.id()),
                erasures.notice(d.id()).orElse(null));
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

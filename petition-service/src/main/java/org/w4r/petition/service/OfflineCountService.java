package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.w4r.events.ActionType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.Mode;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.model.OfflineCorrection;
import org.w4r.petition.model.OfflineCount;
import org.w4r.petition.rest.ActionResults;
import org.w4r.petition.rest.CorrectionRequest;
import org.w4r.petition.rest.OfflineCountRequest;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Offline counts as a ledger: entries are never edited; corrections are new entries, and never go below zero. */
@ApplicationScoped
public class OfflineCountService {
    static final long MAX_COUNT = 1_000_000;
    static final Set<ActionType> TYPES = EnumSet.complementOf(EnumSet.of(ActionType.MESSAGE));

    @Inject
    ActionRules rules;

    @Inject
    ActionLedger ledger;

    public record Checked(OfflineCountRequest request, String caseId, ActionType type, long count,
                          CampaignChanged campaign, Instant occurredAt, Instant now) {
    }

    public record Corrected(UUID correctionId, UUID offlineCountId, long delta, long net) {
    }

    @Transactional
    public ActionResults report(String entityId, OfflineCountRequest request) {
        return write(entityId, check(entityId, request));
    }

    public Checked check(String entityId, OfflineCountRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'type', 'count' and 'event' is required");
        }
        ActionType type = OnlineActionService.type(request.type(), TYPES);
        long count = Inputs.count("count", request.count(), MAX_COUNT, false);
        if (request.event() == null) {
            throw ProblemException.invalid("event", "'event' with 'name' and 'date' is required");
        }
        Inputs.text("event.name", request.event().name(), 300);
        Inputs.optionalText("event.place", request.event().place(), 300);
        if (request.event().date() == null) {
            throw ProblemException.invalid("event.date", "'event.date' is required (YYYY-MM-DD)");
        }
        Inputs.date("event.date", request.event().date());
        String caseId = Inputs.caseId(request.caseId());
        String campaignId = Inputs.optionalId("campaignId", request.campaignId());
        Instant now = ActionRules.now();
        if (request.event().date().isAfter(now.atZone(ZoneOffset.UTC).toLocalDate())) {
            throw ProblemException.invalid("event.date", "'event.date' is in the future");
        }
        // dated noon UTC of the event's day (or now, for an event today), so it lands on that day in the tally
        Instant noon = request.event().date().atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC);
        Instant occurredAt = noon.isAfter(now) ? now : noon;
        return new Checked(request, caseId, type, count, rules.check(entityId, caseId, campaignId, occurredAt), occurredAt, now);
    }

    public ActionResults write(String entityId, Checked c) {
        OfflineCount entry = new OfflineCount();
        entry.actionId = UUID.randomUUID();
        entry.campaignId = c.campaign().campaignId();
        entry.caseId = c.caseId();
        entry.entityId = entityId;
        entry.type = c.type().code();
        entry.count = c.count();
        entry.eventName = c.request().event().name().trim();
        entry.eventDate = c.request().event().date();
        entry.eventPlace = Inputs.optionalText("event.place", c.request().event().place(), 300);
        entry.occurredAt = c.occurredAt();
        entry.recordedAt = c.now();
        entry.persist();
        ledger.recorded(entry.actionId, entry.campaignId, entry.caseId, entityId, c.type(), Mode.OFFLINE, entry.count,
                entry.occurredAt, entry.recordedAt);
        return new ActionResults(List.of(new ActionResults.Result(c.caseId(), entry.actionId, ActionResults.Result.ACCEPTED)));
    }

    /** Refusals come before any write, so they need not undo a batch this joins. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Corrected correct(String entityId, UUID offlineCountId, CorrectionRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'delta' and 'reason' is required");
        }
        Inputs.count("delta", request.delta(), MAX_COUNT, true);
        String reason = Inputs.text("reason", request.reason(), 1000);
        OfflineCount entry = OfflineCount.findById(offlineCountId, LockModeType.PESSIMISTIC_WRITE);
        if (entry == null || !entry.entityId.equals(entityId)) {
            throw ProblemException.notFound("offline count", offlineCountId.toString());
        }
        // entities are written at commit: an earlier correction of this transaction (a batch) must count here
        OfflineCorrection.flush();
        long net = entry.count + OfflineCorrection.sumFor(offlineCountId) + request.delta();
        if (net < 0) {
            throw new ProblemException(Problem.of(422, "count-below-zero", "Correction too large",
                    "this correction would bring the count below zero (it would be " + net + ")").with("net", net));
        }
        OfflineCorrection correction = new OfflineCorrection();
        correction.correctionId = UUID.randomUUID();
        correction.actionId = offlineCountId;
        correction.delta = request.delta();
        correction.reason = reason;
        correction.recordedAt = ActionRules.now();
        correction.persist();
        ledger.corrected(entry.actionId, entry.campaignId, entry.caseId, entityId, ActionType.of(entry.type),
                Mode.OFFLINE, request.delta(), entry.occurredAt, correction.recordedAt);
        return new Corrected(correction.correctionId, offlineCountId, request.delta(), net);
    }
}

package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.model.CaseHold;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cases: creation, edits, the draft → active → closed lifecycle, and safety holds.
 *
 * <p>Every change reads the case with a row lock ({@link #findForChange}), so two staff acting on one case at once
 * take turns: an edit read before a hold committed can no longer write the case back without it, and the case's
 * events enter the outbox in commit order. The {@code @Version} stays as a second guard; a stale write it still
 * catches is a 409 {@code concurrent-change} (see the rest package's PersistenceProblems).
 */
@ApplicationScoped
public class CaseService {
    static final Map<String, Set<String>> TRANSITIONS = Map.of(
            "draft", Set.of("active", "closed"),
            "active", Set.of("closed"),
            "closed", Set.of());

    @Inject
    ReferencePublisher publisher;

    public record CaseInput(String caseId, String campaignId, String name, String country, String targetAuthority,
                            String scope, String localEntityId, Long goal, String status, Boolean publicCounter) {
    }

    /** A case and the outbox row announcing it, to wait on when the change must be seen everywhere. */
    public record Change(CaseFile caseFile, long outboxId) {
    }

    @Transactional
    public CaseFile create(CaseInput in) {
        CaseFile c = new CaseFile();
        c.id = Validation.slug("caseId", in.caseId());
        if (CaseFile.findById(c.id) != null) {
            throw ProblemException.conflict("duplicate-id", "Duplicate case", "case '" + c.id + "' exists already");
        }
        Campaign campaign = CampaignService.find(Validation.slug("campaignId", in.campaignId()));
        if (!campaign.closesAt.isAfter(Instant.now())) {
            throw new ProblemException(Problem.of(422, "campaign-closed", "Campaign closed",
                    "campaign '" + campaign.id + "' closed at " + campaign.closesAt + "; no cases can be added")
                    .with("campaignId", campaign.id));
        }
        c.campaignId = campaign.id;
        c.name = Validation.text("name", in.name(), 200);
        c.country = Validation.country("country", in.country(), true);
        c.targetAuthority = Validation.optionalText("targetAuthority", in.targetAuthority(), 300);
        c.scope = Validation.oneOf("scope", in.scope() == null ? "global" : in.scope(), Set.of("global", "local"));
        if ("local".equals(c.scope)) {
            c.localEntityId = Validation.slug("localEntityId", in.localEntityId());
            if (ActionEntity.findById(c.localEntityId) == null) {
                throw ProblemException.notFound("entity", c.localEntityId);
            }
        } else if (in.localEntityId() != null) {
            throw ProblemException.invalid("localEntityId", "only a local case names a 'localEntityId'");
        }
        c.goal = Validation.goal("goal", in.goal());
        c.status = Validation.oneOf("status", in.status() == null ? "draft" : in.status(), TRANSITIONS.keySet());
        c.publicCounter = in.publicCounter() == null || in.publicCounter();
        c.changedAt = Instant.now();
        c.persist();
        publisher.caseFile(c);
        return c;
    }

    @Transactional
    public CaseFile update(String caseId, CaseInput in) {
        CaseFile c = findForChange(caseId);
        if (in.name() != null) {
            c.name = Validation.text("name", in.name(), 200);
        }
        if (in.targetAuthority() != null) {
            c.targetAuthority = Validation.optionalText("targetAuthority", in.targetAuthority(), 300);
        }
        if (in.country() != null) {
            c.country = Validation.country("country", in.country(), true);
        }
        if (in.goal() != null) {
            c.goal = Validation.goal("goal", in.goal());
        }
        if (in.publicCounter() != null) {
            c.publicCounter = in.publicCounter();
        }
        if (in.status() != null && !in.status().equals(c.status)) {
            transition(c, in.status());
        }
        c.changedAt = Instant.now();
        publisher.caseFile(c);
        return c;
    }

    @Transactional
    public CaseFile changeStatus(String caseId, String status) {
        CaseFile c = findForChange(caseId);
        transition(c, status);
        c.changedAt = Instant.now();
        publisher.caseFile(c);
        return c;
    }

    @Transactional
    public Change placeHold(String caseId, String reason, String by) {
        String why = Validation.text("reason", reason, 1000);
        CaseFile c = findForChange(caseId);
        if (c.onHold()) {
            throw ProblemException.conflict("already-on-hold", "Already on hold",
                    "case '" + caseId + "' has been on hold since " + c.holdPlacedAt);
        }
        Instant now = Instant.now();
        CaseHold hold = new CaseHold();
        hold.caseId = caseId;
        hold.reason = why;
        hold.placedBy = by;
        hold.placedAt = now;
        hold.persist();
        c.holdId = hold.id;
        c.holdReason = why;
        c.holdPlacedBy = by;
        c.holdPlacedAt = now;
        c.changedAt = now;
        return new Change(c, publisher.caseFile(c));
    }

    @Transactional
    public Change liftHold(String caseId, String by) {
        CaseFile c = findForChange(caseId);
        CaseHold hold = (c.onHold() ? CaseHold.open(caseId) : Optional.<CaseHold>empty())
                .orElseThrow(() -> ProblemException.conflict("not-on-hold", "Not on hold",
                        "case '" + caseId + "' is not on hold"));
        Instant now = Instant.now();
        hold.liftedBy = by;
        hold.liftedAt = now;
        c.holdId = null;
        c.holdReason = null;
        c.holdPlacedBy = null;
        c.holdPlacedAt = null;
        c.changedAt = now;
        return new Change(c, publisher.caseFile(c));
    }

    public static CaseFile find(String caseId) {
        CaseFile c = CaseFile.findById(Validation.existingId("case", caseId));
        if (c == null) {
            throw ProblemException.notFound("case", caseId);
        }
        return c;
    }

    /** The case, locked until this transaction ends: a concurrent change of it waits for this one to commit. */
    static CaseFile findForChange(String caseId) {
        CaseFile c = CaseFile.findById(Validation.existingId("case", caseId), LockModeType.PESSIMISTIC_WRITE);
        if (c == null) {
            throw ProblemException.notFound("case", caseId);
        }
        return c;
    }

    private static void transition(CaseFile c, String to) {
        Validation.oneOf("status", to, TRANSITIONS.keySet());
        if (!TRANSITIONS.get(c.status).contains(to)) {
            throw new ProblemException(Problem.of(409, "invalid-transition", "Invalid status change",
                    "case '" + c.id + "' cannot go from " + c.status + " to " + to + "; allowed: "
                            + (TRANSITIONS.get(c.status).isEmpty() ? "none" : TRANSITIONS.get(c.status)))
                    .with("from", c.status).with("to", to));
        }
        if ("active".equals(to)) {
            Campaign campaign = Campaign.findById(c.campaignId);
            if (!campaign.closesAt.isAfter(Instant.now())) {
                throw new ProblemException(Problem.of(422, "campaign-closed", "Campaign closed",
                        "campaign '" + campaign.id + "' closed at " + campaign.closesAt + "; its cases cannot be activated"));
            }
        }
        c.status = to;
    }
}

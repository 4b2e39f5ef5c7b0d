package org.w4r.delivery.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.delivery.model.CountedMessage;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.delivery.repository.CountRepository;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The cases as delivery teams need them (target, status, hold), from this service's own read model of the case
 * events, never from case-service directly; and what a handover would freeze now.
 */
@ApplicationScoped
public class CaseService {
    @Inject
    ReferenceData reference;

    @Inject
    CountRepository counts;

    public List<CaseChanged> list() {
        return reference.cases().stream().sorted(Comparator.comparing(CaseChanged::caseId)).toList();
    }

    public CaseChanged find(String caseId) {
        return reference.findCase(caseId).orElseThrow(() -> ProblemException.notFound("case", caseId));
    }

    /**
     * What a handover with this cut-off would freeze right now (petition: every action; solidarity: approved
     * messages), from this service's own ledger: lets a team check the numbers before recording.
     * {@code entityId} null for every entity.
     */
    public FrozenCounts preview(String caseId, String kind, String entityId, Instant until) {
        CaseChanged c = find(caseId);
        return DeliveryKinds.SOLIDARITY.equals(kind)
                ? counts.approvedMessageCounts(c.campaignId(), caseId, entityId, until)
                : counts.actionsUpTo(c.campaignId(), caseId, entityId, until);
    }

    /** The messages a solidarity handover with this cut-off would count right now, each with its entity. */
    public List<CountedMessage> countedMessages(String caseId, String entityId, Instant until) {
        return counts.approvedMessagesUpTo(find(caseId).campaignId(), caseId, entityId, until);
    }
}

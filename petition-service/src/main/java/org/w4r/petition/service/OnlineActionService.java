package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.events.ActionType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.Mode;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.model.OnlineAction;
import org.w4r.petition.rest.ActionRequest;
import org.w4r.petition.rest.ActionResults;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Online actions that count every time they are reported: letters, emails, tweets, SMS, postcards, … */
@ApplicationScoped
public class OnlineActionService {
    /** Signatures and messages have their own endpoints and rules. */
    static final Set<ActionType> TYPES = EnumSet.complementOf(EnumSet.of(ActionType.SIGNATURE, ActionType.MESSAGE));

    @Inject
    ActionRules rules;

    @Inject
    ActionLedger ledger;

    public record Checked(String caseId, ActionType type, CampaignChanged campaign, Instant occurredAt, Instant now) {
    }

    @Transactional
    public ActionResults record(String entityId, ActionRequest request) {
        return write(entityId, check(entityId, request));
    }

    public Checked check(String entityId, ActionRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'type' is required");
        }
        ActionType type = type(request.type(), TYPES);
        String caseId = Inputs.caseId(request.caseId());
        Instant now = ActionRules.now();
        String campaignId = Inputs.optionalId("campaignId", request.campaignId());
        Instant occurredAt = rules.occurredAt(Inputs.occurredAt("occurredAt", request.occurredAt()), now);
        return new Checked(caseId, type, rules.check(entityId, caseId, campaignId, occurredAt), occurredAt, now);
    }

    public ActionResults write(String entityId, Checked c) {
        UUID actionId = UUID.randomUUID();
        OnlineAction action = new OnlineAction();
        action.actionId = actionId;
        action.campaignId = c.campaign().campaignId();
        action.caseId = c.caseId();
        action.entityId = entityId;
        action.type = c.type().code();
        action.occurredAt = c.occurredAt();
        action.recordedAt = c.now();
        action.persist();
        ledger.recorded(actionId, c.campaign().campaignId(), c.caseId(), entityId, c.type(), Mode.ONLINE, 1,
                c.occurredAt(), c.now());
        return new ActionResults(List.of(new ActionResults.Result(c.caseId(), actionId, ActionResults.Result.ACCEPTED)));
    }

    static ActionType type(String code, Set<ActionType> allowed) {
        List<String> names = allowed.stream().map(ActionType::code).sorted().toList();
        if (code == null) {
            throw ProblemException.invalid("type", "'type' is required, one of " + names);
        }
        try {
            ActionType type = ActionType.valueOf(code.trim().toUpperCase(Locale.ROOT));
            if (allowed.contains(type)) {
                return type;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw ProblemException.invalid("type", "'type' must be one of " + names);
    }
}

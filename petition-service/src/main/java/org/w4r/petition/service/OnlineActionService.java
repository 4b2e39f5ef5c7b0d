package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.model.OnlineAction;
import org.w4r.petition.repository.OnlineActionRepository;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Online actions that count every time they are reported: letters, emails, tweets, SMS, postcards, … */
@ApplicationScoped
public class OnlineActionService extends ActionRecorder {
    /** Signatures and messages have their own endpoints and rules. */
    public static final Set<ActionType> TYPES = EnumSet.complementOf(EnumSet.of(ActionType.SIGNATURE, ActionType.MESSAGE));

    @Inject
    OnlineActionRepository actions;

    /**
     * An action as reported: {@code caseId} null for none; {@code campaignId} null for the case's campaign, or the
     * current one for an action without a case; {@code occurredAt} null for now.
     */
    public record NewAction(String caseId, ActionType type, Instant occurredAt, String campaignId) {
    }

    /** Everything that can refuse the action, before anything is written; then the command that records it. */
    public Command<Recorded> check(String entityId, NewAction a) {
        Instant now = ActionRules.now();
        return record(entityId, a.caseId(), a.campaignId(), rules.occurredAt(a.occurredAt(), now), now, a.type(),
                Mode.ONLINE, 1, actions, () -> {
                    OnlineAction action = new OnlineAction();
                    action.type = a.type().code();
                    return action;
                });
    }

    /** The type a caller named, if it is one of {@code allowed}; otherwise a 400 naming {@code type}. */
    public static ActionType type(String code, Set<ActionType> allowed) {
        if (code == null) {
            throw ProblemException.invalid("type", "'type' is required, one of " + names(allowed));
        }
        try {
            ActionType type = ActionType.valueOf(code.trim().toUpperCase(Locale.ROOT));
            if (allowed.contains(type)) {
                return type;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw ProblemException.invalid("type", "'type' must be one of " + names(allowed));
    }

    // only for a refusal: built for every action it was 5 % of petition-service's CPU in a batched replay (JFR, 7
    // December 2026)
    private static List<String> names(Set<ActionType> allowed) {
        return allowed.stream().map(ActionType::code).sorted().toList();
    }
}

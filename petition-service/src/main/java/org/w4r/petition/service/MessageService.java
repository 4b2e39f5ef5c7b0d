package org.w4r.petition.service;

import org.w4r.kit.audit.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.ActionType;
import org.w4r.events.MessageReviewed;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.model.Message;
import org.w4r.petition.model.MessageFilter;
import org.w4r.petition.model.WaitingMessages;
import org.w4r.petition.repository.MessageRepository;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Solidarity messages: counted as an action when accepted, then reviewed by a moderator. Only approved messages
 * are ever delivered; one rejected as abuse is also taken back out of the counts by a correction.
 */
@ApplicationScoped
public class MessageService extends ActionRecorder {
    @Inject
    AuditTrail audit;

    @Inject
    SignerHasher hasher;

    @Inject
    MessageRepository messages;

    /**
     * A message as submitted; {@code authorCountry}, {@code authorEmail} (kept only as its keyed hash), {@code language}
     * and {@code occurredAt} may be null.
     */
    public record NewMessage(String caseId, String authorName, String authorCountry, String authorEmail, String text,
                             String language, Instant occurredAt) {
    }

    /** A moderator's decision; {@code reason} is required to reject; only a rejection can be {@code abuse}. */
    public record Decision(boolean approve, String reason, boolean abuse) {
    }

    /** Everything that can refuse the message, before anything is written; then the command that records it. */
    public Command<Recorded> check(String entityId, NewMessage m) {
        Instant now = ActionRules.now();
        String emailHmac = m.authorEmail() == null ? null : hasher.hash(m.authorEmail());
        return record(entityId, m.caseId(), null, rules.occurredAt(m.occurredAt(), now), now, ActionType.MESSAGE,
                Mode.ONLINE, 1, messages, () -> {
                    Message message = new Message();
                    message.language = m.language();
                    message.status = Message.PENDING;
                    if (emailHmac != null && messages.authorErased(emailHmac, entityId)) {
                        // its author was erased for this entity: stored as the erasure leaves a message
                        // (MessageRepository#erase), counted, never moderated nor delivered
                        message.text = "";
                        message.erasedAt = now;
                        return message;
                    }
                    message.authorName = m.authorName();
                    message.authorCountry = m.authorCountry();
                    message.authorEmailHmac = emailHmac == null ? null : HexFormat.of().parseHex(emailHmac);
                    message.text = m.text();
                    return message;
                });
    }

    /** The outcome of one message of a bulk decision: decided now, or reported as it stands (reviewed or erased before). */
    public record Reviewed(Message message, boolean decidedNow) {
    }

    /** The command that reviews a message, once; refused (409) if it was reviewed or erased meanwhile. */
    public Command<Message> decide(UUID messageId, Decision decision, String moderator) {
        AuditTrail.Entry reviewed = reviewEntry(decision).withSubject(messageId.toString());
        return work -> {
            Message m = messages.lockForReview(messageId);
            if (m == null) {
                throw ProblemException.notFound("message", messageId.toString());
            }
            if (m.erasedAt != null) {
                // its author asked to be forgotten: approving it would send an empty message back towards delivery
                throw ProblemException.conflict("message-erased", "Message erased",
                        "message " + messageId + " was erased at its author's request; it is no longer moderated");
            }
            if (!Message.PENDING.equals(m.status)) {
                throw new ProblemException(Problem.of(409, "already-reviewed", "Already reviewed",
                        "message " + messageId + " was " + m.status + " by " + m.reviewedBy + " at " + m.reviewedAt)
                        .with("reviewStatus", m.status)); // not "status": that is the problem's HTTP status
            }
            if (decision.abuse() && m.invalidationId == null) {
                requireCountsOpen(m.campaignId);
            }
            review(work, m, decision, moderator, reviewed);
            return m;
        };
    }

    /**
     * The command that reviews the messages a moderator saw, in one transaction, each exactly as {@link #decide} would:
     * the same event, correction and audit entry. Idempotent: a message reviewed or erased meanwhile (by another
     * moderator, or this call sent again) is reported as it stands, not decided again. Refused as a whole (422) when an
     * id is not a message of {@code campaignId}: then what the moderator saw is not what was sent.
     */
    public Command<List<Reviewed>> decideAll(String campaignId, List<UUID> messageIds, Decision decision, String moderator) {
        AuditTrail.Entry reviewed = reviewEntry(decision);
        return work -> {
            Map<UUID, Message> found = new HashMap<>();
            for (Message m : messages.lockAllForReview(messageIds)) {
                if (campaignId.equals(m.campaignId)) {
                    found.put(m.actionId, m);
                }
            }
            List<String> strangers = messageIds.stream().filter(id -> !found.containsKey(id)).map(UUID::toString).toList();
            if (!strangers.isEmpty()) {
                throw new ProblemException(Problem.of(422, "not-in-campaign", "Not messages of this campaign",
                        strangers.size() + " of the ids are no message of campaign " + campaignId + "; nothing was decided")
                        .with("messageIds", strangers));
            }
            // one campaign; a call sent again, with nothing left to decide, is answered as before, not refused
            if (decision.abuse() && found.values().stream().anyMatch(m -> m.erasedAt == null
                    && Message.PENDING.equals(m.status) && m.invalidationId == null)) {
                requireCountsOpen(campaignId);
            }
            List<Reviewed> outcomes = new ArrayList<>(messageIds.size());
            for (UUID id : messageIds) {
                Message m = found.get(id);
                boolean open = m.erasedAt == null && Message.PENDING.equals(m.status);
                if (open) {
                    review(work, m, decision, moderator, reviewed.withSubject(id.toString()));
                }
                outcomes.add(new Reviewed(m, open));
            }
            return outcomes;
        };
    }

    /**
     * An abuse rejection takes the message out of the counts (unless an invalidation did), and an anonymised campaign's
     * counts are final: refused (409 campaign-retired), as an invalidation is; until a read-only review of 6 December 2026 it published its
     * correction all the same. Approving, or rejecting other than as abuse, changes no count and is still taken.
     */
    private void requireCountsOpen(String campaignId) throws SQLException {
        retention.requireNotRetired(Stream.of(campaignId));
    }

    // the decision, not its reason: a reason may quote the message, and the trail is read by every coordinator
    private AuditTrail.Entry reviewEntry(Decision decision) {
        return audit.entry("message.reviewed", "message", null, null,
                AuditTrail.detail("decision", decision.approve() ? "approved" : "rejected", "abuse", decision.abuse() ? true : null));
    }

    /**
     * The one way a pending message is reviewed: its new state, the moderation event, the correction of abuse (unless a
     * bulk invalidation took it out already), the trail.
     */
    private void review(UnitOfWork work, Message m, Decision decision, String moderator, AuditTrail.Entry reviewed) {
        Instant now = ActionRules.now();
        m.status = decision.approve() ? Message.APPROVED : Message.REJECTED;
        m.reviewedBy = moderator;
        m.reviewedAt = now;
        m.reviewReason = decision.reason();
        m.abuse = decision.abuse();
        work.announce(Topics.MODERATION, m.caseId, new MessageReviewed(UUID.randomUUID(), m.actionId, m.campaignId,
                m.caseId, m.entityId, decision.approve() ? MessageReviewed.APPROVED : MessageReviewed.REJECTED,
                m.occurredAt, now));
        // an invalidated message is out of the counts already; its invalidation's reversal leaves it out (abuse)
        if (decision.abuse() && m.invalidationId == null) {
            announceCorrection(work, m, ActionType.MESSAGE, Mode.ONLINE, -1, now);
        }
        work.audit(reviewed.about(m.entityId).with("caseId", m.caseId));
    }

    /**
     * Oldest first by the time the message was written; the filter's {@code until} bounds that time (a delivery's
     * cut-off). Erased messages are not listed. {@code after}: the last message of the previous page (null for the
     * first); refused (400) when there is no such message.
     */
    public List<Message> list(MessageFilter filter, UUID after, int offset, int limit) {
        Message last = null;
        if (after != null) {
            last = messages.findById(after);
            if (last == null) {
                throw ProblemException.invalid("after", "'after' must be the id of the last message of the previous page");
            }
        }
        return messages.list(filter, last, offset, limit);
    }

    /** What waits for moderation under the filter: how many and since when, in all and by case, entity and language. */
    public WaitingMessages waiting(MessageFilter filter) {
        return messages.count(filter);
    }
}

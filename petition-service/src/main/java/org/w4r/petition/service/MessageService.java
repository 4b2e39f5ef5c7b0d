package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.events.ActionType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.MessageReviewed;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.kit.outbox.Outbox;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.model.Message;
import org.w4r.petition.rest.ActionResults;
import org.w4r.petition.rest.MessageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Solidarity messages: counted as an action when accepted, then reviewed by a moderator. Only approved messages
 * are ever delivered; one rejected as abuse is also taken back out of the counts by a correction.
 */
@ApplicationScoped
public class MessageService {
    static final int MAX_TEXT = 2_000;
    private static final Pattern LANGUAGE = Pattern.compile("^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$");

    @Inject
    ActionRules rules;

    @Inject
    ActionLedger ledger;

    @Inject
    Outbox outbox;

    @Inject
    SignerHasher hasher;

    public record Checked(MessageRequest request, String caseId, CampaignChanged campaign, String authorName,
                          String authorCountry, String authorEmail, String text, String language, Instant occurredAt,
                          Instant now) {
    }

    public record Decision(String decision, String reason,
                           Boolean abuse) {
    }

    @Transactional
    public ActionResults submit(String entityId, MessageRequest request) {
        return write(entityId, check(entityId, request));
    }

    public Checked check(String entityId, MessageRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'caseId', 'author' and 'text' is required");
        }
        String caseId = Inputs.text("caseId", request.caseId(), 64);
        if (request.author() == null) {
            throw ProblemException.invalid("author", "'author' with 'name' is required");
        }
        String name = Inputs.text("author.name", request.author().name(), 200);
        String country = Inputs.country("author.country", request.author().country());
        String email = request.author().email() == null ? null : Inputs.email("author.email", request.author().email());
        String text = Inputs.multilineText("text", request.text(), MAX_TEXT);
        String language = Inputs.optionalText("language", request.language(), 35);
        if (language != null && !LANGUAGE.matcher(language).matches()) {
            throw ProblemException.invalid("language", "'language' must be a language tag such as 'en' or 'pt-BR'");
        }
        Instant now = ActionRules.now();
        Instant occurredAt = rules.occurredAt(Inputs.occurredAt("occurredAt", request.occurredAt()), now);
        return new Checked(request, caseId, rules.check(entityId, caseId, occurredAt), name, country, email, text,
                language, occurredAt, now);
    }

    public ActionResults write(String entityId, Checked c) {
        Message m = new Message();
        m.actionId = UUID.randomUUID();
        m.campaignId = c.campaign().campaignId();
        m.caseId = c.caseId();
        m.entityId = entityId;
        m.authorName = c.authorName();
        m.authorCountry = c.authorCountry();
        m.authorEmailHmac = c.authorEmail() == null ? null : hasher.hash(c.authorEmail());
        m.text = c.text();
        m.language = c.language();
        m.status = Message.PENDING;
        m.occurredAt = c.occurredAt();
        m.recordedAt = c.now();
        m.persist();
        ledger.recorded(m.actionId, m.campaignId, m.caseId, entityId, ActionType.MESSAGE, Mode.ONLINE, 1, m.occurredAt,
                m.recordedAt);
        return new ActionResults(List.of(new ActionResults.Result(c.caseId(), m.actionId, ActionResults.Result.ACCEPTED)));
    }

    @Transactional
    public Message decide(UUID messageId, Decision decision, String moderator) {
        if (decision == null || decision.decision() == null || !Set.of("approve", "reject").contains(decision.decision())) {
            throw ProblemException.invalid("decision", "'decision' must be 'approve' or 'reject'");
        }
        boolean approve = "approve".equals(decision.decision());
        boolean abuse = Boolean.TRUE.equals(decision.abuse());
        if (approve && abuse) {
            throw ProblemException.invalid("abuse", "an approved message cannot be abuse");
        }
        String reason = approve ? Inputs.optionalText("reason", decision.reason(), 1000)
                : Inputs.text("reason", decision.reason(), 1000);
        Message m = Message.findById(messageId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
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
                    .with("status", m.status));
        }
        Instant now = ActionRules.now();
        m.status = approve ? Message.APPROVED : Message.REJECTED;
        m.reviewedBy = moderator;
        m.reviewedAt = now;
        m.reviewReason = reason;
        outbox.add(Topics.MODERATION, m.caseId, new MessageReviewed(UUID.randomUUID(), m.actionId, m.campaignId,
                m.caseId, m.entityId, approve ? MessageReviewed.APPROVED : MessageReviewed.REJECTED, m.occurredAt, now));
        if (abuse) {
            ledger.corrected(m.actionId, m.campaignId, m.caseId, m.entityId, ActionType.MESSAGE, Mode.ONLINE, -1,
                    m.occurredAt, now);
        }
        return m;
    }

    /** Oldest first by the time the message was written; {@code until} bounds that time (a delivery's cut-off). */
    public List<Message> list(String caseId, String status, Instant until, int offset, int limit) {
        if (status != null && !Set.of(Message.PENDING, Message.APPROVED, Message.REJECTED).contains(status)) {
            throw ProblemException.invalid("status", "'status' must be pending, approved or rejected");
        }
        StringBuilder query = new StringBuilder("status = :status and erasedAt is null");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        params.put("status", status == null ? Message.PENDING : status);
        if (Inputs.optionalId("caseId", caseId) != null) {
            query.append(" and caseId = :caseId");
            params.put("caseId", caseId);
        }
        if (until != null) {
            query.append(" and occurredAt <= :until");
            params.put("until", until);
        }
        query.append(" order by occurredAt, actionId");
        return Message.<Message>find(query.toString(), params).range(offset, offset + limit - 1).list();
    }
}

package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.model.Message;
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.HoldGate;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.Inputs;
import org.w4r.petition.service.MessageService;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Solidarity messages: entities submit them, moderators review them, delivery teams read the approved ones.
 * Texts are returned as they were written; whoever shows them must show them as text, never as HTML.
 */
@Path("/api/v1/messages")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MessageResource {
    @Inject
    CurrentCaller caller;

    @Inject
    MessageService messages;

    @Inject
    HoldGate holds;

    @Inject
    Committer committer;

    public record Author(String name, String country) {
    }

    /** {@code occurredAt}: when it was written (what a delivery's cut-off compares); {@code createdAt}: when stored. */
    public record MessageView(UUID messageId, String caseId, String entityId, Author author, String text,
                              String language, String status, Instant occurredAt, Instant createdAt, String reviewedBy,
                              Instant reviewedAt, String reviewReason) {
        static MessageView of(Message m) {
            return new MessageView(m.actionId, m.caseId, m.entityId, new Author(m.authorName, m.authorCountry), m.text,
                    m.language, m.status, m.occurredAt, m.recordedAt, m.reviewedBy, m.reviewedAt, m.reviewReason);
        }
    }

    @POST
    @RolesAllowed(Roles.ENTITY)
    public Response submit(MessageRequest request, @HeaderParam(IdempotencyKey.HEADER) String key) {
        String entityId = caller.get().entityId();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(entityId, key, "POST", "/api/v1/messages", request);
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'caseId', 'author' and 'text' is required");
        }
        MessageService.NewMessage message = request.toMessage();
        return Answers.response(committer.submit(idempotencyKey, 202, () -> messages.check(entityId, message),
                ActionResults::of));
    }

    /**
     * The moderation queue (pending by default), oldest first; delivery teams see approved messages only, up to a
     * cut-off ({@code until}, on the time written). Pages with {@code offset} and {@code limit}.
     */
    @GET
    @RolesAllowed({Roles.MODERATOR, Roles.DELIVERY})
    public List<MessageView> list(@QueryParam("caseId") String caseId, @QueryParam("status") String status,
                                  @QueryParam("until") String until, @QueryParam("offset") @DefaultValue("0") int offset,
                                  @QueryParam("limit") @DefaultValue("100") int limit) {
        Caller who = caller.get();
        if (Roles.DELIVERY.equals(who.role())) {
            if (!Message.APPROVED.equals(status)) {
                throw ProblemException.forbidden("delivery teams read approved messages only (status=approved)");
            }
            if (caseId == null || caseId.isBlank()) {
                throw ProblemException.invalid("caseId", "delivery teams read the approved messages of one case "
                        + "(caseId=...)");
            }
            holds.requireNotHeld(Inputs.optionalId("caseId", caseId), "its messages");
        }
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalid("limit", "'limit' must be between 1 and 1000");
        }
        if (offset < 0) {
            throw ProblemException.invalid("offset", "'offset' must not be negative");
        }
        if (status != null && !Set.of(Message.PENDING, Message.APPROVED, Message.REJECTED).contains(status)) {
            throw ProblemException.invalid("status", "'status' must be pending, approved or rejected");
        }
        return messages.list(Inputs.optionalId("caseId", caseId), status, Inputs.cutoff("until", until), offset, limit)
                .stream().map(MessageView::of).toList();
    }

    @POST
    @Path("{id}/decision")
    @RolesAllowed(Roles.MODERATOR)
    public Response decide(@PathParam("id") UUID id, DecisionRequest request) {
        MessageService.Decision decision = (request == null ? new DecisionRequest(null, null, null) : request).toDecision();
        return Answers.response(committer.commit(null, 200, messages.decide(id, decision, caller.get().principal()),
                MessageView::of));
    }
}

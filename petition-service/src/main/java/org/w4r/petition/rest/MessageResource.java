package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.model.Message;
import org.w4r.petition.model.MessageFilter;
import org.w4r.petition.model.WaitingMessages;
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.DeliveryGate;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.MessageService;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    org.w4r.petition.service.SignerExportService exports;

    @Inject
    Committer committer;

    @Inject
    EntityWrites writes;

    /** The author as written; both are null once the author asked to be forgotten. */
    @Schema(name = "MessageAuthor")
    public record Author(@Schema(nullable = true) String name,
                         @Schema(nullable = true, description = "ISO 3166-1 alpha-2") String country) {
    }

    /** {@code occurredAt}: when it was written (what a delivery's cut-off compares); {@code createdAt}: when stored. */
    @RequiredUnlessNullable
    @Schema(name = "Message", description = "A message and where it stands in moderation; show its text as text, never as HTML")
    public record MessageView(UUID messageId,
                              String caseId,
                              String entityId,
                              Author author,
                              String text,
                              @Schema(nullable = true) String language,
                              @Schema(enumeration = {"pending", "approved", "rejected"}) String status,
                              @Schema(description = "When it was written") Instant occurredAt,
                              @Schema(description = "When it was stored") Instant createdAt,
                              @Schema(nullable = true) String reviewedBy,
                              @Schema(nullable = true, implementation = String.class, format = "date-time") Instant reviewedAt,
                              @Schema(nullable = true) String reviewReason) {
        static MessageView of(Message m) {
            return new MessageView(m.actionId, m.caseId, m.entityId, new Author(m.authorName, m.authorCountry), m.text,
                    m.language, m.status, m.occurredAt, m.recordedAt, m.reviewedBy, m.reviewedAt, m.reviewReason);
        }
    }

    @POST
    @RolesAllowed(Roles.ENTITY)
    @Operation(operationId = "submitMessage", summary = "Submit a solidarity message",
            description = "Counted as an action when accepted; delivered only once a moderator approved it.")
    @APIResponseSchema(value = ActionResults.class, responseCode = "202", responseDescription = "Stored, pending moderation")
    @APIResponse(responseCode = "409", description = Api.CAMPAIGN_RETIRED)
    @APIResponse(responseCode = "404", description = Api.CASE_UNKNOWN)
    @APIResponse(responseCode = "422", description = "The case was closed after being active, the date "
            + "is outside the campaign window, " + Api.KEY_OR_VALUE_REFUSED)
    public Response submit(@Valid @NotNull MessageRequest request,
                           @HeaderParam(IdempotencyKey.HEADER) String key) {
        return writes.submit(key, "/api/v1/messages", request, request::toMessage,
                (limits, entityId, message, keyed) -> limits.take(entityId, request.author().email(), keyed), 202, messages::check, ActionResults::of);
    }

    /**
     * The moderation queue (pending by default), oldest first; delivery teams see approved messages only, up to a
     * cut-off ({@code until}, on the time written). Pages with {@code after} (the last message id of the page before)
     * or {@code offset}, and {@code limit}.
     */
    @GET
    @RolesAllowed({Roles.MODERATOR, Roles.DELIVERY})
    @Operation(operationId = "listMessages", summary = "Read the moderation queue, or a case's approved messages",
            description = "Oldest first by the time written, ties by id (a stable order). Moderators read any status, "
                    + "filtered by campaign, case, entity, language and age; delivery teams read the approved messages "
                    + "of one case (status=approved&caseId=...), refused while it is on hold. Erased messages are not "
                    + "listed, nor pending ones a bulk invalidation took out of the counts. The next page: after=<the last messageId of this page>.")
    @APIResponse(responseCode = "200", description = "The page", content = @Content(mediaType = Api.JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = MessageView.class)))
    @APIResponse(responseCode = "400", description = "A bad filter, or 'after' names no message")
    @APIResponse(responseCode = "404", description = "The case does not exist (delivery)")
    @APIResponse(responseCode = "409", description = "The case is on safety hold (delivery)")
    @APIResponse(responseCode = "410", description = "signer-data-retired: the case's campaign was anonymised under the "
            + "retention schedule (delivery)")
    public List<MessageView> list(@Parameter(description = "Only this campaign's messages (the staff UI's campaign picker)")
                                  @QueryParam("campaignId") @Slug String campaignId,
                                  @QueryParam("caseId") @Slug String caseId,
                                  @Parameter(description = "Only this entity's messages")
                                  @QueryParam("entityId") @Slug String entityId,
                                  @Parameter(description = "Only messages in this language: a primary subtag, 'fr' "
                                          + "takes fr and fr-CA", example = "fr")
                                  @QueryParam("language") @Pattern(regexp = PRIMARY_LANGUAGE) String language,
                                  @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"pending", "approved", "rejected"},
                                          defaultValue = "pending"))
                                  @QueryParam("status") @Pattern(regexp = "^(pending|approved|rejected)$") String status,
                                  @Parameter(description = "Only messages written at or before this instant",
                                          schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                                  @QueryParam("until") String until,
                                  @Parameter(description = "Only messages received before this instant (the queue's "
                                          + "age: waiting for longer than now minus this)",
                                          schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                                  @QueryParam("receivedBefore") String receivedBefore,
                                  @Parameter(description = "The last messageId of the previous page: this page starts "
                                          + "after it in the order, however many were decided meanwhile")
                                  @QueryParam("after") String after,
                                  @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
                                  @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
                                  @HeaderParam("Authorization") @Parameter(hidden = true) String authorization)
            throws SQLException {
        Caller who = caller.get();
        if (Roles.DELIVERY.equals(who.role())) {
            if (!Message.APPROVED.equals(status)) {
                throw ProblemException.forbidden("delivery teams read approved messages only (status=approved)");
            }
            if (caseId == null) {
                throw ProblemException.invalid("caseId", "delivery teams read the approved messages of one case "
                        + "(caseId=...)");
            }
        }
        MessageFilter filter = new MessageFilter(status, campaignId, caseId, entityId, lower(language),
                Cutoff.parse("until", until), Cutoff.parse("receivedBefore", receivedBefore));
        UUID afterId = messageId("after", after);
        DeliveryGate.Read<List<Message>> read = () -> messages.list(filter, afterId, offset, limit);
        // a delivery team's page leaves the service with authors' names: recorded as an export, for erasures to name
        List<Message> listed = Roles.DELIVERY.equals(who.role())
                ? exports.messages(caseId, entityId, filter.until(), who.principal(), authorization, read) : read.read();
        return listed.stream().map(MessageView::of).toList();
    }

    /** How many wait, and for how long. */
    @RequiredUnlessNullable
    @Schema(name = "WaitingMessages", description = "Pending messages (not erased) under the filters: how many, and "
            + "since when the oldest was received, in all and by case, entity and language")
    public record WaitingView(@Schema(description = "When it was counted") Instant asOf,
                              long waiting,
                              @Schema(nullable = true, implementation = String.class, format = "date-time",
                                      description = "When the oldest waiting message was received; null when none waits")
                              Instant oldestReceivedAt,
                              @Schema(nullable = true, implementation = Long.class,
                                      description = "How long the oldest has waited, in seconds; null when none waits")
                              Long oldestWaitingSeconds,
                              List<CaseWaiting> cases,
                              List<EntityWaiting> entities,
                              List<LanguageWaiting> languages) {
        static WaitingView of(WaitingMessages w, Instant now) {
            Instant oldest = w.all().oldestReceivedAt();
            return new WaitingView(now, w.all().waiting(), oldest,
                    oldest == null ? null : Math.max(0, Duration.between(oldest, now).toSeconds()),
                    w.cases().stream().map(g -> new CaseWaiting(g.key(), g.waiting(), g.oldestReceivedAt())).toList(),
                    w.entities().stream().map(g -> new EntityWaiting(g.key(), g.waiting(), g.oldestReceivedAt())).toList(),
                    w.languages().stream().map(g -> new LanguageWaiting(g.key(), g.waiting(), g.oldestReceivedAt())).toList());
        }
    }

    @RequiredUnlessNullable
    public record CaseWaiting(String caseId, long waiting, Instant oldestReceivedAt) {
    }

    @RequiredUnlessNullable
    public record EntityWaiting(String entityId, long waiting, Instant oldestReceivedAt) {
    }

    @RequiredUnlessNullable
    public record LanguageWaiting(@Schema(nullable = true, description = "A primary subtag, lower case; null: none given")
                                  String language,
                                  long waiting,
                                  Instant oldestReceivedAt) {
    }

    @GET
    @Path("waiting")
    @RolesAllowed(Roles.MODERATOR)
    @Operation(operationId = "countWaitingMessages", summary = "Count what waits for moderation",
            description = "Pending messages under the same filters as the queue: how many, and the oldest received, "
                    + "in all and by case, entity and language.")
    @APIResponse(responseCode = "200", description = "The counts")
    public WaitingView waiting(@QueryParam("campaignId") @Slug String campaignId,
                               @QueryParam("caseId") @Slug String caseId,
                               @QueryParam("entityId") @Slug String entityId,
                               @QueryParam("language") @Pattern(regexp = PRIMARY_LANGUAGE) String language,
                               @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                               @QueryParam("receivedBefore") String receivedBefore) {
        Instant now = Instant.now();
        return WaitingView.of(messages.waiting(MessageFilter.waiting(campaignId, caseId, entityId, lower(language),
                Cutoff.parse("receivedBefore", receivedBefore))), now);
    }

    @POST
    @Path("{id}/decision")
    @RolesAllowed(Roles.MODERATOR)
    @Operation(operationId = "decideMessage", summary = "Approve or reject a pending message",
            description = "Once. A rejection as abuse also takes the message back out of the counts.")
    @APIResponse(responseCode = "200", description = "Decided", content = @Content(mediaType = Api.JSON,
            schema = @Schema(implementation = MessageView.class)))
    @APIResponse(responseCode = "404", description = "The message does not exist")
    @APIResponse(responseCode = "409", description = "The message was already reviewed, or erased; or, for a rejection "
            + "as abuse, " + Api.CAMPAIGN_RETIRED)
    public Response decide(@PathParam("id") UUID id, @Valid @NotNull DecisionRequest request) {
        MessageService.Decision decision = request.toDecision();
        return Answers.response(committer.commitRepeatable(200, messages.decide(id, decision, caller.get().principal()),
                MessageView::of));
    }

    /** One message of a bulk decision: decided now, or as it already stood. */
    @RequiredUnlessNullable
    @Schema(name = "BulkDecisionOutcome")
    public record Outcome(UUID messageId,
                          @Schema(enumeration = {"approved", "rejected", "already-reviewed", "erased"},
                                  description = "approved or rejected now; already-reviewed or erased: left as it was")
                          String outcome,
                          @Schema(enumeration = {"pending", "approved", "rejected"}) String status,
                          @Schema(nullable = true) String reviewedBy,
                          @Schema(nullable = true, implementation = String.class, format = "date-time") Instant reviewedAt) {
        static Outcome of(MessageService.Reviewed r) {
            Message m = r.message();
            String outcome = r.decidedNow() ? m.status : m.erasedAt != null ? "erased" : "already-reviewed";
            return new Outcome(m.actionId, outcome, m.status, m.reviewedBy, m.reviewedAt);
        }
    }

    @RequiredUnlessNullable
    @Schema(name = "BulkDecisionResult")
    public record BulkResult(@Schema(description = "Decided by this call") int decided,
                             @Schema(description = "Left as they were: reviewed or erased before") int skipped,
                             @Schema(description = "One per id, in the order sent") List<Outcome> results) {
        static BulkResult of(List<MessageService.Reviewed> reviewed) {
            int decided = (int) reviewed.stream().filter(MessageService.Reviewed::decidedNow).count();
            return new BulkResult(decided, reviewed.size() - decided, reviewed.stream().map(Outcome::of).toList());
        }
    }

    @POST
    @Path("decisions")
    @RolesAllowed(Roles.MODERATOR)
    @Operation(operationId = "decideMessages", summary = "Approve or reject the messages a moderator saw, at once",
            description = "Up to " + BulkDecisionRequest.MAX_IDS + " explicit ids of one campaign, in one transaction, "
                    + "each decided as a single decision would be (the same event, correction and audit entry). A "
                    + "message reviewed or erased before is reported, not decided again: sending the same call twice "
                    + "decides nothing the second time.")
    @APIResponse(responseCode = "200", description = "Decided, message by message", content = @Content(mediaType = Api.JSON,
            schema = @Schema(implementation = BulkResult.class)))
    @APIResponse(responseCode = "400", description = "No ids, more than " + BulkDecisionRequest.MAX_IDS
            + ", an id twice, or a bad decision")
    @APIResponse(responseCode = "422", description = "not-in-campaign: some ids ('messageIds') are no message of the "
            + "campaign; nothing was decided")
    @APIResponse(responseCode = "409", description = "A rejection as abuse: " + Api.CAMPAIGN_RETIRED + "; nothing was "
            + "decided")
    public Response decideAll(@Valid @NotNull BulkDecisionRequest request) {
        MessageService.Decision decision = request.toDecision();
        return Answers.response(committer.commitRepeatable(200, messages.decideAll(request.campaignId(), request.messageIds(),
                decision, caller.get().principal()), BulkResult::of));
    }

    /** Parsed here, so a bad one is a 400 (a query parameter JAX-RS cannot convert would be a 404). */
    private static UUID messageId(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "'" + field + "' must be a message id");
        }
    }

    private static String lower(String language) {
        return language == null || language.isEmpty() ? null : language.toLowerCase(java.util.Locale.ROOT);
    }

    /** A filter takes a language's primary subtag ({@code fr}), which also takes its regional tags ({@code fr-CA}). */
    private static final String PRIMARY_LANGUAGE = "^([a-zA-Z]{2,3})?$";
}

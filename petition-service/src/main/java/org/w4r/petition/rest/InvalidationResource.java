package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.InvalidationService;
import org.w4r.petition.service.SignerHasher;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Bulk invalidation, for coordinators: preview a selection of accepted actions, take it out of the counts for a
 * reason, read the record, reverse it.
 */
@Path("/api/v1/invalidations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.COORDINATOR)
public class InvalidationResource {
    @Inject
    InvalidationService invalidations;

    @Inject
    Committer committer;

    @Inject
    CurrentCaller caller;

    @Inject
    SignerHasher hasher;

    @RequiredUnlessNullable
    @Schema(name = "InvalidationCount", description = "How many actions of one case and entity")
    public record CountView(@Schema(nullable = true, description = "Null for actions without a case") String caseId,
                            String entityId,
                            long actions) {
        static List<CountView> of(List<InvalidationService.Count> counts) {
            return counts.stream().map(c -> new CountView(c.caseId(), c.entityId(), c.actions())).toList();
        }
    }

    @RequiredUnlessNullable
    @Schema(name = "InvalidationPreview", description = "What a selection holds now; nothing was written")
    public record PreviewView(@Schema(description = "Actions that still count in the selection") long actions,
                              List<CountView> byCaseAndEntity,
                              @Schema(description = "The most one invalidation takes") int maxActions) {
    }

    /** A stored selection, as the coordinator sent it (normalised); what was not selected by is null. */
    @Schema(name = "InvalidationSelectionRecord", description = "What an invalidation selected; null: not selected by")
    public record SelectionView(@Schema(nullable = true) String campaignId,
                                @Schema(nullable = true) String caseId,
                                @Schema(nullable = true) String entityId,
                                @Schema(nullable = true, implementation = String.class, format = "date-time") Instant from,
                                @Schema(nullable = true, implementation = String.class, format = "date-time") Instant to,
                                @Schema(nullable = true) String emailDomain,
                                @Schema(nullable = true) String emailDomainHash,
                                @Schema(nullable = true) String country,
                                @Schema(nullable = true) String type) {
        static SelectionView of(InvalidationService.Selection s) {
            return new SelectionView(s.campaignId(), s.caseId(), s.entityId(), s.from(), s.to(), s.emailDomain(), s.emailDomainHash(),
                    s.country(), s.type() == null ? null : s.type().code());
        }
    }

    @RequiredUnlessNullable
    @Schema(name = "Invalidation", description = "A bulk invalidation: what was selected, why, by whom, and its reversal")
    public record InvalidationView(UUID invalidationId,
                                   SelectionView selection,
                                   String reason,
                                   long actions,
                                   List<CountView> byCaseAndEntity,
                                   @Schema(description = "The coordinator's principal (an id, not a name)") String createdBy,
                                   Instant createdAt,
                                   @Schema(nullable = true, implementation = String.class, format = "date-time") Instant reversedAt,
                                   @Schema(nullable = true) String reversedBy) {
        static InvalidationView of(InvalidationService.Invalidation i) {
            return new InvalidationView(i.invalidationId(), SelectionView.of(i.selection()), i.reason(), i.actions(),
                    CountView.of(i.byCaseAndEntity()), i.createdBy(), i.createdAt(), i.reversedAt(), i.reversedBy());
        }
    }

    @POST
    @Path("preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "previewInvalidation", summary = "How many actions a selection holds, per case and entity",
            description = "Counts the accepted signatures and online actions the selection holds that still count. "
                    + "Nothing is written.")
    @APIResponse(responseCode = "200", description = "The counts")
    public PreviewView preview(@Valid @NotNull InvalidationSelection selection) throws SQLException {
        InvalidationService.Preview preview = invalidations.preview(selection.toSelection(""));
        return new PreviewView(preview.actions(), CountView.of(preview.byCaseAndEntity()), preview.maxActions());
    }

    /**
     * Keyed as an entity's write is, under the coordinator's principal: a retry after {@code outcome-unknown} gets the
     * stored answer. Without a key it was answered selection-changed (the first try had taken the actions), and a
     * coordinator who believed it and previewed again could take out something else.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "invalidate", summary = "Take a previewed selection out of the counts",
            description = "Marks the selected actions and publishes a correction of -1 for each, in one transaction, "
                    + "if the selection still holds exactly expectedActions. An action already invalidated is never "
                    + "selected again, so sending it twice cannot subtract twice.",
            extensions = @Extension(name = IdempotentWrites.STAFF_WRITE, value = "true"))
    @APIResponse(responseCode = "201", description = "Invalidated", content = @Content(mediaType = Api.JSON,
            schema = @Schema(implementation = InvalidationView.class)))
    @APIResponse(responseCode = "409", description = "selection-changed: the selection no longer holds expectedActions "
            + "(preview it again); or invalidation-in-progress: another invalidation or reversal is being committed "
            + "(one at a time), nothing written; send it again after Retry-After seconds")
    @APIResponse(responseCode = "422", description = "too-many-actions: expectedActions is over the limit ('maxActions'); "
            + "or idempotency-key-reused: the Idempotency-Key was used for another request")
    public Response invalidate(@Valid @NotNull InvalidationRequest request,
                               @HeaderParam(IdempotencyKey.HEADER) String key) {
        String by = caller.get().principal();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(by, key, "POST", "/api/v1/invalidations", request, hasher);
        InvalidationService.Selection selection = request.selection().toSelection("selection.");
        return Answers.response(committer.submit(idempotencyKey, 201, () -> invalidations.invalidate(selection,
                request.reason().trim(), request.expectedActions(), by), InvalidationView::of));
    }

    @GET
    @Operation(operationId = "listInvalidations", summary = "Bulk invalidations, newest first")
    @APIResponse(responseCode = "200", description = "The page")
    public List<InvalidationView> list(@QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
                                       @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit)
            throws SQLException {
        return invalidations.list(offset, limit).stream().map(InvalidationView::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getInvalidation", summary = "One bulk invalidation")
    @APIResponse(responseCode = "200", description = "The invalidation")
    @APIResponse(responseCode = "404", description = "No such invalidation")
    public InvalidationView get(@PathParam("id") UUID id) throws SQLException {
        return invalidations.find(id).map(InvalidationView::of)
                .orElseThrow(() -> ProblemException.notFound("invalidation", id.toString()));
    }

    /** Keyed as {@link #invalidate} is: without a key, the retry of a reversal that was committed is already-reversed. */
    @POST
    @Path("{id}/reversal")
    @Operation(operationId = "reverseInvalidation", summary = "Put an invalidation's actions back into the counts",
            description = "Once: publishes a correction of +1 for each action it took out.",
            extensions = @Extension(name = IdempotentWrites.STAFF_WRITE, value = "true"))
    @APIResponse(responseCode = "200", description = "Reversed", content = @Content(mediaType = Api.JSON,
            schema = @Schema(implementation = InvalidationView.class)))
    @APIResponse(responseCode = "404", description = "No such invalidation")
    @APIResponse(responseCode = "409", description = "already-reversed; or invalidation-in-progress: another invalidation "
            + "or reversal is being committed (one at a time), nothing written; send it again after Retry-After seconds")
    @APIResponse(responseCode = "422", description = "too-many-actions: the invalidation took more actions than one "
            + "transaction may put back ('maxActions', 'actions'); or idempotency-key-reused: the Idempotency-Key was "
            + "used for another request")
    public Response reverse(@PathParam("id") UUID id, @HeaderParam(IdempotencyKey.HEADER) String key) {
        String by = caller.get().principal();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(by, key, "POST", "/api/v1/invalidations/" + id + "/reversal",
                null, hasher);
        return Answers.response(committer.submit(idempotencyKey, 200, () -> invalidations.reverse(id, by),
                InvalidationView::of));
    }
}

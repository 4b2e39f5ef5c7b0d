package org.w4r.cases.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.model.CaseHold;
import org.w4r.cases.service.CaseService;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.Slug;

import java.time.Instant;
import java.util.List;

/** Cases: staff read them; case managers create, edit, move them through their lifecycle and hold them. */
@Path("/api/v1/cases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.COORDINATOR, Roles.CASE_MANAGER, Roles.DELIVERY, Roles.MODERATOR})
@Tag(name = "cases")
public class CaseResource {
    @Inject
    CaseService cases;

    @Inject
    CurrentCaller caller;

    @Inject
    Propagation propagation;

    public record HoldView(long holdId, String reason, String placedBy, Instant placedAt,
                           @Schema(nullable = true) String liftedBy, @Schema(nullable = true, implementation = String.class, format = "date-time") Instant liftedAt) {
    }

    @GET
    @Operation(operationId = "listCases", summary = "Every case, or a campaign's")
    public List<CaseView> list(@QueryParam("campaign") @Slug String campaign) {
        List<CaseFile> list = campaign == null
                ? CaseFile.list("order by id")
                : CaseFile.list("campaignId = ?1 order by id", campaign);
        return list.stream().map(CaseView::of).toList();
    }

    @GET
    @Path("{caseId}")
    @Operation(operationId = "getCase", summary = "One case, with its hold")
    @APIResponseSchema(value = CaseView.class, responseDescription = "The case")
    public Response get(@PathParam("caseId") String caseId) {
        return tagged(CaseService.find(caseId));
    }

    @POST
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "createCase", summary = "Create a case (a draft unless 'status' says otherwise)")
    @APIResponseSchema(value = CaseView.class, responseCode = "201", responseDescription = "Created")
    @APIResponse(responseCode = "404", description = "No such campaign, or no such entity for a local case")
    @APIResponse(responseCode = "409", description = "duplicate-id: a case with this id exists")
    @APIResponse(responseCode = "422", description = "campaign-closed: the campaign takes no more cases")
    public Response create(@Valid @NotNull CaseRequest request) {
        CaseFile c = cases.create(request.command());
        return Versions.created(CaseView.of(c), path(c), c.revision);
    }

    @PATCH
    @Path("{caseId}")
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "editCase", summary = "Change what the body names")
    @APIResponseSchema(value = CaseView.class, responseDescription = "Changed")
    @APIResponse(responseCode = "409", description = "invalid-transition, or concurrent-change: read it again and retry")
    @APIResponse(responseCode = "422", description = "campaign-closed: its cases cannot be activated")
    public Response update(@PathParam("caseId") String caseId, @BeanParam IfMatch ifMatch,
                           @Valid @NotNull CaseRequest.CaseEdit edit) {
        return tagged(cases.update(caseId, edit.command(), ifMatch.expected()));
    }

    @POST
    @Path("{caseId}/status")
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "changeCaseStatus", summary = "draft → active → closed (draft → closed too)")
    @APIResponseSchema(value = CaseView.class, responseCode = "200", responseDescription = "Changed")
    @APIResponse(responseCode = "409", description = "invalid-transition (with 'from' and 'to'), or concurrent-change")
    @APIResponse(responseCode = "422", description = "campaign-closed: its cases cannot be activated")
    public Response changeStatus(@PathParam("caseId") String caseId, @BeanParam IfMatch ifMatch,
                                 @Valid @NotNull CaseRequest.StatusChange change) {
        return tagged(cases.changeStatus(caseId, change.status(), ifMatch.expected()));
    }

    /** Places a safety hold: no handover, no signer export, no public counter, in every service. */
    @PUT
    @Path("{caseId}/hold")
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "placeHold", summary = "Place a safety hold; answered once every service can see it")
    @APIResponse(responseCode = "200", description = "Held, and on Kafka for every service (W4R-Propagated: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CaseView.class)))
    @APIResponse(responseCode = "202", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CaseView.class)), description = "Held and stored; still on its way to the other services (W4R-Propagated: false)")
    @APIResponse(responseCode = "409", description = "already-on-hold")
    public Response hold(@PathParam("caseId") String caseId, @Valid @NotNull CaseRequest.HoldRequest request) {
        return held(cases.placeHold(caseId, request.reason().trim(), caller.get().principal()));
    }

    @DELETE
    @Path("{caseId}/hold")
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "liftHold", summary = "Lift the case's hold; answered once every service can see it")
    @APIResponse(responseCode = "200", description = "Lifted, and on Kafka for every service (W4R-Propagated: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CaseView.class)))
    @APIResponse(responseCode = "202", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CaseView.class)), description = "Lifted and stored; still on its way to the other services (W4R-Propagated: false)")
    @APIResponse(responseCode = "409", description = "not-on-hold; or hold-changed: the open hold is not the one named "
            + "(lifted and placed again since it was read; 'openHoldId' names it): read the case again")
    @APIResponse(responseCode = "400", description = "invalid-field (field: holdId): no hold named, or not a whole number")
    public Response lift(@PathParam("caseId") String caseId,
                         @QueryParam("holdId") @NotNull(message = "name the hold you lift: ?holdId=<the case's hold.holdId>")
                         @Pattern(regexp = HOLD_ID,
                                 message = "a hold id is a whole number, as the case's hold.holdId shows it")
                         @Parameter(description = "the hold being lifted, as read from the case (hold.holdId): a hold "
                                 + "placed since is never lifted by someone who has not seen it",
                                 schema = @Schema(type = SchemaType.INTEGER, format = "int64"))
                         String holdId) {
        return held(cases.liftHold(caseId, Long.parseLong(holdId), caller.get().principal()));
    }

    /**
     * A hold id as text, checked here: taken as a {@code Long}, one JAX-RS could not convert ({@code abc}, or past a
     * long) was its 404 for an unconvertible query parameter, read as "no such case" of a case that exists and stays
     * held (a read-only review, 6 December 2026). Up to 18 digits, so always within a long; a number that names no hold
     * of the case (0, -1: "I saw none") is still the service's 409, not-on-hold or hold-changed.
     */
    static final String HOLD_ID = "^-?[0-9]{1,18}$";

    /** A hold placed or lifted: the case as it is now, once on Kafka (200) or while still on its way (202). */
    private Response held(CaseService.Change change) {
        return Versions.tag(propagation.answer(change.outboxId(), CaseView.of(change.caseFile())),
                path(change.caseFile()), change.caseFile().revision).build();
    }

    /** The case with its version as the ETag: the version the API shows is the revision, as on 'cases'. */
    private static Response tagged(CaseFile c) {
        return Versions.tagged(CaseView.of(c), path(c), c.revision);
    }

    private static String path(CaseFile c) {
        return "/api/v1/cases/" + c.id;
    }

    @GET
    @Path("{caseId}/holds")
    @Operation(operationId = "listHolds", summary = "Every hold of the case, placed and lifted")
    @APIResponse(responseCode = "200", description = "The holds, oldest first", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = HoldView.class)))
    public List<HoldView> holds(@PathParam("caseId") String caseId) {
        CaseService.find(caseId);
        return CaseHold.history(caseId).stream()
                .map(h -> new HoldView(h.id, h.reason, h.placedBy, h.placedAt, h.liftedBy, h.liftedAt)).toList();
    }
}

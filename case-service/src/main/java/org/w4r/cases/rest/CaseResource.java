package org.w4r.cases.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.model.CaseHold;
import org.w4r.cases.service.CaseService;
import org.w4r.cases.service.Validation;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.CurrentCaller;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Cases: staff read them; case managers create, edit, move them through their lifecycle and hold them. */
@Path("/api/v1/cases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
public class CaseResource {
    @Inject
    CaseService cases;

    @Inject
    CurrentCaller caller;

    @Inject
    Propagation propagation;

    public record StatusChange(String status) {
    }

    public record HoldRequest(String reason) {
    }

    public record HoldView(long holdId, String reason, String placedBy, Instant placedAt, String liftedBy,
                           Instant liftedAt) {
    }

    @GET
    public List<CaseView> list(@QueryParam("campaign") String campaignId) {
        List<CaseFile> list = campaignId == null
                ? CaseFile.list("order by id")
                : CaseFile.list("campaignId = ?1 order by id", Validation.slug("campaign", campaignId));
        return list.stream().map(CaseView::of).toList();
    }

    @GET
    @Path("{caseId}")
    public CaseView get(@PathParam("caseId") String caseId) {
        return CaseView.of(CaseService.find(caseId));
    }

    @POST
    @RolesAllowed("case-manager")
    public Response create(CaseService.CaseInput input) {
        CaseFile c = cases.create(required(input));
        return Response.created(URI.create("/api/v1/cases/" + c.id)).entity(CaseView.of(c)).build();
    }

    @PATCH
    @Path("{caseId}")
    @RolesAllowed("case-manager")
    public CaseView update(@PathParam("caseId") String caseId, CaseService.CaseInput input) {
        return CaseView.of(cases.update(caseId, required(input)));
    }

    @POST
    @Path("{caseId}/status")
    @RolesAllowed("case-manager")
    public CaseView changeStatus(@PathParam("caseId") String caseId, StatusChange change) {
        return CaseView.of(cases.changeStatus(caseId, required(change).status()));
    }

    /** Places a safety hold: no handover, no signer export, no public counter, in every service. */
    @PUT
    @Path("{caseId}/hold")
    @RolesAllowed("case-manager")
    public Response hold(@PathParam("caseId") String caseId, HoldRequest request) {
        CaseService.Change change = cases.placeHold(caseId, required(request).reason(), caller.get().principal());
        return propagation.answer(change.outboxId(), CaseView.of(change.caseFile())).build();
    }

    @DELETE
    @Path("{caseId}/hold")
    @RolesAllowed("case-manager")
    public Response lift(@PathParam("caseId") String caseId) {
        CaseService.Change change = cases.liftHold(caseId, caller.get().principal());
        return propagation.answer(change.outboxId(), CaseView.of(change.caseFile())).build();
    }

    @GET
    @Path("{caseId}/holds")
    public List<HoldView> holds(@PathParam("caseId") String caseId) {
        CaseService.find(caseId);
        return CaseHold.history(caseId).stream()
                .map(h -> new HoldView(h.id, h.reason, h.placedBy, h.placedAt, h.liftedBy, h.liftedAt)).toList();
    }

    static <T> T required(T body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        return body;
    }
}

package org.w4r.cases.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.w4r.cases.model.CaseFile;
import org.w4r.kit.problem.ProblemException;

import java.util.List;

/** Cases for staff. */
@Path("/api/v1/cases")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
public class CaseResource {

    @GET
    public List<CaseView> list(@QueryParam("campaign") String campaignId) {
        List<CaseFile> cases = campaignId == null
                ? CaseFile.list("order by id")
                : CaseFile.list("campaignId = ?1 order by id", campaignId);
        return cases.stream().map(CaseView::of).toList();
    }

    @GET
    @Path("{caseId}")
    public CaseView get(@PathParam("caseId") String caseId) {
        CaseFile c = CaseFile.findById(caseId);
        if (c == null) {
            throw ProblemException.notFound("case", caseId);
        }
        return CaseView.of(c);
    }
}

package org.w4r.delivery.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;

import java.util.Comparator;
import java.util.List;

/**
 * The cases as delivery teams need them: target, status and whether a safety hold stops deliveries.
 * Read from this service's own read model of the case events, never from case-service directly.
 */
@Path("/api/v1/cases")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"delivery", "coordinator", "case-manager"})
public class CaseResource {
    @Inject
    ReferenceData reference;

    public record DeliveryCase(String caseId, String campaignId, String name, String country, String targetAuthority,
                               String status, boolean onHold, CaseChanged.Hold hold) {
        static DeliveryCase of(CaseChanged c) {
            return new DeliveryCase(c.caseId(), c.campaignId(), c.name(), c.country(), c.targetAuthority(), c.status(),
                    c.hold() != null, c.hold());
        }
    }

    @GET
    public List<DeliveryCase> list() {
        return reference.cases().stream().sorted(Comparator.comparing(CaseChanged::caseId)).map(DeliveryCase::of).toList();
    }

    @GET
    @Path("{caseId}")
    public DeliveryCase get(@PathParam("caseId") String caseId) {
        return reference.findCase(caseId).map(DeliveryCase::of)
                .orElseThrow(() -> ProblemException.notFound("case", caseId));
    }
}

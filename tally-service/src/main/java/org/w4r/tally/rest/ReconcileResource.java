package org.w4r.tally.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.w4r.kit.security.Roles;
import org.w4r.tally.service.Reconciler;

/** Recount from the topic and report every difference from the live counts; synchronous, one at a time. */
@Path("/api/v1/tally/reconcile")
@RolesAllowed(Roles.COORDINATOR)
public class ReconcileResource {
    @Inject
    Reconciler reconciler;

    @POST
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "reconcile", summary = "Recount every action from the topic and list the cells that differ")
    @APIResponse(responseCode = "400", description = QueryGuard.REFUSED)
    @APIResponseSchema(value = Reconciler.Report.class, responseDescription = "What differs between the live counts and the recount")
    @APIResponse(responseCode = "409", description = "A reconcile is already running")
    public Reconciler.Report reconcile() {
        return reconciler.reconcile();
    }
}

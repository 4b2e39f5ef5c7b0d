package org.w4r.tally.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.w4r.tally.service.Reconciler;

/** Recount from the topic and report every difference from the live counts; synchronous, one at a time. */
@Path("/api/v1/tally/reconcile")
@RolesAllowed("coordinator")
public class ReconcileResource {
    @Inject
    Reconciler reconciler;

    @POST
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public Reconciler.Report reconcile() {
        return reconciler.reconcile();
    }
}

package org.w4r.tally.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
    @APIResponseSchema(value = Reconciler.Report.class, responseDescription = "What differs between the live counts and the recount")
    @APIResponse(responseCode = "409", description = "A reconcile is already running")
    @APIResponse(responseCode = "503", description = "kafka-unavailable: Kafka did not answer the recount within "
            + "w4r.tally.reconcile.kafka-timeout; reconcile-timeout: the recount did not read to the end offsets taken "
            + "at its start within w4r.tally.reconcile.timeout. Nothing was compared: send the request again after "
            + "Retry-After seconds. Or the database did not answer",
            headers = @Header(name = "Retry-After", description = "whole seconds to wait",
                    schema = @Schema(type = SchemaType.INTEGER)))
    public Reconciler.Report reconcile() {
        return reconciler.reconcile();
    }
}

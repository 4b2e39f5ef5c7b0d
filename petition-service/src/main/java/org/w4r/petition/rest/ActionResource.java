package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.BatchService;
import org.w4r.petition.service.Idempotency;
import org.w4r.petition.service.OnlineActionService;

/** Online actions of the other types, and batches of any items, from entity websites and back-ends. */
@Path("/api/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ENTITY)
public class ActionResource {
    @Inject
    CurrentCaller caller;

    @Inject
    OnlineActionService actions;

    @Inject
    BatchService batches;

    @Inject
    Idempotency idempotency;

    @POST
    @Path("actions")
    public Response record(ActionRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        String entityId = caller.get().entityId();
        return idempotency.run(entityId, key, "POST", "/api/v1/actions", request,
                () -> new Idempotency.Answer(202, actions.record(entityId, request)));
    }

    @POST
    @Path("batches")
    public Response batch(BatchRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        String entityId = caller.get().entityId();
        return idempotency.run(entityId, key, "POST", "/api/v1/batches", request,
                () -> new Idempotency.Answer(200, batches.run(entityId, request)));
    }
}

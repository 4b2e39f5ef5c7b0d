package org.w4r.petition.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.BatchService;
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.OnlineActionService;

import java.util.List;

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
    Committer committer;

    /** The HTTP layer's own reader, so an item's body is read exactly as its endpoint would read it (same strictness). */
    @Inject
    ObjectMapper json;

    @POST
    @Path("actions")
    public Response record(ActionRequest request, @HeaderParam(IdempotencyKey.HEADER) String key) {
        String entityId = caller.get().entityId();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(entityId, key, "POST", "/api/v1/actions", request);
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'type' is required");
        }
        OnlineActionService.NewAction action = request.toAction();
        return Answers.response(committer.submit(idempotencyKey, 202, () -> actions.check(entityId, action),
                ActionResults::of));
    }

    @POST
    @Path("batches")
    public Response batch(BatchRequest request, @HeaderParam(IdempotencyKey.HEADER) String key) {
        String entityId = caller.get().entityId();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(entityId, key, "POST", "/api/v1/batches", request);
        List<BatchService.Item> items = (request == null ? new BatchRequest(null) : request).toItems(json);
        return Answers.response(committer.submit(idempotencyKey, 200, () -> batches.check(entityId, items),
                BatchResults::of));
    }
}

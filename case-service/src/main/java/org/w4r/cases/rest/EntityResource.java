package org.w4r.cases.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Credential;
import org.w4r.cases.service.CredentialService;
import org.w4r.cases.service.CsvImport;
import org.w4r.cases.service.EntityService;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;

import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Entities and their API keys. Case managers issue keys; an entity's own key may rotate that entity's keys within a
 * small cap of active ones ({@link CredentialService}), and touch no other entity's.
 */
@Path("/api/v1/entities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
public class EntityResource {
    @Inject
    EntityService entities;

    @Inject
    CredentialService credentials;

    @Inject
    CsvImport csvImport;

    @Inject
    CurrentCaller caller;

    @Inject
    Propagation propagation;

    @Inject
    ObjectMapper json;

    public record EntityView(String entityId, String name, String country, String kind) {
        static EntityView of(ActionEntity e) {
            return new EntityView(e.id, e.name, e.country, e.kind);
        }
    }

    /** A key as listed: never its secret. */
    public record KeyView(String keyId, Instant createdAt, Instant expiresAt, Instant revokedAt) {
    }

    /** Optional: when the new key stops working (default and longest: see {@link CredentialService}). */
    public record KeyRequest(Instant expiresAt) {
    }

    /** A new key: the secret is in this answer and nowhere else, ever. */
    public record NewKey(String keyId, String entityId, String key, Instant createdAt, Instant expiresAt) {
    }

    @GET
    public List<EntityView> list() {
        return ActionEntity.<ActionEntity>list("order by id").stream().map(EntityView::of).toList();
    }

    @GET
    @Path("{entityId}")
    public EntityView get(@PathParam("entityId") String entityId) {
        return EntityView.of(EntityService.find(entityId));
    }

    @POST
    @RolesAllowed("case-manager")
    public Response create(EntityService.EntityInput input) {
        ActionEntity e = entities.create(CaseResource.required(input));
        return Response.created(URI.create("/api/v1/entities/" + e.id)).entity(EntityView.of(e)).build();
    }

    @POST
    @Path("import")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @RolesAllowed("case-manager")
    public Response importEntities(String csv) {
        List<ActionEntity> created = csvImport.importEntities(new StringReader(CaseResource.required(csv)));
        return Response.status(201).entity(created.stream().map(EntityView::of).toList()).build();
    }

    /**
     * The body is optional (most callers send none, with whatever Content-Type their client adds), so it is read
     * here: none at all, or JSON.
     */
    @POST
    @Path("{entityId}/keys")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({"case-manager", "entity"})
    public Response issueKey(@PathParam("entityId") String entityId, @HeaderParam("Content-Type") String contentType,
                             String body) throws JsonProcessingException {
        ownEntityOrManager(entityId);
        KeyRequest request = keyRequest(contentType, body);
        CredentialService.Issued issued = credentials.issueEntityKey(entityId,
                request == null ? null : request.expiresAt(), caller.get());
        NewKey key = new NewKey(issued.credential().keyId, entityId, issued.secret(), issued.credential().createdAt,
                issued.credential().expiresAt);
        return propagation.answer(issued.outboxId(), key).status(201)
                .location(URI.create("/api/v1/entities/" + entityId + "/keys/" + key.keyId()))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("{entityId}/keys")
    @RolesAllowed({"case-manager", "entity"})
    public List<KeyView> keys(@PathParam("entityId") String entityId) {
        ownEntityOrManager(entityId);
        EntityService.find(entityId);
        return Credential.<Credential>list("entityId = ?1 order by createdAt", entityId).stream()
                .map(k -> new KeyView(k.keyId, k.createdAt, k.expiresAt, k.revokedAt)).toList();
    }

    @DELETE
    @Path("{entityId}/keys/{keyId}")
    @RolesAllowed({"case-manager", "entity"})
    public Response revoke(@PathParam("entityId") String entityId, @PathParam("keyId") String keyId) {
        ownEntityOrManager(entityId);
        long outboxId = credentials.revoke(entityId, keyId, true);
        return propagation.done(outboxId).build();
    }

    private KeyRequest keyRequest(String contentType, String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (!json(contentType)) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send no body, or a JSON one with 'Content-Type: application/json'"));
        }
        return json.readValue(body, KeyRequest.class);
    }

    private static boolean json(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void ownEntityOrManager(String entityId) {
        Caller who = caller.get();
        if (Roles.ENTITY.equals(who.role()) && !entityId.equals(who.entityId())) {
            throw ProblemException.forbidden("an entity key acts only for its own entity");
        }
    }
}

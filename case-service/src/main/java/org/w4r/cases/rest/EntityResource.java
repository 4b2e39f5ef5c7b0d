package org.w4r.cases.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Credential;
import org.w4r.cases.service.CredentialService;
import org.w4r.cases.service.EntityService;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.csv.CsvRows;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.CountryCode;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;
import org.w4r.kit.validation.Violations;

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
@RolesAllowed({Roles.COORDINATOR, Roles.CASE_MANAGER, Roles.DELIVERY, Roles.MODERATOR})
@Tag(name = "entities")
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

    @Inject
    Validator validator;

    static final String KINDS = "^(section|structure|regional-office|catch-all)$";

    public record EntityRequest(
            @NotNull @Slug @Schema(example = "ai-chile") String entityId,
            @NotBlank @OneLine(max = 200) @Schema(maxLength = 200, example = "Amnistía Internacional Chile") String name,
            @CountryCode @Schema(example = "CL") String country,
            @Pattern(regexp = KINDS) @Schema(enumeration = {"section", "structure", "regional-office", "catch-all"},
                    defaultValue = "section") String kind) {

        EntityService.EntityInput command() {
            return new EntityService.EntityInput(entityId, Text.trim(name), CountryCode.Codes.normalise(country), kind);
        }

        /** One row of the report's entities.csv ({@code entity_id,name,reported_actions}; optional country, kind). */
        static EntityRequest of(CsvRows.Row row) {
            return new EntityRequest(row.get("entity_id"), row.get("name"), row.get("country"), row.get("kind"));
        }
    }

    public record EntityView(String entityId, String name, @Schema(nullable = true) String country,
                             @Schema(enumeration = {"section", "structure", "regional-office", "catch-all"}) String kind,
                             @Schema(description = "grows with every change of the entity; its ETag, for If-Match")
                             long version) {
        static EntityView of(ActionEntity e) {
            return new EntityView(e.id, e.name, e.country, e.kind, e.version);
        }

        /** 200 with the entity and its version as the ETag. */
        static Response tagged(ActionEntity e) {
            return Versions.tagged(of(e), path(e), e.version);
        }

        /** 201 with the new entity, its Location, and its version as the ETag. */
        static Response created(ActionEntity e) {
            return Versions.created(of(e), path(e), e.version);
        }

        static String path(ActionEntity e) {
            return "/api/v1/entities/" + e.id;
        }
    }

    /** A key as listed: never its secret. */
    public record KeyView(String keyId, Instant createdAt, @Schema(nullable = true, implementation = String.class, format = "date-time") Instant expiresAt,
                          @Schema(nullable = true, implementation = String.class, format = "date-time") Instant revokedAt) {
    }

    /** Optional: when the new key stops working (default and longest: see {@link CredentialService}). */
    public record KeyRequest(@CampaignEra(daysAhead = 2 * 366) Instant expiresAt) {
    }

    /** A new key: the secret is in this answer and nowhere else, ever. */
    public record NewKey(String keyId, String entityId, String key, Instant createdAt, Instant expiresAt) {
    }

    @GET
    @Operation(operationId = "listEntities", summary = "Every entity")
    public List<EntityView> list() {
        return ActionEntity.<ActionEntity>list("order by id").stream().map(EntityView::of).toList();
    }

    @GET
    @Path("{entityId}")
    @Operation(operationId = "getEntity", summary = "One entity")
    @APIResponseSchema(value = EntityView.class, responseDescription = "The entity")
    public Response get(@PathParam("entityId") String entityId) {
        return EntityView.tagged(EntityService.find(entityId));
    }

    @POST
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "createEntity", summary = "Create an entity")
    @APIResponseSchema(value = EntityView.class, responseCode = "201", responseDescription = "Created")
    @APIResponse(responseCode = "409", description = "duplicate-id: an entity with this id exists; or "
            + "entity-is-principal: a staff principal has this name; or entity-id-overlaps: the id and a dash start "
            + "an existing entity's id, or an existing entity's id and a dash start it ('existingEntityId' names it): "
            + "one's case ids would include the other's")
    public Response create(@Valid @NotNull EntityRequest request) {
        return EntityView.created(entities.create(request.command()));
    }

    @POST
    @Path("import")
    @Consumes({CsvImport.MEDIA_TYPE, MediaType.TEXT_PLAIN})
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "importEntities", summary = "Entities from a CSV file, all rows or none")
    @RequestBody(description = "entity_id,name,reported_actions (2020 report); optional country, kind")
    @APIResponse(responseCode = "201", description = "Created, one entity per row", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = EntityView.class)))
    @APIResponse(responseCode = "409", description = "duplicate-id: a row's entity exists, or entity-is-principal: a "
            + "staff principal has its name, or entity-id-overlaps: its id overlaps an existing entity's, or an earlier "
            + "row's, as for a single entity ('existingEntityId'; 'line' names the row)")
    @APIResponseSchema(value = ImportPreviewView.class, responseCode = "200",
            responseDescription = "dryRun=true: what each line would do; nothing written")
    public Response importEntities(@QueryParam("dryRun") @Parameter(description = "check every line, write nothing", required = false,
                                           schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.BOOLEAN))
                                   @jakarta.validation.constraints.Pattern(regexp = CaseRequest.TRUE_OR_FALSE, message = "must be true or false")
                                   String dryRun, String csv) {
        if (Boolean.parseBoolean(dryRun)) {
            return Response.ok(ImportPreviewView.of(entities.dryRun(csvImport.entitiesToCheck(csv)))).build();
        }
        List<ActionEntity> created = entities.importAll(csvImport.entities(csv));
        return Response.status(201).entity(created.stream().map(EntityView::of).toList()).build();
    }

    /** A change: only what is named changes; the id never does. */
    public record EntityEdit(
            @OneLine(max = 200) @Pattern(regexp = CaseRequest.NOT_BLANK, message = "must not be blank")
            @Schema(maxLength = 200) String name,
            @CountryCode @Schema(example = "CL") String country,
            @Pattern(regexp = KINDS) @Schema(enumeration = {"section", "structure", "regional-office", "catch-all"})
            String kind) {

        EntityService.EntityInput command() {
            return new EntityService.EntityInput(null, name == null ? null : Text.trim(name),
                    CountryCode.Codes.normalise(country), kind);
        }
    }

    @PATCH
    @Path("{entityId}")
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "editEntity", summary = "Change an entity's name, country or kind")
    @APIResponseSchema(value = EntityView.class, responseDescription = "Changed")
    public Response update(@PathParam("entityId") String entityId, @BeanParam IfMatch ifMatch,
                           @Valid @NotNull EntityEdit edit) {
        return EntityView.tagged(entities.update(entityId, edit.command(), ifMatch.expected()));
    }

    /**
     * The body is optional (most callers send none, with whatever Content-Type their client adds), so it is read
     * here: none at all, or JSON.
     */
    @POST
    @Path("{entityId}/keys")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.CASE_MANAGER, Roles.ENTITY})
    @Operation(operationId = "issueEntityKey", summary = "A new API key for the entity, shown once")
    @RequestBody(required = false, description = "none, or JSON", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = KeyRequest.class)),
            @Content(mediaType = MediaType.WILDCARD, schema = @Schema(type = SchemaType.STRING, maxLength = 0))})
    @APIResponseSchema(value = NewKey.class, responseCode = "201", responseDescription = "Issued: the only answer that shows the key")
    @APIResponse(responseCode = "409", description = "too-many-keys: the entity holds 3 active keys; revoke one first")
    @APIResponse(responseCode = "429", description = "rate-limited: the entity issued its most keys itself in 24 hours "
            + "(w4r.credentials.entity-keys-per-day); Retry-After says when the next is free",
            headers = @Header(name = Problem.RETRY_AFTER, description = "whole seconds to wait", schema = @Schema(type = SchemaType.INTEGER)))
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
    @RolesAllowed({Roles.CASE_MANAGER, Roles.ENTITY})
    @Operation(operationId = "listEntityKeys", summary = "The entity's key ids and dates, never their secrets")
    @APIResponse(responseCode = "200", description = "The keys, oldest first", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = KeyView.class)))
    public List<KeyView> keys(@PathParam("entityId") String entityId) {
        ownEntityOrManager(entityId);
        EntityService.find(entityId);
        return Credential.<Credential>list("entityId = ?1 order by createdAt", entityId).stream()
                .map(k -> new KeyView(k.keyId, k.createdAt, k.expiresAt, k.revokedAt)).toList();
    }

    @DELETE
    @Path("{entityId}/keys/{keyId}")
    @RolesAllowed({Roles.CASE_MANAGER, Roles.ENTITY})
    @Operation(operationId = "revokeEntityKey", summary = "Revoke a key; answered once every service refuses it")
    @APIResponse(responseCode = "204", description = "Revoked (now or before), and on Kafka for every service (W4R-Propagated: true)")
    @APIResponse(responseCode = "202", description = "Revoked (now or before) and stored; still on its way (W4R-Propagated: false)")
    @APIResponse(responseCode = "404", description = "No such key for this entity")
    public Response revoke(@PathParam("entityId") String entityId, @PathParam("keyId") String keyId) {
        ownEntityOrManager(entityId);
        return propagation.done(credentials.revoke(entityId, keyId, true, caller.get())).build();
    }

    private KeyRequest keyRequest(String contentType, String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (!json(contentType)) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send no body, or a JSON one with 'Content-Type: application/json'"));
        }
        KeyRequest request = json.readValue(body, KeyRequest.class);
        if (request == null) {
            // the JSON null: read as no request at all, it reached the validator as null and answered 500
            throw new ProblemException(Problem.of(400, "bad-request", "Unexpected body",
                    "send no body, or a JSON object such as {\"expiresAt\": \"…\"}"));
        }
        return Violations.check(validator, request);
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

package org.w4r.tally.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.kit.security.Roles;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.validation.Slug;
import org.w4r.tally.model.Webhook;
import org.w4r.tally.service.WebhookService;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An entity's webhooks as a coordinator sees them: to find and delete a receiver that a leaked entity key registered,
 * which otherwise kept getting the entity's totals and case notices until the entity itself deleted it. Coordinators
 * only (least privilege: the role that reads the audit trail and answers for the platform's data going out); the
 * entity manages its own through {@code /api/v1/webhooks}.
 */
@Path("/api/v1/entities/{entityId}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.COORDINATOR)
public class EntityWebhookResource {
    @Inject
    WebhookService webhooks;

    /**
     * A webhook as a coordinator sees it: the receiver's host, never its path or query, which a site may use for a
     * token (the audit trail keeps the host alone for the same reason), nor the secret.
     */
    @RequiredUnlessNullable
    @Schema(name = "EntityWebhook")
    public record EntityWebhookView(UUID id, @Schema(description = "the receiver's host") String host,
                                    List<String> events, Instant createdAt) {
        static EntityWebhookView of(Webhook w) {
            return new EntityWebhookView(w.id(), URI.create(w.url()).getHost(), w.events(), w.createdAt());
        }
    }

    @GET
    @Operation(operationId = "listEntityWebhooks", summary = "An entity's webhooks: receiver host, events, when (no path, no secret)")
    @APIResponse(responseCode = "200", description = "The webhooks; none is an empty list", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = EntityWebhookView.class)))
    @APIResponse(responseCode = "404", description = "No such entity: the platform does not know it and it has no webhook")
    public List<EntityWebhookView> list(@PathParam("entityId") @Slug String entityId) {
        return webhooks.listOfEntity(entityId).stream().map(EntityWebhookView::of).toList();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteEntityWebhook", summary = "Delete a webhook of an entity",
            description = "As the entity's own delete: nothing more is sent to it, its pending deliveries are given up, "
                    + "and the audit trail records the deletion with the coordinator as its actor.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "The entity has no webhook with this id")
    public void delete(@PathParam("entityId") @Slug String entityId, @PathParam("id") UUID id) {
        webhooks.delete(entityId, id);
    }
}

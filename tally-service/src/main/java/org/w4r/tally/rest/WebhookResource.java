package org.w4r.tally.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.tally.model.Webhook;
import org.w4r.tally.model.WebhookDelivery;
import org.w4r.tally.service.WebhookService;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Webhooks of an entity's website (docs/entity-developers.md#webhooks): entity keys only, and an entity sees and
 * changes only its own (another entity's webhook is a 404, as if it did not exist). Coordinators list and delete an
 * entity's webhooks through {@link EntityWebhookResource}.
 */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ENTITY)
public class WebhookResource {
    static final String NO_WEBHOOK = "Your entity has no webhook with this id";

    @Inject
    CurrentCaller caller;

    @Inject
    WebhookService webhooks;

    @Schema(name = "WebhookRequest")
    public record WebhookRequest(
            @NotNull @Size(min = 1, max = 2048)
            @Schema(required = true, description = "https URL of the receiver (no user information, no fragment)")
            String url,
            // six types since milestone.reached; the bound said five, so no webhook could take them all (a review,
            // 6 December 2026)
            @NotEmpty @Size(max = 6)
            @Schema(required = true, description = "event types to receive: case.held, case.released, case.closed, "
                    + "case.changed, totals.entity, milestone.reached")
            List<@NotNull @Pattern(regexp = WebhookService.EVENT_TYPES) String> events) {
    }

    @RequiredUnlessNullable
    @Schema(name = "Webhook")
    public record WebhookView(UUID id, String url, List<String> events, Instant createdAt) {
        static WebhookView of(Webhook w) {
            return new WebhookView(w.id(), w.url(), w.events(), w.createdAt());
        }
    }

    @RequiredUnlessNullable
    @Schema(name = "RegisteredWebhook", description = "The webhook and its signing secret, shown this once")
    public record Registered(UUID id, String url, List<String> events, Instant createdAt,
                             @Schema(description = "the HMAC-SHA256 key of W4R-Signature; never shown again")
                             String secret) {
    }

    @RequiredUnlessNullable
    @Schema(name = "WebhookDelivery")
    public record DeliveryView(UUID id,
                               @Schema(description = "also the W4R-Event-Id header") UUID eventId,
                               String eventType,
                               @Schema(enumeration = {"pending", "delivered", "dead"}) String state,
                               int attempts,
                               @Schema(nullable = true, description = "the receiver's last HTTP status") Integer lastStatus,
                               @Schema(nullable = true, description = "why the last attempt failed") String lastError,
                               Instant createdAt,
                               @Schema(nullable = true, implementation = String.class, format = "date-time",
                                       description = "when a pending delivery is tried next") Instant nextAttemptAt,
                               @Schema(nullable = true, implementation = String.class, format = "date-time") Instant deliveredAt) {
        static DeliveryView of(WebhookDelivery d) {
            return new DeliveryView(d.id(), d.eventId(), d.eventType(), d.state(), d.attempts(), d.lastStatus(),
                    d.lastError(), d.createdAt(), d.nextAttemptAt(), d.deliveredAt());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerWebhook", summary = "Register a webhook of your entity's website",
            description = "The answer holds the signing secret, shown this once. The URL must be https and resolve to "
                    + "public addresses only.")
    @APIResponseSchema(value = Registered.class, responseCode = "201", responseDescription = "Registered")
    @APIResponse(responseCode = "400", description = "The request is malformed or a field is invalid; 'field' names "
            + "it. For url: not https, not a host, or the host does not resolve, resolves to an internal address, or "
            + "did not resolve in time (w4r.webhooks.lookup-timeout)")
    @APIResponse(responseCode = "409", description = "Your entity has as many webhooks as it may have")
    @APIResponse(responseCode = "503", description = "lookups-busy: every lookup of receivers' hosts on this instance "
            + "is taken (w4r.webhooks.registration-lookups); nothing was registered, send the same request again after "
            + "Retry-After seconds. Or a dependency did not answer",
            headers = @Header(name = "Retry-After", description = "whole seconds to wait",
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)))
    public Response register(@Valid @NotNull WebhookRequest request) {
        WebhookService.Registered r = webhooks.register(caller.get().entityId(), request.url(), request.events());
        return Response.status(201).header("Cache-Control", "no-store")
                .entity(new Registered(r.webhook().id(), r.webhook().url(), r.webhook().events(),
                        r.webhook().createdAt(), r.secret()))
                .build();
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "Your entity's webhooks (without their secrets)")
    @APIResponse(responseCode = "200", description = "The webhooks", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
                    implementation = WebhookView.class)))
    public List<WebhookView> list() {
        return webhooks.list(caller.get().entityId()).stream().map(WebhookView::of).toList();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook of your entity",
            description = "Nothing more is sent to it; its pending deliveries are given up.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = NO_WEBHOOK)
    public void delete(@PathParam("id") UUID id) {
        webhooks.delete(caller.get().entityId(), id);
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The webhook's recent deliveries (newest first, up to 100)")
    @APIResponse(responseCode = "200", description = "The deliveries", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
                    implementation = DeliveryView.class)))
    @APIResponse(responseCode = "404", description = NO_WEBHOOK)
    public List<DeliveryView> deliveries(@PathParam("id") UUID id) {
        return webhooks.deliveries(caller.get().entityId(), id).stream().map(DeliveryView::of).toList();
    }

    @POST
    @Path("{id}/deliveries/{deliveryId}/replay")
    @Operation(operationId = "replayWebhookDelivery", summary = "Send a dead delivery again",
            description = "Queued again at once, with its attempts counted from zero; same event id and body.")
    @APIResponse(responseCode = "202", description = "Queued")
    @APIResponse(responseCode = "404", description = "Your entity has no such webhook, or the webhook no such delivery")
    @APIResponse(responseCode = "409", description = "The delivery is not dead (pending or delivered)")
    public Response replay(@PathParam("id") UUID id, @PathParam("deliveryId") UUID deliveryId) {
        webhooks.replay(caller.get().entityId(), id, deliveryId);
        return Response.accepted().build();
    }
}

package org.w4r.kit.outbox;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Roles;

import java.sql.SQLException;
import java.util.List;

/**
 * The outbox rows Kafka refused for good, for coordinators to look at: which topic and key, when, and why (events
 * carry ids and counts only, so nothing personal is shown). Served by every service that has an outbox.
 */
@Path("/api/v1/outbox/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.COORDINATOR)
public class DeadLetterResource {
    @Inject
    OutboxRelay relay;

    @GET
    @Operation(operationId = "listDeadLetters", summary = "The outbox rows Kafka refused for good (the first 1,000)")
    @APIResponse(responseCode = "200", description = "Oldest first", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = OutboxRelay.DeadLetter.class)))
    @APIResponse(responseCode = "404", description = "This service has no outbox")
    public List<OutboxRelay.DeadLetter> list() throws SQLException {
        if (!relay.enabled()) {
            throw ProblemException.notFound("outbox", "this service");
        }
        return relay.oldestDeadLetters();
    }
}

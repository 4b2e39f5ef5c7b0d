package org.w4r.kit.outbox;

import io.agroal.api.AgroalDataSource;
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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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

    @Inject
    AgroalDataSource dataSource;

    @Schema(description = "An outbox row Kafka refused for good: where it was going, when, and why")
    public record DeadLetter(@Schema(required = true) long id,
                             @Schema(required = true) String topic,
                             @Schema(nullable = true) String key,
                             @Schema(required = true) Instant createdAt,
                             @Schema(required = true) Instant failedAt,
                             @Schema(nullable = true) String error,
                             @Schema(required = true) int payloadBytes) {
    }

    @GET
    @Operation(operationId = "listDeadLetters", summary = "The outbox rows Kafka refused for good (the first 1,000)")
    @APIResponse(responseCode = "200", description = "Oldest first", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = DeadLetter.class)))
    @APIResponse(responseCode = "404", description = "This service has no outbox")
    public List<DeadLetter> list() throws SQLException {
        if (!relay.enabled()) {
            throw ProblemException.notFound("outbox", "this service");
        }
        List<DeadLetter> list = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select id, topic, event_key, created_at, failed_at, error, coalesce(octet_length(payload), 0)
                     from outbox_dead_letter order by id limit 1000""");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                list.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getInt(7)));
            }
        }
        return list;
    }
}

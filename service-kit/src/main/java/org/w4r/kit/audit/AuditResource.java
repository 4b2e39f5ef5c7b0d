package org.w4r.kit.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.w4r.kit.csv.CsvBodyWriter;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * This service's audit trail, for coordinators: who changed what, when and from where, newest first, as JSON or (with
 * {@code Accept: text/csv} or {@code ?format=csv}) as CSV. Served by every service; each keeps the trail of its own
 * writes, beside them in its own database.
 */
@Path("/api/v1/audit")
@Produces({MediaType.APPLICATION_JSON, CsvBodyWriter.MEDIA_TYPE})
@RolesAllowed(Roles.COORDINATOR)
public class AuditResource {
    @Inject
    AuditLog log;

    @GET
    @Operation(operationId = "readAuditTrail", summary = "The service's audit trail, newest first, filtered")
    @APIResponseSchema(value = AuditLog.Page.class, responseDescription = "The matching entries, newest first")
    public AuditLog.Page read(@QueryParam("from") @OneLine(max = 40) @Parameter(description = "from this instant (ISO-8601, UTC), inclusive") String from,
                              @QueryParam("to") @OneLine(max = 40) @Parameter(description = "before this instant (ISO-8601, UTC)") String to,
                              @QueryParam("actor") @OneLine(max = 200) String actor,
                              @QueryParam("entityId") @Slug String entityId,
                              @QueryParam("action") @Pattern(regexp = "^[a-z][a-z.-]{0,59}$")
                              @Parameter(description = "an action (case.hold.placed) or a prefix ending in '.' (case.)") String action,
                              @QueryParam("subjectId") @OneLine(max = 200) String subjectId,
                              @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(AuditLog.MAX_LIMIT) int limit,
                              @QueryParam("format") @Pattern(regexp = "^(csv|json)$") String format) throws SQLException {
        return log.read(new AuditLog.Filter(instant("from", from), instant("to", to), actor, entityId, action, subjectId, limit));
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "must be an instant such as 2026-12-01T00:00:00Z");
        }
    }
}

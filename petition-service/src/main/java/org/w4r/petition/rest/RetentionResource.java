package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.model.RetentionRun;
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.RetentionService;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The retention schedule for coordinators: when each campaign's signer and author data goes, what a run would take
 * (a dry run), the runs so far. No Idempotency-Key: a run repeated finds nothing left, and is recorded as such.
 */
@Path("/api/v1/retention")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.COORDINATOR)
public class RetentionResource {
    @Inject
    RetentionService retention;

    @Inject
    Committer committer;

    @RequiredUnlessNullable
    @Schema(name = "RetentionCampaign", description = "When a campaign's signer and author data is anonymised")
    public record CampaignView(String campaignId,
                               String name,
                               @Schema(description = "Its close, with every entity's extension") Instant closesAt,
                               @Schema(nullable = true, implementation = String.class, format = "date-time",
                                       description = "Its last handover (delivery-service)") Instant lastHandoverAt,
                               @Schema(description = "The later of the two, plus the retention period")
                               Instant dueAt,
                               @Schema(enumeration = {"open", "scheduled", "due", "retired"}) String state,
                               @Schema(nullable = true, implementation = String.class, format = "date-time",
                                       description = "When it was first anonymised") Instant retiredAt) {
        static CampaignView of(RetentionService.Schedule s) {
            return new CampaignView(s.campaignId(), s.name(), s.closesAt(), s.lastHandoverAt(), s.dueAt(), s.state(),
                    s.retiredAt());
        }
    }

    @RequiredUnlessNullable
    @Schema(name = "RetentionSchedule")
    public record ScheduleView(@Schema(description = "ISO-8601 period after the later of close and last "
                                       + "handover (w4r.retention.after)", example = "P6M") String after,
                               List<CampaignView> campaigns) {
    }

    @RequiredUnlessNullable
    @Schema(name = "RetentionCaseCount", description = "Signatures and messages of one case (counts only)")
    public record CaseCount(String caseId, long signatures, long messages) {
    }

    @RequiredUnlessNullable
    @Schema(name = "RetentionRun", description = "One run: what it found (dry run) or anonymised, by case; counts only")
    public record RunView(UUID runId,
                          String campaignId,
                          boolean dryRun,
                          Instant dueAt,
                          Instant startedAt,
                          Instant finishedAt,
                          @Schema(description = "Signatures with a name, country or consent") long signatures,
                          @Schema(description = "Messages with an author name or country") long messages,
                          List<CaseCount> byCase,
                          @Schema(description = "'schedule', or the staff principal who asked") String runBy) {
        static RunView of(RetentionRun r) {
            return new RunView(r.runId(), r.campaignId(), r.dryRun(), r.dueAt(), r.startedAt(), r.finishedAt(),
                    r.signatures(), r.messages(),
                    r.byCase().stream().map(c -> new CaseCount(c.caseId(), c.signatures(), c.messages())).toList(),
                    r.runBy());
        }
    }

    @GET
    @Operation(operationId = "getRetentionSchedule", summary = "When each campaign's signer and author data goes")
    @APIResponse(responseCode = "200", description = "Every campaign, oldest close first")
    public ScheduleView schedule() throws SQLException {
        return new ScheduleView(retention.after().toString(),
                retention.schedule(Instant.now()).stream().map(CampaignView::of).toList());
    }

    @GET
    @Path("runs")
    @Operation(operationId = "listRetentionRuns", summary = "The runs so far, newest first, dry runs included")
    @APIResponse(responseCode = "200", description = "The runs")
    public List<RunView> runs(@QueryParam("campaignId") @Slug String campaignId,
                              @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) throws SQLException {
        return retention.runs(campaignId, limit).stream().map(RunView::of).toList();
    }

    @POST
    @Path("runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "runRetention", summary = "Anonymise a due campaign now, or count what would go (dry run)",
            description = "A run takes signer names, countries and consents, and message authors, of the whole "
                    + "campaign; counts and the keyed email hashes stay. Refused before the campaign is due.")
    @APIResponse(responseCode = "200", description = "The run, as recorded",
            content = @Content(mediaType = Api.JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "not-due ('dueAt' says when), or run-in-progress")
    public Response run(@Valid @NotNull RetentionRunRequest request) throws SQLException {
        var command = request.dryRun() ? retention.dryRun(request.campaignId()) : retention.run(request.campaignId());
        return Answers.response(committer.commitRepeatable(200, command, RunView::of));
    }
}

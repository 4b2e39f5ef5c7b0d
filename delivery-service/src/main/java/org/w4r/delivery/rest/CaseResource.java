package org.w4r.delivery.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.delivery.service.CaseService;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.Slug;
import org.w4r.kit.validation.Violations;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The cases as delivery teams need them: target, status and whether a safety hold stops deliveries. */
@Path("/api/v1/cases")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.DELIVERY, Roles.COORDINATOR, Roles.CASE_MANAGER})
public class CaseResource {
    @Inject
    CaseService cases;

    @Inject
    Validator validator;

    public record DeliveryCase(String caseId, String campaignId, @Schema(nullable = true) String name,
                               @Schema(nullable = true) String country, @Schema(nullable = true) String targetAuthority,
                               @Schema(nullable = true) String status, boolean onHold,
                               @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "the safety hold; absent when none")
                               Hold hold) {
        static DeliveryCase of(CaseChanged c) {
            return new DeliveryCase(c.caseId(), c.campaignId(), c.name(), c.country(), c.targetAuthority(), c.status(),
                    c.hold() != null, c.hold() == null ? null : new Hold(c.hold().holdId(), c.hold().placedAt()));
        }
    }

    /** A hold by id and time only: its reason stays in case-service. */
    public record Hold(long holdId, @Schema(nullable = true) Instant placedAt) {
    }

    @GET
    @Operation(operationId = "listDeliveryCases", summary = "Every case with its safety hold, as this service knows it")
    public List<DeliveryCase> list() {
        return cases.list().stream().map(DeliveryCase::of).toList();
    }

    @GET
    @Path("{caseId}")
    @Operation(operationId = "getDeliveryCase", summary = "One case with its safety hold")
    public DeliveryCase get(@PathParam("caseId") String caseId) {
        return DeliveryCase.of(cases.find(caseId));
    }

    public record Counts(String caseId, @Schema(enumeration = {"petition", "solidarity"}) String kind,
                         @Schema(nullable = true) String entityId, Instant until, long total,
                         Map<String, Long> byEntity, Map<String, Long> byType) {
    }

    /**
     * How far ahead a preview's cut-off may lie: petition-service's own bound ({@code Cutoff.LATEST}, 366 days), as
     * the pack preview asks it for the signers or messages up to that cut-off. Until a read-only review of 6 December
     * 2026 it was ten years, like a plan's date: petition-service refused anything past a year with 400, which
     * reached the caller as {@code 503 petition-service-unavailable} with Retry-After, for a request no retry could
     * mend. The counts preview takes the same bound: it shows the figures beside the pack preview, for the same
     * cut-off, and a handover's own cut-off may not lie ahead at all.
     */
    // a day below petition-service's bound: it judges the same instant by its own clock, and a preview at the very
    // bound, with that clock a moment behind this one, was refused there and answered 500 here (review of this change)
    static final int UNTIL_DAYS_AHEAD = 365;

    /** The cut-off of a preview. */
    record Until(@CampaignEra(daysAhead = UNTIL_DAYS_AHEAD) Instant until) {
    }

    /** A preview's cut-off as given ({@code until}, ISO-8601), or now; at the microsecond either way (IsoInstant). */
    static Instant cutoff(Validator validator, String until) {
        if (until == null) {
            return Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
        return Violations.check(validator, new Until(IsoInstant.read(until)
                .orElseThrow(() -> ProblemException.invalid("until", "'until' must be an ISO-8601 instant such as 2027-03-28T10:00:00Z"))))
                .until();
    }

    @GET
    @Path("{caseId}/counts")
    @RolesAllowed(Roles.DELIVERY)
    @Operation(operationId = "previewCounts", summary = "What a handover with this cut-off would freeze right now")
    public Counts counts(@PathParam("caseId") String caseId,
                         @QueryParam("until") @Parameter(description = "the cut-off (ISO-8601), at most 365 days ahead; now when absent",
                                 schema = @Schema(type = SchemaType.STRING, format = "date-time")) String until,
                         @QueryParam("kind") @Pattern(regexp = DeliveryKinds.KIND_PATTERN)
                         @Schema(enumeration = {"petition", "solidarity"}, defaultValue = "petition") String kind,
                         @QueryParam("entityId") @Slug String entityId) {
        String effectiveKind = kind == null ? DeliveryKinds.PETITION : kind;
        Instant cutoff = cutoff(validator, until);
        FrozenCounts result = cases.preview(caseId, effectiveKind, entityId, cutoff);
        return new Counts(caseId, effectiveKind, entityId, cutoff, result.total(), result.byEntity(), result.byType());
    }
}

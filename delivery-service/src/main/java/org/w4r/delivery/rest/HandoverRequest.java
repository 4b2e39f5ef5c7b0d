package org.w4r.delivery.rest;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.delivery.service.HandoverCommand;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.OneLine;

import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /api/v1/deliveries/{id}/handover}. The instants' bounds here are the shape (a handover at most a
 * day ahead, a cut-off in the campaign era); the exact rules (not in the future beyond clock skew, the cut-off neither
 * after the delivery nor in the future) are the service's.
 */
public record HandoverRequest(
        @NotNull @CampaignEra(daysAhead = 1) @JsonDeserialize(using = IsoInstant.class)
        @Schema(example = "2027-03-28T10:30:00Z") Instant deliveredAt,
        @CampaignEra(daysAhead = 3660) @JsonDeserialize(using = IsoInstant.class)
        @Schema(nullable = true, description = "counts are frozen up to it; defaults to deliveredAt, or to now when "
                + "deliveredAt is ahead of the server's clock", example = "2027-03-27T23:59:59Z")
        Instant cutoff,
        @NotBlank @OneLine(max = 200) @Schema(maxLength = 200, example = "Amnesty Malta team") String deliveredBy,
        @OneLine(max = 2000) @Schema(nullable = true, maxLength = 2000, example = "received by the ministry secretary") String notes,
        @Size(max = 20) @Schema(nullable = true, description = "http(s) links (each at most 2,000 characters), at most 20")
        List<@NotNull @OneLine(max = 2000) @Pattern(regexp = WEB_URL) String> evidence) {

    /** An absolute http(s) URL with a host. */
    static final String WEB_URL = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#@]+([/?#]\\S*)?$";

    HandoverCommand command() {
        return new HandoverCommand(deliveredAt, cutoff, deliveredBy.trim(), PlanRequest.blankToNull(notes),
                evidence == null ? List.of() : evidence);
    }
}

package org.w4r.delivery.rest;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.service.PlanCommand;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.CountryCode;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;

import java.time.Instant;

/**
 * Body of {@code POST /api/v1/deliveries}; the shape is checked here, whether the case and entity exist by the service.
 * ({@code maxLength} is repeated in {@code @Schema}: the OpenAPI generator does not read the length of a composed
 * constraint such as {@code @OneLine}.)
 */
public record PlanRequest(
        @NotBlank @Slug @Schema(example = "el-hiblu-3") String caseId,
        @NotNull @Pattern(regexp = DeliveryKinds.KIND_PATTERN) @Schema(enumeration = {"petition", "solidarity"}, example = "petition") String kind,
        @NotNull @Valid Recipient recipient,
        @Valid @Schema(nullable = true) Place place,
        @Slug @Schema(nullable = true, description = "the plan then covers only this entity's actions", example = "ai-malta")
        String entityId,
        @NotNull @CampaignEra(daysAhead = 3660) @JsonDeserialize(using = IsoInstant.class)
        @Schema(example = "2027-03-28T10:00:00Z") Instant plannedFor) {

    public record Recipient(
            @NotNull @Pattern(regexp = DeliveryKinds.RECIPIENT_KIND_PATTERN)
            @Schema(enumeration = {"target-authority", "embassy", "rights-holder", "family", "other"}, example = "target-authority")
            String kind,
            @NotBlank @OneLine(max = 200) @Schema(maxLength = 200, example = "Maltese authorities") String name) {
    }

    public record Place(@OneLine(max = 100) @Schema(nullable = true, maxLength = 100, example = "Valletta") String city,
                        @CountryCode @Schema(nullable = true, example = "MT") String country) {
    }

    /** The one normalisation: trimmed texts, blank as absent, the country upper-cased. */
    PlanCommand command() {
        return new PlanCommand(caseId.trim(), kind, recipient.kind(), recipient.name().trim(),
                place == null ? null : blankToNull(place.city()),
                place == null ? null : CountryCode.Codes.normalise(place.country()), blankToNull(entityId), plannedFor);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

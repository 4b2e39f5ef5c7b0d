package org.w4r.cases.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.cases.service.CaseService;
import org.w4r.kit.csv.CsvRows;
import org.w4r.kit.validation.CountryCode;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;

import java.util.List;

/**
 * A new case, as JSON or as one row of a cases file; its shape is checked before the resource runs. A text's
 * {@code maxLength} is repeated in {@code @Schema}: the length of the kit's {@code @OneLine} (an overridden attribute
 * of a composed {@code @Size}) does not reach the OpenAPI document by itself.
 */
public record CaseRequest(
        @NotNull @Slug @Schema(example = "gustavo-gatica") String caseId,
        @NotNull @Slug @Schema(example = "w4r-2026") String campaignId,
        @NotBlank @OneLine(max = 200) @Schema(maxLength = 200, example = "Gustavo Gatica") String name,
        @NotBlank @CountryCode @Schema(example = "CL") String country,
        @OneLine(max = 300) @Schema(maxLength = 300, example = "President of Chile") String targetAuthority,
        @Pattern(regexp = CaseRequest.SCOPES) @Schema(enumeration = {"global", "local"}, defaultValue = "global") String scope,
        @Slug @Schema(description = "the entity a local case belongs to; required when scope is local",
                example = "ai-chile") String localEntityId,
        @Min(0) @Max(CaseRequest.MAX_GOAL) @Schema(example = "376728") Long goal,
        @Pattern(regexp = CaseRequest.STATUSES) @Schema(enumeration = {"draft", "active", "closed"}, defaultValue = "draft")
        String status,
        @Schema(defaultValue = "true") Boolean publicCounter,
        @Size(min = 1, max = 10) @Schema(description = MILESTONES, example = "[10, 25, 50, 75, 100]")
        List<@NotNull @Min(1) @Max(1000) Integer> milestones,
        @OneLine(max = 1000) @Schema(maxLength = 1000, description = DEMAND,
                example = "Free Gustavo Gatica's attackers from impunity: bring those responsible to justice") String demand) {

    /** Far above any campaign's reach (2020: about 4.5 million actions in all), far below bigint's. */
    static final long MAX_GOAL = 1_000_000_000L;
    static final String SCOPES = "^(global|local)$";
    static final String STATUSES = "^(draft|active|closed)$";
    /**
     * At least one character that is not white space, on one line. Linear: {@code .*\S.*} tried every split of a
     * long line that had a line break at its end, quadratic in the text (a read-only audit, 4 December 2026: 20,000
     * characters took 1.2 s of a worker, and a body may hold a megabyte). Here the leading blanks and the first
     * visible character cannot overlap, so nothing is tried twice. No possessive quantifier: the pattern is also the
     * OpenAPI schema's, which is an ECMAScript regular expression.
     */
    static final String NOT_BLANK = "[ \\t\\x0B\\f]*\\S.*";

    /**
     * A query flag: {@code true} or {@code false}, in any case. A plain boolean parameter read anything else as false,
     * so {@code ?dryRun=1} ran a real import where the caller asked for a preview.
     */
    static final String TRUE_OR_FALSE = "(?i)true|false";
    static final String DEMAND = "what the campaign asks the target authority for this case, in public wording: "
            + "printed on the delivery pack's cover";
    static final String MILESTONES = "percentages of the goal at which a milestone is announced (webhook "
            + "milestone.reached, the dashboard); absent: the platform's default, 25, 50, 75 and 100";

    /** Ascending and each once, as the tally reads them. */
    static List<Integer> ascending(List<Integer> percents) {
        return percents == null ? null : percents.stream().distinct().sorted().toList();
    }

    CaseService.CaseInput command() {
        return new CaseService.CaseInput(caseId, campaignId, Text.trim(name), CountryCode.Codes.normalise(country),
                Text.trim(targetAuthority), scope, localEntityId, goal, status, publicCounter, ascending(milestones),
                Text.trim(demand));
    }

    /**
     * One row of the 2020 report's cases.csv ({@code case_id,name,country,iso2,estimated_actions}; optional
     * {@code target_authority}, {@code scope}, {@code local_entity_id}, {@code goal}, {@code status}, {@code demand}).
     */
    static CaseRequest of(CsvRows.Row row, String campaignId) {
        String country = row.get("country");
        String target = row.cells().containsKey("target_authority") ? row.get("target_authority")
                : country == null ? null : "Authorities of " + country;
        String goal = row.cells().containsKey("goal") ? row.get("goal") : row.get("estimated_actions");
        return new CaseRequest(row.get("case_id"), campaignId, row.get("name"),
                row.get("iso2") != null ? row.get("iso2") : country, target, row.get("scope"),
                row.get("local_entity_id"), Text.whole("goal", goal), row.get("status"), null, null, row.get("demand"));
    }

    /** A change: only what is named changes; a name given must not be blank. */
    public record CaseEdit(
            @OneLine(max = 200) @Schema(maxLength = 200) @Pattern(regexp = NOT_BLANK, message = "must not be blank")
            String name,
            @CountryCode String country,
            @OneLine(max = 300) @Schema(maxLength = 300, description = "an empty text clears it") String targetAuthority,
            @Min(0) @Max(MAX_GOAL) Long goal,
            @Pattern(regexp = STATUSES) @Schema(enumeration = {"draft", "active", "closed"}) String status,
            Boolean publicCounter,
            @Size(max = 10) @Schema(description = MILESTONES + "; [] goes back to the default")
            List<@NotNull @Min(1) @Max(1000) Integer> milestones,
            @OneLine(max = 1000) @Schema(maxLength = 1000, description = DEMAND + "; an empty text clears it") String demand) {

        CaseService.CaseInput command() {
            // an empty target authority stays empty: it clears the one stored
            return new CaseService.CaseInput(null, null, Text.trim(name), CountryCode.Codes.normalise(country),
                    targetAuthority == null ? null : targetAuthority.trim(), null, null, goal, status, publicCounter,
                    ascending(milestones), demand == null ? null : demand.trim());
        }
    }

    public record StatusChange(
            @NotNull @Pattern(regexp = STATUSES) @Schema(enumeration = {"draft", "active", "closed"}) String status) {
    }

    public record HoldRequest(
            @NotBlank @OneLine(max = 1000) @Schema(maxLength = 1000, example = "threats against the family") String reason) {
    }
}

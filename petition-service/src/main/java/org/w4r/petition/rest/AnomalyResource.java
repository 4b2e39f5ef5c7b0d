package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.events.CampaignChanged;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.service.AnomalyWatch;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What trends, for coordinators: actions per minute by entity, signer email domain (its keyed hash) and signer country
 * against their own baseline ({@link AnomalyWatch}); a trending domain hash can be selected for invalidation as it is.
 */
@Path("/api/v1/anomalies")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.COORDINATOR)
public class AnomalyResource {
    @Inject
    AnomalyWatch watch;

    @Inject
    ReferenceData reference;

    @RequiredUnlessNullable
    @Schema(name = "Trend", description = "One entity, email domain or country: its rate in the window and its baseline")
    public record TrendView(
            @Schema(enumeration = {"entity", "emailDomain", "country"}) String dimension,
            @Schema(description = "The entity id, the country, or for a domain its keyed hash (64 hex "
                    + "digits; the domain itself is never stored beside a signer): select it for invalidation as "
                    + "emailDomainHash") String value,
            @Schema(description = "Actions in the window") long actions,
            double perMinute,
            @Schema(description = "Its rate in the baseline before the window") double baselinePerMinute,
            @Schema(description = "perMinute over the baseline rate (a baseline under 1 a minute counts as 1)")
            double ratio,
            @Schema(description = "At least minPerMinute and factor times the baseline") boolean trending) {
        static TrendView of(AnomalyWatch.Trend t) {
            return new TrendView(AnomalyWatch.tag(t.dimension()), t.value(), t.recent(), t.perMinute(),
                    t.baselinePerMinute(), t.ratio(), t.trending());
        }
    }

    @RequiredUnlessNullable
    @Schema(name = "Anomalies", description = "A scan of one campaign's accepted actions that still count")
    public record ReportView(String campaignId,
                             @Schema(description = "The end of the window") Instant at,
                             Instant windowFrom,
                             @Schema(description = "The baseline runs from here to windowFrom (no "
                                     + "earlier than the campaign opened)") Instant baselineFrom,
                             double factor,
                             double minPerMinute,
                             @Schema(description = "How many values trend, in every dimension") int trending,
                             @Schema(description = "Per dimension: every trending value, then the "
                                     + "fastest others, up to 25 in all") List<TrendView> trends,
                             @Schema(description = "A dimension had more values at minPerMinute than one scan reads "
                                     + "(1,000 per dimension, the fastest): trending and trends count only those")
                             boolean truncated) {
    }

    @GET
    @Operation(operationId = "getAnomalies", summary = "What runs over its own baseline",
            description = "Accepted signatures and online actions per minute by entity, signer email domain (its keyed "
                    + "hash) and signer country in a window, each against its own rate in the baseline before it. "
                    + "Defaults: the current campaign, now, the service's window, baseline and thresholds.")
    @APIResponse(responseCode = "200", description = "The scan")
    @APIResponse(responseCode = "404", description = "No such campaign (or no current one)")
    public ReportView scan(
            @QueryParam("campaignId") @Slug String campaignId,
            @QueryParam("at") @OneLine(max = 40) @Parameter(description = "The end of the window (ISO-8601, UTC), from "
                    + "2000-01-01T00:00:00Z to a year from now; default now")
            String at,
            @QueryParam("windowMinutes") @Min(1) @Max(1440) Integer windowMinutes,
            @QueryParam("baselineHours") @Min(1) @Max(24 * 14) Integer baselineHours,
            @QueryParam("factor") @DecimalMin("1") @DecimalMax("1000") Double factor,
            @QueryParam("minPerMinute") @DecimalMin("0.1") @DecimalMax("100000") Double minPerMinute) throws SQLException {
        CampaignChanged campaign = (campaignId == null ? reference.currentCampaign() : reference.findCampaign(campaignId))
                .orElseThrow(() -> ProblemException.notFound("campaign", campaignId == null ? "current" : campaignId));
        AnomalyWatch.Settings d = watch.defaults();
        AnomalyWatch.Settings settings = new AnomalyWatch.Settings(
                windowMinutes == null ? d.window() : Duration.ofMinutes(windowMinutes),
                baselineHours == null ? d.baseline() : Duration.ofHours(baselineHours),
                factor == null ? d.factor() : factor, minPerMinute == null ? d.minPerMinute() : minPerMinute);
        AnomalyWatch.Report r = watch.scan(campaign, instant(at), settings);
        return new ReportView(r.campaignId(), r.at(), r.windowFrom(), r.baselineFrom(), settings.factor(),
                settings.minPerMinute(), r.trending(), r.trends().stream().map(TrendView::of).toList(), r.truncated());
    }

    /**
     * Bounded as a read's cut-off is ({@link Cutoff}): an instant Java parses but PostgreSQL cannot store
     * (+300000-01-01T00:00:00Z, SQL state 22008), or one the window cannot be subtracted from
     * (-1000000000-01-01T00:00:00Z, a DateTimeException), was a 500 until a read-only audit (4 December 2026). Empty
     * is absent, as an empty cut-off is.
     */
    private static Instant instant(String value) {
        Instant at = Cutoff.parse("at", value);
        return at == null ? Instant.now() : at;
    }
}

package org.w4r.tally.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.w4r.events.CampaignChanged;
import org.w4r.kit.csv.CsvBodyWriter;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.Slug;
import org.w4r.tally.service.CampaignService;
import org.w4r.tally.service.TotalsService;
import org.w4r.tally.service.Views.CaseDetail;
import org.w4r.tally.service.Views.Comparison;
import org.w4r.tally.service.Views.Countries;
import org.w4r.tally.service.Views.Days;
import org.w4r.tally.service.Views.EntityDetail;
import org.w4r.tally.service.Views.Matrix;
import org.w4r.tally.service.Views.ReportCases;
import org.w4r.tally.service.Views.ReportEntities;
import org.w4r.tally.service.Views.Totals;

import java.util.List;

/**
 * Campaign totals for staff, as JSON or, with {@code Accept: text/csv} (or {@code ?format=csv}), as CSV tables: every
 * answer is also a table ({@link org.w4r.kit.csv.CsvTable.Source}) and JAX-RS picks the writer. Every query is about
 * the current campaign unless {@code ?campaign=} names another (404 when it names none). The document's CSV side of
 * each answer is {@link org.w4r.kit.csv.CsvAnswers}'.
 */
@Path("/api/v1/totals")
@Produces({MediaType.APPLICATION_JSON, CsvBodyWriter.MEDIA_TYPE})
@RolesAllowed({Roles.COORDINATOR, Roles.CASE_MANAGER, Roles.DELIVERY, Roles.MODERATOR})
// every operation's 404 unless it declares one that says more (SmallRye reads the class's responses first)
@APIResponse(responseCode = "404", description = TotalsResource.NO_CAMPAIGN)
public class TotalsResource {
    static final String NO_CAMPAIGN = "The campaign named by ?campaign= does not exist, or none is current";
    static final String NO_CASE = "The campaign does not exist, or the case named by ?caseId= is neither in it nor counted in it";

    @Inject
    TotalsService totals;

    @Inject
    CampaignService campaigns;

    @GET
    @Operation(operationId = "totals", summary = "The campaign's totals: every case, every entity, by type and mode")
    @APIResponseSchema(value = Totals.class, responseDescription = "The totals")
    public Totals totals(@Valid @BeanParam CampaignQuery query) {
        return totals.totals(campaign(query));
    }

    @GET
    @Path("/cases/{caseId}")
    @Operation(operationId = "caseTotals", summary = "One case's totals by entity, type, mode and day, and what was delivered")
    @APIResponseSchema(value = CaseDetail.class, responseDescription = "The case's totals")
    @APIResponse(responseCode = "404", description = "The campaign does not exist, or the case is neither in it nor counted in it")
    public CaseDetail caseTotals(@PathParam("caseId") @Slug String caseId, @Valid @BeanParam CampaignQuery query) {
        return totals.caseDetail(campaign(query), caseId);
    }

    @GET
    @Path("/entities/{entityId}")
    @Operation(operationId = "entityTotals", summary = "One entity's totals by case, type, mode and day")
    @APIResponseSchema(value = EntityDetail.class, responseDescription = "The entity's totals")
    @APIResponse(responseCode = "404", description = "The campaign does not exist, or the entity is neither known nor counted")
    public EntityDetail entityTotals(@PathParam("entityId") @Slug String entityId,
                                     @Valid @BeanParam CampaignQuery query) {
        return totals.entityDetail(campaign(query), entityId);
    }

    /** The case × entity matrix: one row per entity, one column per case of the campaign. */
    @GET
    @Path("/matrix")
    @Operation(operationId = "totalsMatrix", summary = "The case × entity matrix, one row per entity")
    @APIResponseSchema(value = Matrix.class, responseDescription = "The matrix")
    public Matrix matrix(@Valid @BeanParam CampaignQuery query) {
        return totals.matrix(campaign(query));
    }

    /** The time series by day (UTC), optionally for one case ({@code ?caseId=}) and/or one entity ({@code ?entityId=}). */
    @GET
    @Path("/days")
    @Operation(operationId = "totalsByDay", summary = "The totals by day (UTC), optionally of one case and/or one entity")
    @APIResponseSchema(value = Days.class, responseDescription = "The days")
    public Days days(@Valid @BeanParam CampaignQuery query, @QueryParam("caseId") @Slug String caseId,
                     @QueryParam("entityId") @Slug String entityId) {
        return totals.days(campaign(query), caseId, entityId);
    }

    /** Two campaigns side by side: {@code ?with=<other>} (required), against {@code ?campaign=} or the current one. */
    @GET
    @Path("/compare")
    @Operation(operationId = "compareCampaigns", summary = "Two campaigns side by side, by type, mode, entity, case and day of campaign")
    @APIResponseSchema(value = Comparison.class, responseDescription = "The comparison")
    @APIResponse(responseCode = "404", description = "One of the two campaigns does not exist, or none is current")
    public Comparison compare(@Valid @BeanParam CampaignQuery query,
                              @QueryParam("with") @NotNull(message = "name the campaign to compare with: ?with=<campaignId>")
                              @Slug String with) {
        return totals.compare(List.of(campaign(query), campaigns.resolve(with)));
    }

    @GET
    @Path("/report/cases")
    @Operation(operationId = "reportCases", summary = "The campaign report's table of cases, as the 2020 report prints it")
    @APIResponseSchema(value = ReportCases.class, responseDescription = "The table")
    public ReportCases reportCases(@Valid @BeanParam CampaignQuery query) {
        return totals.reportCases(campaign(query));
    }

    @GET
    @Path("/report/entities")
    @Operation(operationId = "reportEntities", summary = "The campaign report's table of entities, in capitals, by name")
    @APIResponseSchema(value = ReportEntities.class, responseDescription = "The table")
    public ReportEntities reportEntities(@Valid @BeanParam CampaignQuery query) {
        return totals.reportEntities(campaign(query));
    }

    /** Actions by the signer's country (issue 16): the campaign's, or one case's with {@code ?caseId=}. */
    @GET
    @Path("/countries")
    @Operation(operationId = "totalsBySignerCountry", summary = "Actions by the signer's country, optionally of one case")
    @APIResponseSchema(value = Countries.class, responseDescription = "The countries")
    @APIResponse(responseCode = "404", description = NO_CASE)
    public Countries countries(@Valid @BeanParam CampaignQuery query, @QueryParam("caseId") @Slug String caseId) {
        return totals.signerCountries(campaign(query), caseId);
    }

    /** Actions by the country of the entity that collected them, for the map beside the signers' countries. */
    @GET
    @Path("/entity-countries")
    @Operation(operationId = "totalsByEntityCountry", summary = "Actions by the country of the entity that collected them, optionally of one case")
    @APIResponseSchema(value = Countries.class, responseDescription = "The countries")
    @APIResponse(responseCode = "404", description = NO_CASE)
    public Countries entityCountries(@Valid @BeanParam CampaignQuery query, @QueryParam("caseId") @Slug String caseId) {
        return totals.entityCountries(campaign(query), caseId);
    }

    private CampaignChanged campaign(CampaignQuery query) {
        return campaigns.resolve(query.campaign);
    }
}

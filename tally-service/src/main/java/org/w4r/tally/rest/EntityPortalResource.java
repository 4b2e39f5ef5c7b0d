package org.w4r.tally.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.w4r.events.CaseChanged;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.Slug;
import org.w4r.tally.rest.DashboardResource.CampaignInfo;
import org.w4r.tally.service.EntityPortal;
import org.w4r.tally.service.Views.EntityDetail;

import java.util.List;

/**
 * The entity portal's figures (issue 21): an entity key reads its own entity's totals, never another's. The entity
 * is the credential's; no path or parameter names one, so there is nothing to point at another entity's.
 */
@Path("/api/v1/entity")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ENTITY)
public class EntityPortalResource {
    @Inject
    CurrentCaller caller;

    @Inject
    EntityPortal portal;

    /** Nullable as a schema ({@link DashboardResource.Hold} says why): null when the entity counted nothing. */
    @RequiredUnlessNullable
    @Schema(name = "EntityRank", nullable = true,
            description = "the entity's place among those that counted something; null when it counted nothing")
    public record Rank(@Schema(description = "1 for the entity with the most actions; ties share a place")
                       int position,
                       @Schema(description = "how many entities counted something") int of) {
        static Rank of(EntityPortal.Rank r) {
            return r == null ? null : new Rank(r.position(), r.of());
        }
    }

    @RequiredUnlessNullable
    @Schema(name = "PortalCase", description = "A case the entity may count for: global, or its own local case")
    public record PortalCase(String caseId, @Schema(nullable = true) String name,
                             @Schema(nullable = true) String country, @Schema(nullable = true) String targetAuthority,
                             @Schema(description = "true for the entity's own local case") boolean local,
                             @Schema(nullable = true) String status,
                             @Schema(description = "on safety hold (no reason: that stays with staff)")
                             boolean held) {
        static PortalCase of(CaseChanged c) {
            return new PortalCase(c.caseId(), c.name(), c.country(), c.targetAuthority(), "local".equals(c.scope()),
                    c.status(), c.hold() != null);
        }
    }

    /** Nullable as a schema ({@link DashboardResource.Hold} says why): null when there is no previous campaign. */
    @Schema(name = "EntityPortalPrevious", nullable = true,
            description = "the campaign before this one, with the entity's figures in it; null for the first campaign")
    public record Previous(@Schema(required = true) CampaignInfo campaign, @Schema(required = true) EntityDetail totals,
                           Rank rank) {
    }

    @Schema(name = "EntityPortal")
    public record Portal(@Schema(required = true) String entityId, @Schema(required = true) CampaignInfo campaign,
                         @Schema(required = true) EntityDetail totals, Rank rank, Previous previous,
                         @Schema(required = true) List<PortalCase> cases) {
    }

    @GET
    @Path("/totals")
    @Operation(operationId = "ownEntityTotals",
            summary = "Your entity's totals by case, type, mode and day, the previous campaign's, its rank and cases")
    @APIResponseSchema(value = Portal.class, responseDescription = "Your entity's figures")
    @APIResponse(responseCode = "404", description = TotalsResource.NO_CAMPAIGN)
    public Portal totals(@QueryParam("campaign") @Slug String campaign) {
        String entityId = caller.get().entityId();
        EntityPortal.Portal p = portal.of(entityId, campaign);
        Previous previous = p.previous() == null ? null : new Previous(DashboardResource.info(p.previous()),
                p.previousTotals(), Rank.of(p.previousRank()));
        return new Portal(entityId, DashboardResource.info(p.campaign()), p.totals(), Rank.of(p.rank()), previous,
                p.cases().stream().map(PortalCase::of).toList());
    }
}

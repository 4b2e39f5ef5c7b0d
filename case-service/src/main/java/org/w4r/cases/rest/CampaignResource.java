package org.w4r.cases.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.w4r.cases.model.Campaign;

import java.time.Instant;
import java.util.List;

/** Campaigns (editions) for staff. */
@Path("/api/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
public class CampaignResource {

    public record CampaignView(String campaignId, String name, Instant opensAt, Instant closesAt, boolean current) {
    }

    @GET
    public List<CampaignView> list() {
        return Campaign.<Campaign>list("order by opensAt desc").stream()
                .map(c -> new CampaignView(c.id, c.name, c.opensAt, c.closesAt, c.current)).toList();
    }
}

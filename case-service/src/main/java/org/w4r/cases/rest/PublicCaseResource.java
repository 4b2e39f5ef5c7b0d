package org.w4r.cases.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CaseFile;

import java.util.List;

/** The active cases of the current campaign, for entity websites to list; no secrets, no auth. */
@Path("/public/v1/cases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "public")
public class PublicCaseResource {

    public record PublicCase(String caseId, String name, String country,
                             @Schema(enumeration = {"global", "local"}) String scope,
                             @Schema(nullable = true) String localEntityId, @Schema(nullable = true) Long goal) {
    }

    @GET
    @Operation(operationId = "listPublicCases", summary = "The active cases of the current campaign")
    public List<PublicCase> list() {
        return Campaign.findCurrent()
                .map(campaign -> CaseFile.<CaseFile>list("campaignId = ?1 and status = 'active' order by id", campaign.id))
                .orElse(List.of()).stream()
                .map(c -> new PublicCase(c.id, c.name, c.country, c.scope, c.localEntityId, c.goal))
                .toList();
    }
}

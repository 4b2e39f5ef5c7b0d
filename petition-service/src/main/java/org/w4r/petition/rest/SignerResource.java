package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.kit.csv.CsvBodyWriter;
import org.w4r.kit.csv.CsvTable;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.model.ConsentingSigner;
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.ErasureService;
import org.w4r.petition.service.SignerExportService;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Signer data: the consented list for a delivery, and erasure on request. */
@Path("/api/v1")
public class SignerResource {
    @Inject
    SignerExportService export;

    @Inject
    ErasureService erasures;

    @Inject
    Committer committer;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("cases/{caseId}/signers.csv")
    @Produces(CsvBodyWriter.MEDIA_TYPE)
    @RolesAllowed(Roles.DELIVERY)
    @Operation(operationId = "exportSigners", summary = "The signers of a case who consented to have their name delivered",
            description = "Name and country, oldest first, up to the cut-off; cells a spreadsheet would run as a formula "
                    + "are prefixed with an apostrophe. Refused while the case is on safety hold.")
    @APIResponse(responseCode = "200", description = "The list", content = @Content(mediaType = CsvBodyWriter.MEDIA_TYPE,
            schema = @Schema(type = SchemaType.STRING, example = "name,country\n\"Ada Lovelace\",FR\n")))
    @APIResponse(responseCode = "404", description = "The case does not exist")
    @APIResponse(responseCode = "409", description = "The case is on safety hold ('hold' says since when)")
    @APIResponse(responseCode = "410", description = "signer-data-retired: the case's campaign was anonymised under the "
            + "retention schedule ('retiredAt' says when)")
    public Response signers(@Parameter(description = "The case; one that does not exist (any id that is not a case's "
                                    + "slug) is a 404") @PathParam("caseId") String caseId,
                            @Parameter(description = "Signatures up to this instant (default: now)",
                                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                            @QueryParam("until") String until) throws SQLException {
        Instant cutoff = Cutoff.parse("until", until);
        List<List<Object>> rows = export.signers(caseId, cutoff == null ? Instant.now() : cutoff).stream()
                .map(SignerResource::row).toList();
        return Response.ok(new CsvTable(caseId + "-signers", List.of("name", "country"), rows))
                .header("Cache-Control", "no-store").build();
    }

    private static List<Object> row(ConsentingSigner signer) {
        return List.of(signer.name(), signer.country());
    }

    /**
     * A supporter asked to be forgotten: their names, countries and messages go; their counts stay. An entity erases
     * what was taken through it; a coordinator erases across entities. No Idempotency-Key is kept: its fingerprint
     * would be an unkeyed hash of the email, and the same erasure twice is harmless.
     */
    @POST
    @Path("erasures")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENTITY, Roles.COORDINATOR})
    @Operation(operationId = "eraseSigner", summary = "Forget a supporter: their names, countries and messages",
            description = "Counts stay. An entity key erases what was taken through its entity, a coordinator across "
                    + "entities. The answer is the same whether or not the person ever signed.")
    @APIResponse(responseCode = "202", description = "Erased (or nothing to erase)", content = @Content(
            mediaType = Api.JSON, schema = @Schema(implementation = ErasureAccepted.class)))
    public Response erase(@Valid @NotNull ErasureRequest request) {
        Caller who = caller.get();
        String entityId = Roles.ENTITY.equals(who.role()) ? who.entityId() : null;
        return Answers.response(committer.commit(null, 202, erasures.erase(entityId, request.email().trim()),
                ErasureAccepted::of));
    }
}

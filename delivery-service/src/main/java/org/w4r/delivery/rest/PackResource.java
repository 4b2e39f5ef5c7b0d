package org.w4r.delivery.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.delivery.service.PackService;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The delivery packs of {@link DeliveryResource}'s deliveries (same path, its own class): the PDF and the ZIP of a
 * recorded handover, and the preview of a planned one. What all three can refuse is declared once, here; the preview
 * says where its refusals differ.
 */
@Path("/api/v1/deliveries")
@RolesAllowed(Roles.DELIVERY)
@APIResponse(responseCode = "404", description = "No delivery with this id")
@APIResponse(responseCode = "409", description = "case-on-hold, or not-delivered (no handover yet)")
@APIResponse(responseCode = "410", description = "pack-retired: the campaign's signer data was anonymised under the "
        + "retention schedule; packSha256 verifies a copy issued before")
@APIResponse(responseCode = "422", description = "unknown-case: the case left this service's read model, so its hold cannot be checked")
@APIResponse(responseCode = "503", description = "Nothing was issued or recorded; send the same request again after "
        + "Retry-After seconds. overloaded: another pack or preview is being built here (one at a time), or "
        + "petition-service is exporting another list; pack-outdated: an erasure arrived while it was built; "
        + "case-stream-behind, petition-service-unavailable",
        headers = @Header(name = "Retry-After", description = "whole seconds to wait", schema = @Schema(type = SchemaType.INTEGER)))
@APIResponse(responseCode = "500", description = "petition-service-refused: petition-service refused what this service "
        + "asked it for as a bad request; a fault of this service, logged, nothing issued or recorded: sending the same "
        + "request again will not help (until 6 December 2026 it was 503 petition-service-unavailable)")
public class PackResource {
    static final String CONTENT_LANGUAGE = "the pack's language (ar is served in en)";

    @Inject
    PackService packs;

    @Inject
    CurrentCaller caller;

    @Inject
    Validator validator;

    /**
     * The PDF for the recipient, in the language asked for or the recipient country's; {@code Repr-Digest} carries
     * the SHA-256 also stored on the handover.
     */
    @GET
    @Path("{id}/pack")
    @Produces("application/pdf")
    @Operation(operationId = "getDeliveryPack", summary = "The delivery pack (PDF) of a recorded handover")
    @APIResponse(responseCode = "200", description = "The PDF; its SHA-256 is stored on the handover",
            headers = {@Header(name = "X-Pack-SHA256", description = "SHA-256 of the PDF, hex", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Repr-Digest", description = "sha-256=:<base64>:", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Language", description = CONTENT_LANGUAGE, schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = "application/pdf", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response pack(@PathParam("id") String id, @HeaderParam("Authorization") String authorization,
                         @Valid @BeanParam PackLanguage language) {
        PackService.Pack pack = packs.pack(DeliveryResource.id(id), authorization, caller.get().principal(), language.lang, false);
        return packAnswer(pack, pack.pdf(), "application/pdf");
    }

    /** The ZIP beside the pack: the same PDF, the list and the counts as CSV, and SHA256SUMS. */
    @GET
    @Path("{id}/pack.zip")
    @Produces("application/zip")
    @Operation(operationId = "getDeliveryPackZip", summary = "The delivery pack with its data as CSV, in a ZIP")
    @APIResponse(responseCode = "200", description = "The ZIP; X-Pack-SHA256 is the SHA-256 of the PDF inside, stored on the handover",
            headers = {@Header(name = "X-Pack-SHA256", description = "SHA-256 of the PDF in the ZIP, hex", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Language", description = CONTENT_LANGUAGE, schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = "application/zip", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response packZip(@PathParam("id") String id, @HeaderParam("Authorization") String authorization,
                            @Valid @BeanParam PackLanguage language) {
        PackService.Pack pack = packs.pack(DeliveryResource.id(id), authorization, caller.get().principal(), language.lang, true);
        return packAnswer(pack, pack.zip(), "application/zip");
    }

    /**
     * Issue 21.4: the pack a planned delivery would get if it were handed over now with this cut-off, to look at before
     * recording; marked as a preview on its cover, with nothing frozen or stored (the audit trail records that it was
     * seen). {@code X-Pack-SHA256} is this preview's, never stored on a handover.
     */
    @GET
    @Path("{id}/pack-preview")
    @Produces("application/pdf")
    @Operation(operationId = "previewDeliveryPack", summary = "What the pack of a planned delivery would be, handed over with this cut-off")
    @APIResponse(responseCode = "200", description = "The PDF, marked as a preview",
            headers = {@Header(name = "X-Pack-SHA256", description = "SHA-256 of this preview (not stored)", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Repr-Digest", description = "sha-256=:<base64>: of this preview", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Language", description = CONTENT_LANGUAGE, schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = "application/pdf", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "'until' is not an ISO-8601 instant between 2000-01-01 and 365 "
            + "days from now (petition-service's bound for a cut-off)")
    @APIResponse(responseCode = "409", description = "case-on-hold, or not-planned (handed over or cancelled: a recorded handover has its pack)")
    @APIResponse(responseCode = "410", description = "pack-retired: the campaign's signer data was anonymised under the retention schedule")
    @APIResponse(responseCode = "422", description = "unknown-case: the case left this service's read model, so its hold "
            + "cannot be checked; counts-out-of-range: a figure (named in figures) is outside what a handover can record, "
            + "as the handover would be told")
    public Response packPreview(@PathParam("id") String id, @HeaderParam("Authorization") String authorization,
                                @QueryParam("until") @Parameter(description = "the cut-off (ISO-8601), at most 365 days ahead; now when absent",
                                        schema = @Schema(type = SchemaType.STRING, format = "date-time")) String until,
                                @Valid @BeanParam PackLanguage language) {
        PackService.Pack pack = packs.preview(DeliveryResource.id(id), CaseResource.cutoff(validator, until), authorization,
                caller.get().principal(), language.lang);
        return packAnswer(pack, pack.pdf(), "application/pdf");
    }

    private static Response packAnswer(PackService.Pack pack, byte[] body, String type) {
        Response.ResponseBuilder answer = Response.ok(body, type)
                .header("Content-Disposition", "attachment; filename=\"" + pack.fileName() + "\"")
                .header("X-Pack-SHA256", pack.sha256())
                .header("Content-Language", pack.language())
                .header("Cache-Control", "no-store");
        if (type.equals("application/pdf")) {
            answer.header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(pack.sha256())) + ":");
        }
        return answer.build();
    }
}

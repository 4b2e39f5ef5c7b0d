package org.w4r.petition.rest;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.kit.csv.CsvBodyWriter;
import org.w4r.kit.csv.CsvTable;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.model.ConsentingSigner;
import org.w4r.petition.model.SignerExport;
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.ErasureService;
import org.w4r.petition.service.RateLimits;
import org.w4r.petition.service.SignerExportService;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

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

    @Inject
    RateLimits limits;

    @Inject
    CurrentVertxRequest request;

    /**
     * One signer export at a time in this instance. The list is read whole into the heap and written as CSV: a case
     * with 100,000 to 400,000 consenting signers costs 100 MB and more of a ~576 MB heap, and two or three at once (a
     * pack asked again, previews) ran petition-service, the write path of every entity, out of memory (read-only audit,
     * 4 December 2026). Another export is refused at once rather than queued; the permit is let go when the answer has
     * been written (or the connection lost), not when the rows are read, as the rows live until then.
     */
    private static final Semaphore EXPORTING = new Semaphore(1);

    /** About how long a large export takes: when to try again after {@code overloaded}. */
    static final int EXPORT_BUSY_RETRY_AFTER_SECONDS = 5;

    @GET
    @Path("cases/{caseId}/signers.csv")
    @Produces(CsvBodyWriter.MEDIA_TYPE)
    @RolesAllowed(Roles.DELIVERY)
    @Operation(operationId = "exportSigners", summary = "The signers of a case who consented to have their name delivered",
            description = "Name and country, oldest first, up to the cut-off; with entityId, only the signatures "
                    + "taken through that entity (a delivery planned for one entity), else every entity's. Cells a "
                    + "spreadsheet would run as a formula are prefixed with an apostrophe. Refused while the case is "
                    + "on safety hold.")
    @APIResponse(responseCode = "200", description = "The list", content = @Content(mediaType = CsvBodyWriter.MEDIA_TYPE,
            schema = @Schema(type = SchemaType.STRING, example = "name,country\n\"Ada Lovelace\",\"FR\"\n")))
    @APIResponse(responseCode = "404", description = "The case does not exist")
    @APIResponse(responseCode = "409", description = "The case is on safety hold ('hold' says since when)")
    @APIResponse(responseCode = "410", description = "signer-data-retired: the case's campaign was anonymised under the "
            + "retention schedule ('retiredAt' says when)")
    @APIResponse(responseCode = "503", description = "overloaded: another signer list is being exported (one at a time "
            + "per instance); nothing was read, send the same request again after Retry-After seconds",
            headers = @Header(name = Problem.RETRY_AFTER, description = Api.RETRY_AFTER_DESCRIPTION,
                    schema = @Schema(type = SchemaType.INTEGER)))
    public Response signers(@Parameter(description = "The case; one that does not exist (any id that is not a case's "
                                    + "slug) is a 404") @PathParam("caseId") String caseId,
                            @Parameter(description = "Signatures up to this instant (default: now)",
                                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                            @QueryParam("until") String until,
                            // a delivery planned for one entity hands over that entity's petition only: without this
                            // its pack named every entity's signers of the case (read-only audit, 4 December 2026)
                            @Parameter(description = "Only the signatures taken through this entity (default: every "
                                    + "entity's)", example = "ai-malta")
                            @QueryParam("entityId") @Slug String entityId,
                            @HeaderParam("Authorization") @Parameter(hidden = true) String authorization,
                            @Context UriInfo uri) throws SQLException {
        if (entityId == null && uri.getQueryParameters().containsKey("entityId")) {
            // an empty entityId reaches here as none; asked for an entity, a caller must never get the whole case
            throw ProblemException.invalid("entityId", "entityId must be an id: 1 to 64 lower-case letters, digits "
                    + "or '-'; leave it out for every entity's signers");
        }
        Instant cutoff = Cutoff.parse("until", until);
        if (!EXPORTING.tryAcquire()) {
            return busy();
        }
        Runnable done = releaseOnce();
        RoutingContext http = request.getCurrent();
        if (http != null) {
            // on the answer written, failed or its connection closed: the rows are held until the writer is done
            http.addEndHandler(ended -> done.run());
        }
        try {
            List<List<Object>> rows = export.signers(caseId, entityId, cutoff == null ? Instant.now() : cutoff,
                            caller.get().principal(), authorization).stream()
                    .map(SignerResource::row).toList();
            return Response.ok(new CsvTable(caseId + "-signers", List.of("name", "country"), rows))
                    .header("Cache-Control", "no-store").build();
        } finally {
            if (http == null) {
                done.run();
            }
        }
    }

    /**
     * Every signer list of the case that left this service, newest first (at most 1,000): the delivery team's record of
     * the copies it holds, packs and previews built by delivery-service included (they are exported here with the
     * caller's token). An export taken before an erasure of the case's signers carries {@code erasure}: that copy holds
     * erased names and must be destroyed.
     */
    @GET
    @Path("cases/{caseId}/signer-exports")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.DELIVERY)
    @Operation(operationId = "listSignerExports", summary = "The signer lists of a case taken so far, and which to destroy",
            description = "Who exported, when, of which entity, up to when and how many names (never a name), newest "
                    + "first, at most 1,000. 'erasure' on an export taken before signers of the case were erased: "
                    + "destroy every copy of it.")
    @APIResponse(responseCode = "200", description = "The exports", content = @Content(mediaType = Api.JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = SignerExport.class)))
    @APIResponse(responseCode = "400", description = "caseId is not an id (1 to 64 lower-case letters, digits or '-')")
    public List<SignerExport> exports(@Parameter(description = "The case") @PathParam("caseId") @Slug String caseId)
            throws SQLException {
        return export.exports(caseId);
    }

    private static Runnable releaseOnce() {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                EXPORTING.release();
            }
        };
    }

    /** The type petition-service answers a saturated write path with (GroupCommit), with Retry-After as a header too. */
    private static Response busy() {
        return Problem.of(503, "overloaded", "Another signer list is being exported",
                        "petition-service exports one signer list at a time and another is being exported; "
                                + "nothing was read, send the same request again after Retry-After seconds")
                .retryAfter(EXPORT_BUSY_RETRY_AFTER_SECONDS).toResponse();
    }

    private static List<Object> row(ConsentingSigner signer) {
        return List.of(signer.name(), signer.country());
    }

    /**
     * A supporter asked to be forgotten: their names, countries and messages go; their counts stay. An entity erases
     * what was taken through it; a coordinator erases across entities. No Idempotency-Key is kept: its fingerprint
     * would be an unkeyed hash of the email, and the same erasure twice is harmless.
     * <p>An entity's erasure takes one token of its entity's rate limit, as any other write of the entity, before
     * anything is written. Every erasure, even of an address that never signed, writes an {@code erasure.requested}
     * row to the append-only audit trail and at least one {@code SignerErased}, so without the limit a leaked or
     * hostile key could grow the trail and the topics without bound (found by a read-only audit, 4 December 2026).
     * The entity's own bucket, not one of its own: a second bucket would add to what a leaked key may do, and the
     * entity's is far above any batch of requests an entity forwards (a refused one is sent again after Retry-After,
     * harmlessly). Not the signer domain's bucket: that one stops signature floods, and lowered against a flood it
     * must not hold up the erasure of a real signer of that domain. A coordinator is not limited, as staff never is.
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
    @APIResponse(responseCode = "429", description = "An entity key over its entity's rate limit ('scope', 'limit'): "
            + "nothing was erased, recorded or announced; send it again after Retry-After seconds",
            headers = @Header(name = Problem.RETRY_AFTER, description = Api.RETRY_AFTER_DESCRIPTION,
                    schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "503", description = "signer-list-exporting: a signer list (any, whoever signed it) "
            + "is being exported at this moment; erasure-busy: signatures or messages sharing the person's erasure lock "
            + "were being written for two seconds; either way nothing was erased, send the same request again after "
            + "Retry-After seconds", headers = @Header(name = Problem.RETRY_AFTER, description = Api.RETRY_AFTER_DESCRIPTION,
                    schema = @Schema(type = SchemaType.INTEGER)))
    public Response erase(@Valid @NotNull ErasureRequest request) {
        Caller who = caller.get();
        String entityId = Roles.ENTITY.equals(who.role()) ? who.entityId() : null;
        if (entityId != null) {
            limits.take(entityId, false); // an erasure takes no key
        }
        return Answers.response(committer.commitRepeatable(202, erasures.erase(entityId, request.email().trim()),
                ErasureAccepted::of));
    }
}

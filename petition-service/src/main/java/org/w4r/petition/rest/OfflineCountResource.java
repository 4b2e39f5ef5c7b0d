package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.OfflineCountService;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Counts reported after offline events, and their corrections; an entity sees and corrects only its own. */
@Path("/api/v1/offline-counts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ENTITY)
public class OfflineCountResource {
    @Inject
    CurrentCaller caller;

    @Inject
    OfflineCountService offlineCounts;

    @Inject
    Committer committer;

    public record Correction(UUID correctionId, long delta, String reason, Instant recordedAt) {
    }

    public record Entry(UUID offlineCountId, String caseId, String type, long count, long net, String eventName,
                        LocalDate eventDate, String eventPlace, Instant recordedAt, List<Correction> corrections) {
        static Entry of(OfflineCountService.Entry e) {
            return new Entry(e.count().actionId, e.count().caseId, e.count().type, e.count().count, e.net(),
                    e.count().eventName, e.count().eventDate, e.count().eventPlace, e.count().recordedAt,
                    e.corrections().stream().map(c -> new Correction(c.correctionId, c.delta, c.reason, c.recordedAt)).toList());
        }
    }

    @POST
    public Response report(OfflineCountRequest request, @HeaderParam(IdempotencyKey.HEADER) String key) {
        String entityId = caller.get().entityId();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(entityId, key, "POST", "/api/v1/offline-counts", request);
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'type', 'count' and 'event' is required");
        }
        OfflineCountService.NewOfflineCount count = request.toOfflineCount();
        return Answers.response(committer.submit(idempotencyKey, 202, () -> offlineCounts.check(entityId, count),
                ActionResults::of));
    }

    @POST
    @Path("{id}/corrections")
    public Response correct(@PathParam("id") UUID id, CorrectionRequest request, @HeaderParam(IdempotencyKey.HEADER) String key) {
        String entityId = caller.get().entityId();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(entityId, key, "POST", "/api/v1/offline-counts/" + id + "/corrections",
                request);
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'delta' and 'reason' is required");
        }
        OfflineCountService.NewCorrection correction = request.toCorrection(id);
        return Answers.response(committer.submit(idempotencyKey, 201, () -> offlineCounts.correct(entityId, correction),
                CorrectionResult::of));
    }

    @GET
    @Path("{id}")
    public Entry get(@PathParam("id") UUID id) {
        return offlineCounts.find(caller.get().entityId(), id).map(Entry::of)
                .orElseThrow(() -> ProblemException.notFound("offline count", id.toString()));
    }
}

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
import org.w4r.petition.model.OfflineCorrection;
import org.w4r.petition.model.OfflineCount;
import org.w4r.petition.service.Idempotency;
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
    Idempotency idempotency;

    public record Correction(UUID correctionId, long delta, String reason, Instant recordedAt) {
    }

    public record Entry(UUID offlineCountId, String caseId, String type, long count, long net, String eventName,
                        LocalDate eventDate, String eventPlace, Instant recordedAt, List<Correction> corrections) {
    }

    @POST
    public Response report(OfflineCountRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        String entityId = caller.get().entityId();
        return idempotency.run(entityId, key, "POST", "/api/v1/offline-counts", request,
                () -> new Idempotency.Answer(202, offlineCounts.report(entityId, request)));
    }

    @POST
    @Path("{id}/corrections")
    public Response correct(@PathParam("id") UUID id, CorrectionRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        String entityId = caller.get().entityId();
        return idempotency.run(entityId, key, "POST", "/api/v1/offline-counts/" + id + "/corrections", request,
                () -> new Idempotency.Answer(201, offlineCounts.correct(entityId, id, request)));
    }

    @GET
    @Path("{id}")
    public Entry get(@PathParam("id") UUID id) {
        OfflineCount e = OfflineCount.findById(id);
        if (e == null || !e.entityId.equals(caller.get().entityId())) {
            throw ProblemException.notFound("offline count", id.toString());
        }
        List<Correction> corrections = OfflineCorrection.<OfflineCorrection>list("actionId = ?1 order by recordedAt", id)
                .stream().map(c -> new Correction(c.correctionId, c.delta, c.reason, c.recordedAt)).toList();
        long net = e.count + corrections.stream().mapToLong(Correction::delta).sum();
        return new Entry(e.actionId, e.caseId, e.type, e.count, net, e.eventName, e.eventDate, e.eventPlace,
                e.recordedAt, corrections);
    }
}

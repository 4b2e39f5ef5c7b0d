package org.w4r.delivery.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.w4r.delivery.model.ApprovedMessage;

import java.util.List;

/**
 * petition-service's HTTP API for delivery packs (base URL: quarkus.rest-client.petition-service.url). The paths are
 * on the methods, not the type: a type annotated with {@code @Path} is a resource of this service (LayerRules). A null
 * {@code entityId} is left out of the query: the whole case's list; a null {@code after} too: the first page.
 */
@RegisterRestClient(configKey = "petition-service")
public interface PetitionClient {
    @GET
    @Path("/api/v1/cases/{caseId}/signers.csv")
    @Produces("text/csv")
    String signersCsv(@PathParam("caseId") String caseId, @QueryParam("until") String until,
                      @QueryParam("entityId") String entityId, @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/api/v1/messages")
    @Produces(MediaType.APPLICATION_JSON)
    List<ApprovedMessage> messages(@QueryParam("caseId") String caseId, @QueryParam("status") String status,
                                   @QueryParam("limit") int limit, @QueryParam("entityId") String entityId,
                                   @QueryParam("until") String until, @QueryParam("after") String after,
                                   @HeaderParam("Authorization") String authorization);
}

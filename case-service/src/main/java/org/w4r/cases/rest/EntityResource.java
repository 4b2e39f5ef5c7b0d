package org.w4r.cases.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.w4r.cases.model.ActionEntity;

import java.util.List;

/** Entities for staff. */
@Path("/api/v1/entities")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
public class EntityResource {

    public record EntityView(String entityId, String name, String country, String kind) {
    }

    @GET
    public List<EntityView> list() {
        return ActionEntity.<ActionEntity>list("order by id").stream()
                .map(e -> new EntityView(e.id, e.name, e.country, e.kind)).toList();
    }
}

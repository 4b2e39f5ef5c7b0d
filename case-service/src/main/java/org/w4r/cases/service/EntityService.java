package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.kit.problem.ProblemException;

import java.time.Instant;
import java.util.Set;

/** Entities: sections, structures, regional offices, and the catch-all for supporters with none. */
@ApplicationScoped
public class EntityService {
    static final Set<String> KINDS = Set.of("section", "structure", "regional-office", "catch-all");

    @Inject
    ReferencePublisher publisher;

    public record EntityInput(String entityId, String name, String country, String kind) {
    }

    @Transactional
    public ActionEntity create(EntityInput in) {
        ActionEntity e = new ActionEntity();
        e.id = Validation.slug("entityId", in.entityId());
        if (ActionEntity.findById(e.id) != null) {
            throw ProblemException.conflict("duplicate-id", "Duplicate entity", "entity '" + e.id + "' exists already");
        }
        e.name = Validation.text("name", in.name(), 200);
        e.country = Validation.country("country", in.country(), false);
        e.kind = Validation.oneOf("kind", in.kind() == null ? "section" : in.kind(), KINDS);
        e.changedAt = Instant.now();
        e.persist();
        publisher.entity(e);
        return e;
    }

    public static ActionEntity find(String entityId) {
        ActionEntity e = ActionEntity.findById(Validation.existingId("entity", entityId));
        if (e == null) {
            throw ProblemException.notFound("entity", entityId);
        }
        return e;
    }
}

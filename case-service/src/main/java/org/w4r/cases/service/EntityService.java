package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.problem.ProblemException;

import java.time.Instant;
import java.util.List;

/** Entities: sections, structures, regional offices, and the catch-all for supporters with none. */
@ApplicationScoped
public class EntityService {
    @Inject
    ReferencePublisher publisher;

    @Inject
    AuditTrail audit;

    /** A new entity, its shape checked by the resource. */
    public record EntityInput(String entityId, String name, String country, String kind) {
    }

    @Transactional
    public ActionEntity create(EntityInput in) {
        if (ActionEntity.findById(in.entityId()) != null) {
            throw ProblemException.conflict("duplicate-id", "Duplicate entity",
                    "entity '" + in.entityId() + "' exists already");
        }
        ActionEntity e = new ActionEntity();
        e.id = in.entityId();
        e.name = in.name();
        e.country = in.country();
        e.kind = in.kind() == null ? "section" : in.kind();
        e.changedAt = Instant.now();
        e.persist();
        publisher.entity(e);
        audit.record("entity.created", "entity", e.id, e.id, AuditTrail.detail("country", e.country, "kind", e.kind));
        return e;
    }

    /** Entities from a file, all or none. */
    @Transactional
    public List<ActionEntity> importAll(List<ImportLine<EntityInput>> rows) {
        return rows.stream().map(row -> ImportLine.at(row.line(), () -> create(row.command()))).toList();
    }

    public static ActionEntity find(String entityId) {
        return Ids.found("entity", entityId, id -> ActionEntity.<ActionEntity>findById(id));
    }
}

package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
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
    @LiveCredential
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

    /**
     * A change of an entity: only what is given changes, if the entity is still at the version its editor read. Its id
     * stays: every action, key and total names it.
     */
    @Transactional
    @LiveCredential
    public ActionEntity update(String entityId, EntityInput in, ExpectedVersion expected) {
        // locked: two edits at once take turns, and their announcements leave in commit order
        ActionEntity e = Ids.found("entity", entityId, id -> ActionEntity.<ActionEntity>findById(id, LockModeType.PESSIMISTIC_WRITE));
        expected.check("entity", entityId, e.version);
        List<String> fields = new java.util.ArrayList<>();
        if (in.name() != null) {
            e.name = in.name();
            fields.add("name");
        }
        if (in.country() != null) {
            e.country = in.country();
            fields.add("country");
        }
        if (in.kind() != null) {
            e.kind = in.kind();
            fields.add("kind");
        }
        e.changedAt = Instant.now();
        publisher.entity(e);
        // which fields changed, and the codes; not the name, as for cases
        audit.record("entity.updated", "entity", e.id, e.id, AuditTrail.detail("fields", fields, "country", e.country,
                "kind", e.kind));
        return e;
    }

    /** Entities from a file, all or none. */
    @Transactional
    @LiveCredential
    public List<ActionEntity> importAll(List<ImportLine<EntityInput>> rows) {
        return rows.stream().map(row -> ImportLine.at(row.line(), () -> create(row.command()))).toList();
    }

    /** What {@link #importAll} would do with each line; nothing is written. */
    @Transactional
    public List<ImportPreview.Outcome> dryRun(List<ImportPreview.Candidate<EntityInput>> rows) {
        return ImportPreview.check(rows, this::create);
    }

    public static ActionEntity find(String entityId) {
        return Ids.found("entity", entityId, id -> ActionEntity.<ActionEntity>findById(id));
    }
}

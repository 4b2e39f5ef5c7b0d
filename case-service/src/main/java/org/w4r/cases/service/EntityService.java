package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Credential;
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
        return insert(in);
    }

    /**
     * {@link #create}'s body, the one write path of a new entity, for the import too. Not intercepted: ArC intercepts
     * a bean's calls of its own methods, so the import calling {@code create} ran it through {@code @Transactional},
     * whose refusal of one line marked the dry run's whole transaction rollback-only, and the next valid line's outbox
     * row could not be written: 500 (a read-only review, 6 December 2026). The imports are
     * {@code @Transactional @LiveCredential} themselves.
     */
    private ActionEntity insert(EntityInput in) {
        if (ActionEntity.findById(in.entityId()) != null) {
            throw ProblemException.conflict("duplicate-id", "Duplicate entity",
                    "entity '" + in.entityId() + "' exists already");
        }
        // Not a staff principal either: a staff token's issue refuses an entity's id, but an entity could take the id
        // of a principal, and the audit trail's actor, the credentials topic's principal and a key's or token's owner
        // would name two callers (a read-only review, 6 December 2026). Its own type, not duplicate-id, which tells a
        // client sending a creation again that it was stored. The lock is the one a token's issue takes for the
        // principal, so an entity and a token of one name created at once take turns and the second sees the first.
        Credential.getEntityManager().createNativeQuery("select 1 from pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, CredentialService.PRINCIPAL_LOCK + in.entityId()).getSingleResult();
        if (Credential.count("principal = ?1 and entityId is null", in.entityId()) > 0) {
            throw ProblemException.conflict("entity-is-principal", "Entity id is a staff principal",
                    "'" + in.entityId() + "' is a staff principal; choose another entity id");
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
        return rows.stream().map(row -> ImportLine.at(row.line(), () -> insert(row.command()))).toList();
    }

    /**
     * What {@link #importAll} would do with each line; nothing is written. Checked as a write is (a dry run tells which
     * ids exist): a revoked key had none of it (a read-only review, 6 December 2026).
     */
    @Transactional
    @LiveCredential
    public List<ImportPreview.Outcome> dryRun(List<ImportPreview.Candidate<EntityInput>> rows) {
        return ImportPreview.check(rows, this::insert);
    }

    public static ActionEntity find(String entityId) {
        return Ids.found("entity", entityId, id -> ActionEntity.<ActionEntity>findById(id));
    }
}

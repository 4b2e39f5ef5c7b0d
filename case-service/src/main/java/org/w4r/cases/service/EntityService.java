package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Credential;
import org.hibernate.query.NativeQuery;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Entities: sections, structures, regional offices, and the catch-all for supporters with none. */
@ApplicationScoped
public class EntityService {
    /** The advisory lock every creation of an entity takes first: see {@link #overlapping}. */
    static final String NAMESPACE_LOCK = "entity-namespaces";

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
        // before the principal's lock: an import takes one principal lock per line, and a creation waiting for this
        // lock while holding a principal's that the import's next line needs would deadlock
        lock(NAMESPACE_LOCK);
        if (ActionEntity.findById(in.entityId()) != null) {
            throw ProblemException.conflict("duplicate-id", "Duplicate entity",
                    "entity '" + in.entityId() + "' exists already");
        }
        // Not a staff principal either: a staff token's issue refuses an entity's id, but an entity could take the id
        // of a principal, and the audit trail's actor, the credentials topic's principal and a key's or token's owner
        // would name two callers (a read-only review, 6 December 2026). Its own type, not duplicate-id, which tells a
        // client sending a creation again that it was stored. The lock is the one a token's issue takes for the
        // principal, so an entity and a token of one name created at once take turns and the second sees the first.
        lock(CredentialService.PRINCIPAL_LOCK + in.entityId());
        if (Credential.count("principal = ?1 and entityId is null", in.entityId()) > 0) {
            throw ProblemException.conflict("entity-is-principal", "Entity id is a staff principal",
                    "'" + in.entityId() + "' is a staff principal; choose another entity id");
        }
        Optional<String> overlapped = overlapping(in.entityId());
        if (overlapped.isPresent()) {
            String other = overlapped.get();
            throw new ProblemException(Problem.of(409, "entity-id-overlaps", "Entity id overlaps another's",
                    "entity '" + other + "' exists: the case ids of one of '" + in.entityId() + "' and '" + other
                            + "' would include the other's ('<entityId>-...'); choose an id that neither starts with "
                            + "another entity's id and a dash nor, with a dash, starts another's")
                    .with("existingEntityId", other));
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

    /**
     * An entity's case ids are {@code <entityId>-...} ({@link CaseService}), so an entity whose id, with a dash, starts
     * another's ({@code ai-belgium} and {@code ai-belgium-flemish}, or {@code ai} and every {@code ai-...}) holds the
     * other's whole namespace: its key's dry-run import learnt from {@code duplicate-id} which of the other's cases
     * exist, drafts included, and its real import took the other's ids (found by a read-only review, 6 December 2026).
     * No entity may be created whose namespace overlaps an existing one's, either way round; the one such entity, if
     * any, first by id.
     */
    static Optional<String> overlapping(String entityId) {
        return ids(ActionEntity.getEntityManager().createNativeQuery("select id from entity"
                + " where starts_with(id, :entityId || '-') or starts_with(:entityId, id || '-') order by id limit 1")
                .setParameter("entityId", entityId));
    }

    /**
     * The entity, other than {@code entityId}, whose namespace inside {@code entityId}'s holds {@code caseId}. A
     * database from before 6 December 2026 may hold overlapping entities ({@link #overlapping}); the outer one's key
     * must not reach into the inner one's cases.
     */
    static Optional<String> enclosedOwner(String entityId, String caseId) {
        return ids(ActionEntity.getEntityManager().createNativeQuery("select id from entity"
                        + " where starts_with(id, :entityId || '-') and starts_with(:caseId, id || '-') order by id limit 1")
                .setParameter("entityId", entityId).setParameter("caseId", caseId));
    }

    /**
     * Synchronised on the entity table, so an entity this transaction persisted (an import's earlier line) is flushed
     * and found: a file of {@code x} and {@code x-sub} is refused like two requests.
     */
    private static Optional<String> ids(Query query) {
        List<?> ids = query.unwrap(NativeQuery.class).addSynchronizedEntityClass(ActionEntity.class).getResultList();
        return ids.stream().findFirst().map(String::valueOf);
    }

    /**
     * Taken once per transaction (held until it ends, and again at no cost), so creations of entities take turns: two
     * overlapping ids created at once would each find the other absent. Entities are created rarely.
     */
    private static void lock(String key) {
        ActionEntity.getEntityManager().createNativeQuery("select 1 from pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, key).getSingleResult();
    }

    public static ActionEntity find(String entityId) {
        return Ids.found("entity", entityId, id -> ActionEntity.<ActionEntity>findById(id));
    }
}

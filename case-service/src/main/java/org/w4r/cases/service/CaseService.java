package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.model.CaseHold;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cases: creation, edits, the draft → active → closed lifecycle, and safety holds.
 *
 * <p>Every change reads the case with a row lock ({@link #findForChange}), so two staff acting on one case at once
 * take turns: an edit read before a hold committed can no longer write the case back without it, and the case's
 * events enter the outbox in commit order. The {@code @Version} stays as a second guard; a stale write it still
 * catches is a 409 {@code concurrent-change} (see the rest package's PersistenceProblems).
 *
 * <p>Taking turns still lets the second of two editors write a form read before the first committed. An edit that
 * names the version it was made on ({@link ExpectedVersion}) is refused once the case has moved on. That version is
 * the case's revision, the one the API and the 'cases' events show, not the {@code @Version} column, which no caller
 * sees.
 */
@ApplicationScoped
public class CaseService {
    static final Map<String, Set<String>> TRANSITIONS = Map.of(
            "draft", Set.of("active", "closed"),
            "active", Set.of("closed"),
            "closed", Set.of());

    @Inject
    ReferencePublisher publisher;

    @Inject
    AuditTrail audit;

    @Inject
    CaseReconciliation reconciliation;

    /**
     * The most local cases an entity's own imports may bring it to in one campaign. Every case goes on {@code cases}
     * into every service's in-memory reference data, and an entity key imported up to 10,000 a request with no cap, so
     * a leaked or hostile key could fill every service's memory (found by a read-only audit, 4 December 2026). Local
     * cases a case manager made for the entity count too, but a case manager is never refused by the cap.
     */
    @ConfigProperty(name = "w4r.cases.max-local-per-entity", defaultValue = "100")
    int maxLocalPerEntity;

    /**
     * A new case or, for an edit, what changes (null: unchanged; an empty target authority or demand clears it). Its
     * shape was checked and normalised by the resource; what depends on stored state is checked here.
     * {@code milestones}: percentages of the goal, ascending and distinct (null: the platform's default; in an edit, an
     * empty list goes back to it). {@code demand}: what the campaign asks the target authority (the pack's cover).
     */
    public record CaseInput(String caseId, String campaignId, String name, String country, String targetAuthority,
                            String scope, String localEntityId, Long goal, String status, Boolean publicCounter,
                            List<Integer> milestones, String demand) {
        public CaseInput(String caseId, String campaignId, String name, String country, String targetAuthority,
                         String scope, String localEntityId, Long goal, String status, Boolean publicCounter) {
            this(caseId, campaignId, name, country, targetAuthority, scope, localEntityId, goal, status, publicCounter,
                    null, null);
        }

        /** The fields an edit sets, by name only. */
        List<String> changedFields() {
            List<String> fields = new java.util.ArrayList<>();
            Object[] values = {name, country, targetAuthority, goal, publicCounter, status, milestones, demand};
            String[] names = {"name", "country", "targetAuthority", "goal", "publicCounter", "status", "milestones",
                    "demand"};
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    fields.add(names[i]);
                }
            }
            return fields;
        }
    }

    /** A case and the outbox row announcing it, to wait on when the change must be seen everywhere. */
    public record Change(CaseFile caseFile, long outboxId) {
    }

    @Transactional
    @LiveCredential
    public CaseFile create(CaseInput in) {
        return insert(in);
    }

    /**
     * {@link #create}'s body, the one write path of a new case, for the imports too. Not intercepted: ArC intercepts a
     * bean's calls of its own methods, so an import calling {@code create} ran it through {@code @Transactional}, whose
     * refusal (a duplicate id, an unknown entity, a closed campaign) marked the import's whole transaction rollback-only.
     * A real import ends there anyway, but a dry run goes on to the next line, whose outbox row could no longer be
     * written: a valid line after a refused one answered 500 (a read-only review, 6 December 2026). The imports are
     * {@code @Transactional @LiveCredential} themselves.
     */
    private CaseFile insert(CaseInput in) {
        Campaign campaign = CampaignService.lockedForCases(in.campaignId());
        if (CaseFile.findById(in.caseId()) != null) {
            throw ProblemException.conflict("duplicate-id", "Duplicate case", "case '" + in.caseId() + "' exists already");
        }
        if (campaign == null) {
            throw ProblemException.notFound("campaign", in.campaignId());
        }
        if (!campaign.closesAt.isAfter(Instant.now())) {
            throw new ProblemException(Problem.of(422, "campaign-closed", "Campaign closed",
                    "campaign '" + campaign.id + "' closed at " + campaign.closesAt + "; no cases can be added")
                    .with("campaignId", campaign.id));
        }
        CaseFile c = new CaseFile();
        c.id = in.caseId();
        c.campaignId = campaign.id;
        c.name = in.name();
        c.country = in.country();
        c.targetAuthority = in.targetAuthority();
        c.demand = in.demand() == null || in.demand().isEmpty() ? null : in.demand();
        c.scope = in.scope() == null ? "global" : in.scope();
        if ("local".equals(c.scope)) {
            if (in.localEntityId() == null) {
                throw ProblemException.invalid("localEntityId", "a local case names its entity in 'localEntityId'");
            }
            c.localEntityId = in.localEntityId();
            if (ActionEntity.findById(c.localEntityId) == null) {
                throw ProblemException.notFound("entity", c.localEntityId);
            }
        } else if (in.localEntityId() != null) {
            throw ProblemException.invalid("localEntityId", "only a local case names a 'localEntityId'");
        }
        c.goal = in.goal();
        c.milestones = in.milestones() == null || in.milestones().isEmpty() ? null : in.milestones();
        c.status = in.status() == null ? "draft" : in.status();
        c.publicCounter = in.publicCounter() == null || in.publicCounter();
        c.changedAt = Instant.now();
        c.persist();
        audit.record("case.created", "case", c.id, c.localEntityId, AuditTrail.detail("campaignId", c.campaignId,
                "scope", c.scope, "status", c.status, "goal", c.goal, "publicCounter", c.publicCounter));
        // an id every service holds as held (created after a restored backup, CaseReconciliation): created held, or
        // this announcement, newer than the topic's, would lift that hold everywhere
        reconciliation.placeNotedHold(c);
        publisher.caseFile(c);
        return c;
    }

    /**
     * Cases from a file, all or none: a case manager's are active unless a row says otherwise. {@code localEntityId}
     * set: every row becomes a local case of that entity (an entity adding its own cases), a draft without a public
     * counter until a case manager reviews and activates it.
     */
    @Transactional
    @LiveCredential
    public List<CaseFile> importAll(String campaignId, List<ImportLine<CaseInput>> rows, String localEntityId) {
        campaignFirst(campaignId);
        if (localEntityId != null) {
            withinLocalCap(campaignId, localEntityId, rows.size());
        }
        return rows.stream().map(row -> ImportLine.at(row.line(), () -> importOne(row.command(), localEntityId))).toList();
    }

    /**
     * What {@link #importAll} would do with each line; nothing is written. A file that would take the entity past its
     * cap is refused whole, as the import would refuse it. Checked as a write is ({@link LiveCredential}): a dry run
     * tells which ids exist and how many local cases an entity has, and takes the entity's row lock; a revoked key had
     * all of it (a read-only review, 6 December 2026).
     */
    @Transactional
    @LiveCredential
    public List<ImportPreview.Outcome> dryRun(String campaignId, List<ImportPreview.Candidate<CaseInput>> rows,
                                              String localEntityId) {
        campaignFirst(campaignId);
        if (localEntityId != null) {
            withinLocalCap(campaignId, localEntityId, rows.size());
        }
        return ImportPreview.check(rows, in -> importOne(in, localEntityId));
    }

    /**
     * Refuses (409 {@code too-many-local-cases}) an entity's import of {@code adding} cases that would give it more
     * than {@link #maxLocalPerEntity} local cases in the campaign, before any row is written. The entity row is locked
     * until the transaction ends, so two imports of one entity at once take turns and the second counts the first's
     * cases: both cannot pass the cap. An import that succeeds stores every row, so counting them all is exact.
     */
    private void withinLocalCap(String campaignId, String entityId, int adding) {
        Ids.found("entity", entityId, id -> ActionEntity.<ActionEntity>findById(id, LockModeType.PESSIMISTIC_WRITE));
        long existing = CaseFile.count("campaignId = ?1 and localEntityId = ?2", campaignId, entityId);
        if (existing + adding > maxLocalPerEntity) {
            throw new ProblemException(Problem.of(409, "too-many-local-cases", "Too many local cases",
                    "entity '" + entityId + "' has " + existing + " local cases in campaign '" + campaignId + "' and this "
                            + "file adds " + adding + "; an entity may have at most " + maxLocalPerEntity
                            + ": nothing was stored; a case manager imports beyond that")
                    .with("maxLocalCases", maxLocalPerEntity).with("localCases", existing).with("requested", adding));
        }
    }

    private CaseFile importOne(CaseInput in, String localEntityId) {
        if (localEntityId == null) {
            return insert(in.status() != null ? in : new CaseInput(in.caseId(), in.campaignId(), in.name(),
                    in.country(), in.targetAuthority(), in.scope(), in.localEntityId(), in.goal(), "active",
                    in.publicCounter(), in.milestones(), in.demand()));
        }
        if (in.scope() != null && !"local".equals(in.scope())) {
            throw ProblemException.forbidden("an entity may import only its own local cases");
        }
        if (in.status() != null && !"draft".equals(in.status())) {
            throw ProblemException.forbidden("an entity's cases start as drafts; a case manager activates them");
        }
        inOwnNamespace(in.caseId(), localEntityId);
        return insert(new CaseInput(in.caseId(), in.campaignId(), in.name(), in.country(), in.targetAuthority(),
                "local", localEntityId, in.goal(), "draft", false, in.milestones(), in.demand()));
    }

    /**
     * An entity's own case ids start with its id and a dash ({@code ai-france-...}), checked before the id is looked
     * up. A refused id used to be answered {@code duplicate-id} "case 'X' exists already", so any entity key, which may
     * not read cases (403 on {@code GET /api/v1/cases}), could learn which ids exist: drafts, other campaigns' cases, and
     * ids are slugs of people's names (a read-only review, 6 December 2026). A case manager creates any id.
     *
     * <p>Nor does it reach into another entity's namespace inside its own: {@code ai-belgium}'s key learnt from
     * {@code duplicate-id} which {@code ai-belgium-flemish-...} cases existed, and took that entity's ids (found by a
     * read-only review, 6 December 2026). Overlapping entities can no longer be created ({@link EntityService}), but a
     * database from before may hold them. In its own namespace an id already taken is one of the entity's own cases, or
     * one a case manager put there, or, for an entity inside another's namespace in such a database, one the enclosing
     * entity imported there before this check.
     */
    static void inOwnNamespace(String caseId, String entityId) {
        String prefix = entityId + "-";
        if (caseId == null || !caseId.startsWith(prefix) || caseId.length() == prefix.length()) {
            throw ProblemException.invalid("caseId", "an entity's own case ids start with its id and a dash: '"
                    + prefix + "...'; a case manager creates any id");
        }
        EntityService.enclosedOwner(entityId, caseId).ifPresent(other -> {
            // the same refusal as any id outside the namespace, before the id is looked up
            throw ProblemException.invalid("caseId", "an entity's own case ids start with its id and a dash: '"
                    + prefix + "...', and not with another entity's: '" + other + "-...' are entity '" + other
                    + "''s; a case manager creates any id");
        });
    }

    /** Changes what the input names, if the case is still at the version its editor read. */
    @Transactional
    @LiveCredential
    public CaseFile update(String caseId, CaseInput in, ExpectedVersion expected) {
        if ("active".equals(in.status())) {
            campaignOfCaseFirst(caseId);
        }
        CaseFile c = findForChange(caseId);
        expected.check("case", caseId, c.revision);
        if (in.name() != null) {
            c.name = in.name();
        }
        if (in.targetAuthority() != null) {
            c.targetAuthority = in.targetAuthority().isEmpty() ? null : in.targetAuthority();
        }
        if (in.demand() != null) {
            c.demand = in.demand().isEmpty() ? null : in.demand();
        }
        if (in.country() != null) {
            c.country = in.country();
        }
        if (in.goal() != null) {
            c.goal = in.goal();
        }
        if (in.publicCounter() != null) {
            c.publicCounter = in.publicCounter();
        }
        if (in.milestones() != null) {
            c.milestones = in.milestones().isEmpty() ? null : in.milestones();
        }
        String before = c.status;
        if (in.status() != null && !in.status().equals(c.status)) {
            transition(c, in.status());
        }
        c.changedAt = Instant.now();
        publisher.caseFile(c);
        // which fields changed, not their text: a name or an authority may say more than the trail should keep
        audit.record("case.updated", "case", c.id, c.localEntityId, AuditTrail.detail("fields", in.changedFields(),
                "goal", in.goal(), "publicCounter", in.publicCounter(),
                "from", before.equals(c.status) ? null : before, "to", before.equals(c.status) ? null : c.status));
        return c;
    }

    @Transactional
    @LiveCredential
    public CaseFile changeStatus(String caseId, String status, ExpectedVersion expected) {
        if ("active".equals(status)) {
            campaignOfCaseFirst(caseId);
        }
        CaseFile c = findForChange(caseId);
        expected.check("case", caseId, c.revision);
        String before = c.status;
        transition(c, status);
        c.changedAt = Instant.now();
        publisher.caseFile(c);
        audit.record("case.status.changed", "case", c.id, c.localEntityId, AuditTrail.detail("from", before, "to", status));
        return c;
    }

    @Transactional
    @LiveCredential
    public Change placeHold(String caseId, String reason, String by) {
        CaseFile c = findForChange(caseId);
        if (c.onHold()) {
            throw ProblemException.conflict("already-on-hold", "Already on hold",
                    "case '" + caseId + "' has been on hold since " + c.holdPlacedAt);
        }
        Instant now = Instant.now();
        CaseHold hold = new CaseHold();
        hold.caseId = caseId;
        hold.reason = reason;
        hold.placedBy = by;
        hold.placedAt = now;
        hold.persist();
        c.heldBy(hold);
        long announced = publisher.caseFile(c);
        // never the reason: it can say why a person is at risk, and every coordinator reads the trail
        audit.record("case.hold.placed", "case", c.id, c.localEntityId, AuditTrail.detail("holdId", hold.id));
        return new Change(c, announced);
    }

    /**
     * Lifts the hold the caller names, and only that one. Lifting "whatever is open" let a case manager looking at a
     * page read before the hold was lifted and placed again (a new threat) lift the new hold without ever seeing it
     * (found by a read-only audit, 4 December 2026); the row lock alone only made the two take turns.
     */
    @Transactional
    @LiveCredential
    public Change liftHold(String caseId, long holdId, String by) {
        CaseFile c = findForChange(caseId);
        CaseHold hold = (c.onHold() ? CaseHold.open(caseId) : Optional.<CaseHold>empty())
                .orElseThrow(() -> ProblemException.conflict("not-on-hold", "Not on hold",
                        "case '" + caseId + "' is not on hold"));
        if (hold.id.longValue() != holdId) {
            throw new ProblemException(Problem.of(409, "hold-changed", "Another hold is open",
                    "case '" + caseId + "' is held under hold " + hold.id + ", placed at " + hold.placedAt
                            + ", not hold " + holdId + ": read the case again before lifting")
                    .with("openHoldId", hold.id));
        }
        Instant now = Instant.now();
        hold.liftedBy = by;
        hold.liftedAt = now;
        c.released(now);
        long announced = publisher.caseFile(c);
        audit.record("case.hold.lifted", "case", c.id, c.localEntityId, AuditTrail.detail("holdId", hold.id));
        return new Change(c, announced);
    }

    public static CaseFile find(String caseId) {
        return Ids.found("case", caseId, id -> CaseFile.<CaseFile>findById(id));
    }

    /**
     * The campaign's row, shared until this transaction ends, before any entity's or case's lock: the order in which
     * the start-up snapshot takes the tables (campaign, campaign_extension, entity, case_file, credential;
     * {@code ReferencePublisher}). An entity's import locked its entity first (the cap) and needed the campaign's row
     * after it (the case's foreign key) while a starting instance held the campaign table and waited for the entity's:
     * a deadlock (a read-only review, 6 December 2026). A campaign that does not exist is refused by the caller.
     */
    private static void campaignFirst(String campaignId) {
        CampaignService.lockedForCases(campaignId);
    }

    /**
     * Before a case may become active, its campaign's row, shared, and before the case's own lock (the order above):
     * a close committed meanwhile is then seen, and one under way waits for this change or is waited for. Read
     * unlocked, a campaign closed by a {@code PATCH} that committed while the case was activated left the case active
     * in a closed campaign (the same review). The campaign id is read as a value: a case loaded here unlocked would
     * stay in the session as read, and its locked read below would not read it again.
     */
    private static void campaignOfCaseFirst(String caseId) {
        Ids.existing("case", caseId);
        CaseFile.getEntityManager().createQuery("select c.campaignId from CaseFile c where c.id = ?1", String.class)
                .setParameter(1, caseId).getResultStream().findFirst().ifPresent(CaseService::campaignFirst);
    }

    /** The case, locked until this transaction ends: a concurrent change of it waits for this one to commit. */
    static CaseFile findForChange(String caseId) {
        return Ids.found("case", caseId, id -> CaseFile.<CaseFile>findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    private static void transition(CaseFile c, String to) {
        if (!TRANSITIONS.get(c.status).contains(to)) {
            throw new ProblemException(Problem.of(409, "invalid-transition", "Invalid status change",
                    "case '" + c.id + "' cannot go from " + c.status + " to " + to + "; allowed: "
                            + (TRANSITIONS.get(c.status).isEmpty() ? "none" : TRANSITIONS.get(c.status)))
                    .with("from", c.status).with("to", to));
        }
        if ("active".equals(to)) {
            Campaign campaign = Campaign.findById(c.campaignId); // locked by the caller first: campaignOfCaseFirst
            if (!campaign.closesAt.isAfter(Instant.now())) {
                throw new ProblemException(Problem.of(422, "campaign-closed", "Campaign closed",
                        "campaign '" + campaign.id + "' closed at " + campaign.closesAt + "; its cases cannot be activated"));
            }
        }
        c.status = to;
    }
}

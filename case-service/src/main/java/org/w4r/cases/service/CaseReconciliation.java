package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.model.CaseHold;
import org.w4r.events.CaseChanged;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.validation.Slug;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Brings the database back in line with the {@code cases} topic when the topic is newer: after a restore of the
 * database from a backup (a read-only review, 6 December 2026). Every service keeps the highest revision of a case it
 * has seen; a restored database is back at the backup's, and its next change of a case (any edit, status, hold or
 * lift) was announced at a revision from the clock, above everything on the topic, with the backup's hold: a hold
 * placed after the backup was cleared everywhere, without a lift or an audit entry; one lifted after it showed as
 * held here while no service enforced it. Run at every start before the snapshot and before any request
 * ({@code ReferencePublisher#startUp}); a normal start finds nothing newer on the topic, as every record there was
 * committed here first.
 *
 * <p>For each case whose newest record on the topic has a revision above the database's:
 * <ul>
 * <li>the case is announced again at a revision above the topic's, whatever else is done: the database's state is
 * not the topic's (other fields stay as the backup has them), and one revision, which is also the case's ETag, must
 * never name two states (a form read at it would pass If-Match; tally-service skips a revision it has seen);</li>
 * <li>held on the topic, not here: the hold is placed again here, with the topic's hold id and start (who placed it
 * and why are not on the topic, never are: the reason says it was restored), audited {@code case.hold.restored};</li>
 * <li>held here, not on the topic (lifted after the backup), or held under another hold: the database's hold is
 * enforced again everywhere (a hold wins: a lift that was lost is made again by a person, who sees the hold),
 * audited {@code case.hold.reannounced}.</li>
 * </ul>
 * A case held on the topic that the database lacks (created after the backup) is rebuilt from its record there, held,
 * when its campaign and entity are here; otherwise its hold is noted ({@code case_hold_noted}, V10) and placed again
 * when the id is created here ({@link #placeNotedHold}). Either way a case created again with that id can no longer be
 * announced unheld over the held record every service keeps. Logs ids and counts only.
 */
@ApplicationScoped
public class CaseReconciliation {
    private static final Logger LOG = Logger.getLogger(CaseReconciliation.class);
    private static final Pattern SLUG = Pattern.compile(Slug.REGEXP);
    /** Who placed a hold taken back from the topic, which does not say (as the audit trail names the service itself). */
    public static final String RESTORED_BY = AuditTrail.SYSTEM;
    /** The reason of a hold taken back from the topic: the topic carries no reason, and none may be invented. */
    public static final String RESTORED_REASON = "Placed again at start-up from the 'cases' topic after a database "
            + "restore: the hold was placed after the backup, and its reason and who placed it were lost with the "
            + "database (the topic never carries them).";

    @Inject
    ReferencePublisher publisher;

    @Inject
    AuditTrail audit;

    /**
     * What a check found: cases by id (sorted, for the log). {@code casesRebuilt}: held on the topic, missing here, and
     * stored again from the topic (also in {@code holdsRestored}); {@code holdsNoted}: the same, but not rebuildable
     * here, their holds kept for the day the id is created.
     */
    public record Outcome(List<String> newerOnTopic, List<String> holdsRestored, List<String> holdsReannounced,
                          int notInDatabase, List<String> casesRebuilt, List<String> holdsNoted) {
    }

    /**
     * In the caller's transaction, which has taken {@code case_file} in EXCLUSIVE mode (the start-up snapshot's lock):
     * no change of a case can commit between the comparison and the repair. {@code onTopic}: what readers hold
     * ({@code CasesOnTopic}); a change committed here after it was read has a higher revision here, and is left alone.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome reconcile(Map<String, CaseChanged> onTopic, long highestHoldId) {
        List<String> newer = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        List<String> reannounced = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> rebuilt = new ArrayList<>();
        List<String> noted = new ArrayList<>();
        List<String> unnoted = new ArrayList<>();
        holdIdsAfter(highestHoldId);
        Map<String, Long> revisions = revisions();
        for (CaseChanged topic : new TreeMap<>(onTopic).values()) {
            Long revision = revisions.get(topic.caseId());
            if (revision == null) {
                missing.add(topic.caseId());
                if (topic.hold() == null) {
                    continue; // created again here, it is announced as new: nothing a reader enforces is undone
                }
                // Rebuilt where it can be, so the hold is here to see and lift like any other; noted where it cannot
                // (its campaign or entity went with the backup too), so creating the id later places it. Not refused
                // then: no one could ever clear such a refusal, and an entity's import of the id would fail whole.
                if (rebuildable(topic)) {
                    CaseFile c = rebuild(topic);
                    CaseHold hold = placeAgain(c, topic.hold().holdId(), topic.hold().placedAt());
                    publisher.caseFile(c);
                    rebuilt.add(c.id);
                    restored.add(c.id);
                    audit.record("case.hold.restored", "case", c.id, c.localEntityId, AuditTrail.detail("holdId",
                            hold.id, "topicHoldId", hold.id == topic.hold().holdId() ? null : topic.hold().holdId(),
                            "topicRevision", topic.version(), "caseRebuilt", true));
                } else if (note(topic)) {
                    noted.add(topic.caseId());
                } else {
                    unnoted.add(topic.caseId());
                }
                continue;
            }
            if (topic.version() <= revision) {
                continue; // every normal start: each record on the topic was committed here first
            }
            CaseFile c = CaseFile.findById(topic.caseId(), LockModeType.PESSIMISTIC_WRITE);
            newer.add(c.id);
            c.revision = topic.version(); // publisher.caseFile below moves past it
            if (topic.hold() != null && !c.onHold()) {
                CaseHold hold = placeAgain(c, topic.hold().holdId(), topic.hold().placedAt());
                publisher.caseFile(c);
                restored.add(c.id);
                audit.record("case.hold.restored", "case", c.id, c.localEntityId, AuditTrail.detail("holdId", hold.id,
                        "topicHoldId", hold.id == topic.hold().holdId() ? null : topic.hold().holdId(),
                        "topicRevision", topic.version()));
            } else if (c.onHold() && (topic.hold() == null || !Objects.equals(topic.hold().holdId(), c.holdId))) {
                publisher.caseFile(c);
                reannounced.add(c.id);
                audit.record("case.hold.reannounced", "case", c.id, c.localEntityId, AuditTrail.detail("holdId", c.holdId,
                        "topicHoldId", topic.hold() == null ? null : topic.hold().holdId(),
                        "topicRevision", topic.version(), "revision", c.revision));
            } else {
                publisher.caseFile(c);
            }
        }
        Outcome outcome = new Outcome(newer, restored, reannounced, missing.size(), rebuilt, noted);
        if (!newer.isEmpty()) {
            LOG.warnf("cases topic newer than the database for %d cases (restored from a backup?): announced again "
                            + "above the topic %s; holds placed again from the topic %s; holds announced again over a "
                            + "newer unheld or other hold %s. Other changes made after the backup are not in the "
                            + "database: make them again", newer.size(), newer, restored, reannounced);
        }
        if (!missing.isEmpty()) {
            LOG.warnf("cases topic check: %d cases on the topic are not in the database; held ones rebuilt from the "
                            + "topic %s; held ones whose campaign or entity is missing, their holds noted to be placed "
                            + "again when the id is created %s; held ones no case here could ever have %s",
                    missing.size(), rebuilt, noted, unnoted);
        }
        return outcome;
    }

    /**
     * The hold the topic has for {@code c}, a case just stored under an id this database lacked at a start (noted
     * there, {@link #note}), placed again on it, with its revision raised to the topic's so the caller's announcement
     * is newer than the held record every service keeps; audited {@code case.hold.restored}. Null when none was noted.
     * In the creating transaction: the note goes with the creation, or stays if it is rolled back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CaseHold placeNotedHold(CaseFile c) {
        var em = CaseFile.getEntityManager();
        em.flush(); // the case's row first: it waits here for a start's check that holds the table, and sees its note
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("delete from case_hold_noted where case_id = ?1 "
                + "returning hold_id, placed_at, topic_revision").setParameter(1, c.id).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] row = rows.get(0);
        long topicRevision = ((Number) row[2]).longValue();
        CaseHold hold = placeAgain(c, ((Number) row[0]).longValue(), instant(row[1]));
        c.revision = Math.max(c.revision, topicRevision);
        audit.record("case.hold.restored", "case", c.id, c.localEntityId, AuditTrail.detail("holdId", hold.id,
                "topicHoldId", hold.id == ((Number) row[0]).longValue() ? null : ((Number) row[0]).longValue(),
                "topicRevision", topicRevision, "noted", true));
        return hold;
    }

    private static Instant instant(Object column) {
        if (column instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (column instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return (Instant) column;
    }

    /**
     * Whether the topic's record can be stored here as it is: its campaign and entity exist, and it fits the table's
     * checks. A record that did not would fail this start, and every later one, for good.
     */
    private static boolean rebuildable(CaseChanged topic) {
        return SLUG.matcher(topic.caseId()).matches() && SLUG.matcher(topic.campaignId()).matches()
                && Campaign.findById(topic.campaignId()) != null
                && ("global".equals(topic.scope()) && topic.localEntityId() == null
                || "local".equals(topic.scope()) && topic.localEntityId() != null
                && SLUG.matcher(topic.localEntityId()).matches() && ActionEntity.findById(topic.localEntityId()) != null)
                && CaseService.TRANSITIONS.containsKey(topic.status())
                && topic.country().length() == 2 && (topic.demand() == null || topic.demand().length() <= 1000);
    }

    /** The case as the topic's record has it, at the topic's revision (its announcement moves past it). */
    private static CaseFile rebuild(CaseChanged topic) {
        CaseFile c = new CaseFile();
        c.id = topic.caseId();
        c.campaignId = topic.campaignId();
        c.name = topic.name();
        c.country = topic.country();
        c.targetAuthority = topic.targetAuthority();
        c.demand = topic.demand();
        c.scope = topic.scope();
        c.localEntityId = topic.localEntityId();
        c.goal = topic.goal();
        c.milestones = topic.milestones();
        c.status = topic.status();
        c.publicCounter = topic.publicCounter();
        c.changedAt = topic.changedAt();
        c.revision = topic.version();
        c.persist();
        var em = CaseFile.getEntityManager();
        em.flush(); // the hold's row refers to it
        em.createNativeQuery("delete from case_hold_noted where case_id = ?1").setParameter(1, c.id).executeUpdate();
        return c;
    }

    /**
     * Keeps the topic's hold of a case that cannot be rebuilt here, until its id is created ({@link #placeNotedHold}).
     * A later start that can rebuild it does, and the note goes. False for an id no request could create (not a slug):
     * such a case can never be announced from here, so its hold on the topic stays.
     */
    private static boolean note(CaseChanged topic) {
        if (!SLUG.matcher(topic.caseId()).matches()) {
            return false;
        }
        CaseFile.getEntityManager().createNativeQuery("""
                        insert into case_hold_noted (case_id, hold_id, placed_at, topic_revision, noted_at)
                        values (?1, ?2, ?3, ?4, now())
                        on conflict (case_id) do update set hold_id = excluded.hold_id, placed_at = excluded.placed_at,
                               topic_revision = excluded.topic_revision, noted_at = excluded.noted_at""")
                .setParameter(1, topic.caseId()).setParameter(2, topic.hold().holdId())
                .setParameter(3, topic.hold().placedAt()).setParameter(4, topic.version()).executeUpdate();
        return true;
    }

    /** Every case's revision here, read under the caller's lock of the table. */
    private static Map<String, Long> revisions() {
        Map<String, Long> revisions = new HashMap<>();
        for (Object[] row : CaseFile.getEntityManager().createQuery("select c.id, c.revision from CaseFile c",
                Object[].class).getResultList()) {
            revisions.put((String) row[0], (Long) row[1]);
        }
        return revisions;
    }

    /**
     * Moves the hold ids' sequence past {@code highest}, the highest hold id of any record read from the topic, if it
     * is behind (only after a restore: every id on the topic came from it). A restored sequence would give a new hold,
     * or a restored one whose id is taken here, the id of a hold placed after the backup, and a hold id is what a lift
     * names. Records compaction has removed are not read: their ids can still come again.
     */
    private static void holdIdsAfter(long highest) {
        CaseHold.getEntityManager().createNativeQuery("""
                        select case when ?1 > coalesce(pg_sequence_last_value(s::regclass), 0)
                                    then setval(s::regclass, ?1) end
                          from pg_get_serial_sequence('case_hold', 'id') s""")
                .setParameter(1, highest).getSingleResult();
    }

    /** The topic's hold of {@code c}, stored again: its id and start, unless that id is taken here (then a new id). */
    private static CaseHold placeAgain(CaseFile c, long id, Instant topicPlacedAt) {
        Instant placedAt = Objects.requireNonNullElseGet(topicPlacedAt, Instant::now);
        var em = CaseHold.getEntityManager();
        if (CaseHold.findById(id) == null) {
            em.createNativeQuery("insert into case_hold (id, case_id, reason, placed_by, placed_at) "
                            + "values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, id).setParameter(2, c.id).setParameter(3, RESTORED_REASON)
                    .setParameter(4, RESTORED_BY).setParameter(5, placedAt).executeUpdate();
        } else {
            CaseHold fresh = new CaseHold();
            fresh.caseId = c.id;
            fresh.reason = RESTORED_REASON;
            fresh.placedBy = RESTORED_BY;
            fresh.placedAt = placedAt;
            fresh.persist();
            id = fresh.id;
        }
        CaseHold hold = CaseHold.findById(id);
        c.heldBy(hold);
        c.changedAt = Instant.now();
        return hold;
    }
}

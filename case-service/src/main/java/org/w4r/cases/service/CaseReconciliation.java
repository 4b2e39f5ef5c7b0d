package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.model.CaseHold;
import org.w4r.events.CaseChanged;
import org.w4r.kit.audit.AuditTrail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * <li>the database's revision is raised to the topic's, so its next announcement is newer than anything there;</li>
 * <li>held on the topic, not here: the hold is placed again here, with the topic's hold id and start (who placed it
 * and why are not on the topic, never are: the reason says it was restored), audited {@code case.hold.restored};</li>
 * <li>held here, not on the topic (lifted after the backup), or held under another hold: the database's state is
 * announced at a revision above the topic's, so the hold is enforced again everywhere (a hold wins: a lift that
 * was lost is made again by a person, who sees the hold), audited {@code case.hold.reannounced}.</li>
 * </ul>
 * Other fields stay as the backup has them; the start-up snapshot announces them at the topic's revision. Logs ids
 * and counts only.
 */
@ApplicationScoped
public class CaseReconciliation {
    private static final Logger LOG = Logger.getLogger(CaseReconciliation.class);
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

    /** What a check found: cases by id (sorted, for the log). */
    public record Outcome(List<String> newerOnTopic, List<String> holdsRestored, List<String> holdsReannounced,
                          int notInDatabase) {
    }

    /**
     * In the caller's transaction, which has taken {@code case_file} in EXCLUSIVE mode (the start-up snapshot's lock):
     * no change of a case can commit between the comparison and the repair. {@code onTopic}: what readers hold
     * ({@code CasesOnTopic}); a change committed here after it was read has a higher revision here, and is left alone.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome reconcile(Map<String, CaseChanged> onTopic) {
        List<String> newer = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        List<String> reannounced = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> missingHeld = new ArrayList<>();
        holdIdsAfter(onTopic.values().stream().filter(t -> t.hold() != null).mapToLong(t -> t.hold().holdId())
                .max().orElse(0));
        Map<String, Long> revisions = revisions();
        for (CaseChanged topic : new TreeMap<>(onTopic).values()) {
            Long revision = revisions.get(topic.caseId());
            if (revision == null) {
                missing.add(topic.caseId());
                if (topic.hold() != null) {
                    missingHeld.add(topic.caseId());
                }
                continue;
            }
            if (topic.version() <= revision) {
                continue; // every normal start: each record on the topic was committed here first
            }
            CaseFile c = CaseFile.findById(topic.caseId(), LockModeType.PESSIMISTIC_WRITE);
            newer.add(c.id);
            c.revision = topic.version();
            if (topic.hold() != null && !c.onHold()) {
                CaseHold hold = placeAgain(c, topic);
                restored.add(c.id);
                audit.record("case.hold.restored", "case", c.id, c.localEntityId, AuditTrail.detail("holdId", hold.id,
                        "topicHoldId", hold.id == topic.hold().holdId() ? null : topic.hold().holdId(),
                        "topicRevision", topic.version()));
                if (hold.id != topic.hold().holdId()) {
                    // its id was taken here: announce the one a case manager lifts by
                    publisher.caseFile(c);
                }
            } else if (c.onHold() && (topic.hold() == null || !Objects.equals(topic.hold().holdId(), c.holdId))) {
                publisher.caseFile(c); // above the topic's revision: c.revision is the topic's here
                reannounced.add(c.id);
                audit.record("case.hold.reannounced", "case", c.id, c.localEntityId, AuditTrail.detail("holdId", c.holdId,
                        "topicHoldId", topic.hold() == null ? null : topic.hold().holdId(),
                        "topicRevision", topic.version(), "revision", c.revision));
            }
        }
        Outcome outcome = new Outcome(newer, restored, reannounced, missing.size());
        if (!newer.isEmpty()) {
            LOG.warnf("cases topic newer than the database for %d cases (restored from a backup?): revisions raised %s; "
                            + "holds placed again from the topic %s; holds announced again over a newer unheld or other "
                            + "hold %s. Other changes made after the backup are not in the database: make them again",
                    newer.size(), newer, restored, reannounced);
        }
        if (!missing.isEmpty()) {
            // created after the backup: every service still holds them; one created again here with the same id is
            // announced as new (unheld) over the topic's record, so these held ones are named
            LOG.warnf("cases topic check: %d cases on the topic are not in the database, %d of them held %s",
                    missing.size(), missingHeld.size(), missingHeld);
        }
        return outcome;
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
     * Moves the hold ids' sequence past {@code highest}, the highest hold id on the topic, if it is behind (only after a
     * restore: every id on the topic came from it). A restored sequence would give a new hold, or a restored one whose
     * id is taken here, the id of a hold placed after the backup, and a hold id is what a lift names.
     */
    private static void holdIdsAfter(long highest) {
        CaseHold.getEntityManager().createNativeQuery("""
                        select case when ?1 > coalesce(pg_sequence_last_value(s::regclass), 0)
                                    then setval(s::regclass, ?1) end
                          from pg_get_serial_sequence('case_hold', 'id') s""")
                .setParameter(1, highest).getSingleResult();
    }

    /** The topic's hold of {@code c}, stored again: its id and start, unless that id is taken here (then a new id). */
    private static CaseHold placeAgain(CaseFile c, CaseChanged topic) {
        long id = topic.hold().holdId();
        Instant placedAt = Objects.requireNonNullElseGet(topic.hold().placedAt(), Instant::now);
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

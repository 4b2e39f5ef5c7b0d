package org.w4r.cases.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CampaignExtension;
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.model.Credential;
import org.w4r.cases.service.CaseReconciliation;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.CredentialChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Topics;
import org.w4r.kit.outbox.Outbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Announces the full current state of changed reference data on its compacted topic, through the outbox, in the
 * caller's transaction: the event exists if and only if the change was committed. Returns the outbox row id so a
 * caller can wait until the change has reached Kafka (a hold must take effect everywhere within seconds).
 */
@ApplicationScoped
public class ReferencePublisher {
    @Inject
    Outbox outbox;

    @Inject
    CasesOnTopic casesOnTopic;

    @Inject
    CaseReconciliation reconciliation;

    public long campaign(Campaign c) {
        List<CampaignChanged.Extension> extensions = CampaignExtension.of(c.id).stream()
                .map(e -> new CampaignChanged.Extension(e.entityId, e.closesAt)).toList();
        return outbox.add(Topics.CAMPAIGNS, c.id, new CampaignChanged(UUID.randomUUID(), c.id, c.name, c.opensAt,
                c.closesAt, c.current, extensions, c.changedAt));
    }

    /**
     * Announces a change of the case. Its revision moves past both the last one and the clock, so readers, who keep
     * the highest revision they have seen, drop a late copy of an older state whichever order two relays deliver in,
     * and still take changes made after this database was restored from a backup. The caller holds the case's row
     * lock, so two changes never get the same revision.
     */
    public long caseFile(CaseFile c) {
        Instant now = Instant.now();
        c.revision = Math.max(c.revision + 1, now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000);
        return announce(c);
    }

    private long announce(CaseFile c) {
        CaseChanged.Hold hold = c.onHold() ? new CaseChanged.Hold(c.holdId, c.holdPlacedAt) : null;
        return outbox.add(Topics.CASES, c.id, new CaseChanged(UUID.randomUUID(), c.id, c.campaignId, c.name,
                c.country, c.targetAuthority, c.scope, c.localEntityId, c.goal, c.status, c.publicCounter, hold,
                c.revision, c.changedAt, c.milestones, c.demand));
    }

    public long entity(ActionEntity e) {
        return outbox.add(Topics.ENTITIES, e.id, new EntityChanged(UUID.randomUUID(), e.id, e.name, e.country,
                e.kind, e.changedAt));
    }

    /** One credential per event; a revoked or expired one is a tombstone, so compaction forgets its hash. */
    public long credential(Credential k) {
        if (!k.active(Instant.now())) {
            return outbox.add(Topics.CREDENTIALS, k.keyId, null);
        }
        return outbox.add(Topics.CREDENTIALS, k.keyId, new CredentialChanged(UUID.randomUUID(), k.keyId, k.sha256,
                k.role, k.entityId, k.entityId == null ? announcedPrincipal(k) : null, k.expiresAt, Instant.now()));
    }

    /**
     * The principal as every service reads it, to name who did what. A staff token issued before {@code @} was refused
     * (Credential.PRINCIPAL) may be named by an email: announced at every start, on a compacted topic every service
     * reads, it would be published again for as long as the token lives (up to a year; a read-only review, 6 December
     * 2026). Such a principal is announced as its key id instead, which names the token and nobody; case-service
     * itself still lists and revokes it by its stored principal.
     */
    static String announcedPrincipal(Credential k) {
        return k.principal != null && k.principal.contains("@") ? "staff-" + k.keyId : k.principal;
    }

    /**
     * What every start does, before any request is served (Quarkus opens HTTP once the start-up observers are done) and
     * after the demo data (the kit loads it first): reads the {@code cases} topic to its end, puts back what a restore
     * of this database from a backup lost of the holds ({@link CaseReconciliation}), then announces everything
     * ({@link #snapshot()}), in one transaction under the snapshot's lock.
     *
     * <p>Before the check (a read-only review, 6 December 2026), a restored database announced its cases at the
     * backup's revisions, which readers ignored, and then the next change of a case at a revision from the clock with
     * the backup's hold: a hold placed after the backup was cleared everywhere, one lifted after it was enforced
     * nowhere while shown here. A topic that cannot be read to its end (Kafka away, {@code w4r.cases.topic-check-wait})
     * fails the start: nothing announced, no request served, the platform's orchestrator tries again. Going on would
     * serve writes that undo the holds the check is there to keep.
     */
    void startUp(@Observes StartupEvent event) {
        startUp();
    }

    /** The start-up work above, in a transaction of its own; returns what the check of the topic found. */
    public CaseReconciliation.Outcome startUp() {
        CasesOnTopic.OnTopic onTopic = casesOnTopic.newest(); // outside the transaction: it may take seconds
        return reconcileAndSnapshot(onTopic);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    CaseReconciliation.Outcome reconcileAndSnapshot(CasesOnTopic.OnTopic onTopic) {
        lockReferenceTables();
        CaseReconciliation.Outcome outcome = reconciliation.reconcile(onTopic.newest(), onTopic.highestHoldId());
        announceAll();
        return outcome;
    }

    /**
     * Everything, at every start: compaction keeps only the latest per key, so this is harmless, and it repairs a
     * topic that was lost or recreated. In the caller's transaction.
     *
     * <p>Its rows must reach Kafka in commit order with every change of the same key, as each writer's do (it locks
     * the row it changes before it adds its outbox row). So the snapshot first takes every reference table in
     * EXCLUSIVE mode: a change already under way (it holds a row lock) commits first and is read here; one that
     * starts later waits at its row lock until the snapshot has committed. Plain reads go on. Without it (found by a
     * read-only audit, 4 December 2026), a key revoked on one instance while another instance was starting was
     * announced revoked, then active again by the starting instance's older read: the key worked again everywhere,
     * and a hold placed meanwhile was the older, unheld record that compaction would keep for the next reader.
     */
    @Transactional
    public void snapshot() {
        lockReferenceTables();
        announceAll();
    }

    private static void lockReferenceTables() {
        Campaign.getEntityManager().createNativeQuery(
                "lock table campaign, campaign_extension, entity, case_file, credential in exclusive mode").executeUpdate();
    }

    private void announceAll() {
        Campaign.<Campaign>listAll().forEach(this::campaign);
        ActionEntity.<ActionEntity>listAll().forEach(this::entity);
        CaseFile.<CaseFile>listAll().forEach(this::announce); // the same state again: the same revision
        announcedCredentials().forEach(this::credential);
    }

    /**
     * The credentials the snapshot announces: unrevoked, unexpired by the database's clock (as {@code
     * LiveCredentialCheck} judges), and not tombstoned already by the expiry sweep ({@code expiry_outbox_id}, V9).
     * It took every unrevoked credential unexpired by this JVM's clock: an instance whose clock was behind the
     * sweeping one's announced a credential again after its expiry's tombstone, and the sweep, which announces each
     * expiry once, never tombstoned it again: its hash and principal stayed on the compacted topic for good (a
     * read-only review, 6 December 2026).
     */
    @SuppressWarnings("unchecked")
    static List<Credential> announcedCredentials() {
        return Credential.getEntityManager().createNativeQuery("""
                        select * from credential
                         where revoked_at is null and expiry_outbox_id is null
                           and (expires_at is null or expires_at > now())""", Credential.class).getResultList();
    }
}

package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CampaignExtension;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.problem.ProblemException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Campaigns (editions): their window, which one is current, and per-entity extensions. */
@ApplicationScoped
public class CampaignService {
    @Inject
    ReferencePublisher publisher;

    @Inject
    AuditTrail audit;

    /**
     * A campaign with its extensions, read in the transaction that wrote it: a write's answer must read nothing after
     * its commit, where a failed read was answered "not stored" of a campaign that was (found 4 December 2026).
     */
    public record Stored(Campaign campaign, List<CampaignExtension> extensions) {
        static Stored of(Campaign c) {
            return new Stored(c, CampaignExtension.of(c.id));
        }
    }

    /** A new campaign or, for an edit, what changes (null: unchanged); its shape was checked by the resource. */
    public record CampaignInput(String campaignId, String name, Instant opensAt, Instant closesAt, Boolean current) {
    }

    /** The transaction-level advisory lock that makes campaigns become current one at a time. */
    private static final long CURRENT_LOCK = 0x7734_6361_6d70L; // "w4camp" in ASCII

    @Transactional
    @LiveCredential
    public Stored create(CampaignInput input) {
        lockCurrentIf(input.current());
        if (Campaign.findById(input.campaignId()) != null) {
            throw ProblemException.conflict("duplicate-id", "Duplicate campaign",
                    "campaign '" + input.campaignId() + "' exists already");
        }
        window(input.opensAt(), input.closesAt());
        Campaign c = new Campaign();
        c.id = input.campaignId();
        c.name = input.name();
        c.opensAt = input.opensAt();
        c.closesAt = input.closesAt();
        c.changedAt = Instant.now();
        c.persist();
        if (Boolean.TRUE.equals(input.current())) {
            makeCurrent(c);
        }
        return announced("campaign.created", c);
    }

    /** Changes what the input names, if the campaign is still at the version its editor read. */
    @Transactional
    @LiveCredential
    public Stored update(String campaignId, CampaignInput input, ExpectedVersion expected) {
        lockCurrentIf(input.current());
        Campaign c = findForChange(campaignId);
        expected.check("campaign", campaignId, c.version);
        if (input.name() != null) {
            c.name = input.name();
        }
        Instant opens = input.opensAt() != null ? input.opensAt() : c.opensAt;
        Instant closes = input.closesAt() != null ? input.closesAt() : c.closesAt;
        window(opens, closes);
        c.opensAt = opens;
        c.closesAt = closes;
        c.changedAt = Instant.now();
        if (Boolean.TRUE.equals(input.current())) {
            makeCurrent(c);
        } else if (Boolean.FALSE.equals(input.current())) {
            c.current = false;
        }
        return announced("campaign.updated", c);
    }

    /** The campaign with its extensions, as it stands after the extension; refused if changed since it was read. */
    @Transactional
    @LiveCredential
    public Stored extend(String campaignId, String entityId, Instant closesAt, ExpectedVersion expected) {
        Campaign c = findForChange(campaignId);
        expected.check("campaign", campaignId, c.version);
        EntityService.find(entityId);
        if (!closesAt.isAfter(c.closesAt)) {
            throw ProblemException.invalid("closesAt", "an extension must close after the campaign (" + c.closesAt + ")");
        }
        CampaignExtension e = CampaignExtension.findById(new CampaignExtension.Key(campaignId, entityId));
        if (e == null) {
            e = new CampaignExtension();
            e.campaignId = campaignId;
            e.entityId = entityId;
        }
        e.closesAt = closesAt;
        e.persist();
        c.changedAt = Instant.now();
        publisher.campaign(c);
        audit.record("campaign.extended", "campaign", campaignId, entityId, AuditTrail.detail("closesAt", closesAt.toString()));
        return Stored.of(c);
    }

    @Transactional
    @LiveCredential
    public void removeExtension(String campaignId, String entityId) {
        Campaign c = findForChange(campaignId);
        Ids.existing("extension", entityId);
        if (!CampaignExtension.deleteById(new CampaignExtension.Key(campaignId, entityId))) {
            throw ProblemException.notFound("extension", campaignId + "/" + entityId);
        }
        c.changedAt = Instant.now();
        publisher.campaign(c);
        audit.record("campaign.extension.removed", "campaign", campaignId, entityId, Map.of());
    }

    /** One campaign with its extensions, as one state (below). */
    public static Stored stored(String campaignId) {
        List<Stored> found = read("where c.id = ?1", Ids.existing("campaign", campaignId));
        if (found.isEmpty()) {
            throw ProblemException.notFound("campaign", campaignId);
        }
        return found.get(0);
    }

    /** Every campaign with its extensions, the latest first, each as one state (below). */
    public static List<Stored> all() {
        return read("");
    }

    /**
     * Campaigns and their extensions in one statement, so in one snapshot of the database: the version a campaign is
     * answered with (its ETag) is the version of the extensions shown with it. Read in two statements, an extension
     * committed between them was shown under the version before it, and an edit sent with that ETag passed over an
     * extension its editor never saw (a read-only review, 6 December 2026). One statement takes no lock and waits for
     * no writer. Outside a write's transaction only: a session that holds a campaign already would answer it as held.
     */
    private static List<Stored> read(String where, Object... params) {
        var query = Campaign.getEntityManager().createQuery("select c, e from Campaign c "
                + "left join CampaignExtension e on e.campaignId = c.id " + where
                + " order by c.opensAt desc, c.id, e.entityId", Object[].class);
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        Map<Campaign, List<CampaignExtension>> campaigns = new LinkedHashMap<>();
        for (Object[] row : query.getResultList()) {
            List<CampaignExtension> extensions = campaigns.computeIfAbsent((Campaign) row[0], c -> new ArrayList<>());
            if (row[1] != null) {
                extensions.add((CampaignExtension) row[1]);
            }
        }
        return campaigns.entrySet().stream().map(e -> new Stored(e.getKey(), List.copyOf(e.getValue()))).toList();
    }

    /**
     * The campaign, its row shared until this transaction ends (a case's insert, import or activation): a close
     * committed before is read, and one under way ({@link #findForChange}) commits first or waits for this one, so no
     * case is stored or made active in a campaign closed meanwhile (a read-only review, 6 December 2026). Null if
     * there is none. The caller takes it before any entity's or case's lock.
     */
    static Campaign lockedForCases(String campaignId) {
        return Campaign.findById(Ids.existing("campaign", campaignId), LockModeType.PESSIMISTIC_READ);
    }

    public static Campaign find(String campaignId) {
        return Ids.found("campaign", campaignId, id -> Campaign.<Campaign>findById(id));
    }

    /**
     * The campaign, locked until this transaction ends. Every change of a campaign or of its extensions takes it
     * first, so a change reads what the one before it committed: two edits at once each wrote the whole row as
     * they had read it (one's closing date was lost), and an edit racing a removed extension announced the
     * extension again. The lock also keeps the announcements of one campaign in commit order (the outbox relay
     * sends in id order).
     */
    static Campaign findForChange(String campaignId) {
        return Ids.found("campaign", campaignId, id -> Campaign.<Campaign>findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    /**
     * Only one campaign is current: the previous one stops being so, and says so on the stream. Its row is locked first,
     * as for any change of it: an edit of it under way commits first, and this change is read on top of that edit
     * (unlocked, it wrote back the row as read, or now fails on the campaign's version).
     */
    private void makeCurrent(Campaign c) {
        for (Campaign other : Campaign.<Campaign>find("current = true and id <> ?1", c.id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list()) {
            other.current = false;
            other.changedAt = Instant.now();
            publisher.campaign(other);
        }
        c.current = true;
    }

    /**
     * Two campaigns made current at once each found the old current one and no other, and both stayed current: a
     * change that makes one current takes this lock first (before any row lock, so two such changes cannot wait on
     * each other's rows), and the second then finds the first.
     */
    private static void lockCurrentIf(Boolean current) {
        if (Boolean.TRUE.equals(current)) {
            Campaign.getEntityManager().createNativeQuery("select 1 from pg_advisory_xact_lock(" + CURRENT_LOCK + ")")
                    .getSingleResult();
        }
    }

    /** Created or edited, a campaign leaves the same trail entry, so an edit reads against the creation before it. */
    private Stored announced(String action, Campaign c) {
        publisher.campaign(c);
        audit.record(action, "campaign", c.id, null, AuditTrail.detail("opensAt", c.opensAt.toString(),
                "closesAt", c.closesAt.toString(), "current", c.current));
        return Stored.of(c);
    }

    private static void window(Instant opens, Instant closes) {
        if (!closes.isAfter(opens)) {
            throw ProblemException.invalid("closesAt", "'closesAt' must be after 'opensAt'");
        }
    }
}

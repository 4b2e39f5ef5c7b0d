package org.w4r.tally.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.transaction.AfterCommit;
import org.w4r.tally.model.Milestone;
import org.w4r.tally.repository.MilestoneRepository;
import org.w4r.tally.repository.MilestoneRepository.CaseKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Milestones: a case's total reaching 25, 50, 75 and 100 % of its goal (the case's own {@code milestones} from
 * case-service where it has them, else {@code w4r.milestones.percents}), each recorded once and told to the entity
 * sites that subscribed to {@code milestone.reached} (issue 15 point 4, issue 16 point 5).
 *
 * <p>Checked in the transaction of every batch the tally applies, for the cases it touched: the {@code actions} topic
 * is keyed by case, so a case's batches are applied one after another and each sees the total before it; a total at or
 * over a threshold with no milestone yet records it. The primary key makes it once: a total that dips (a correction)
 * and rises again, a rebuild of the tally (whose scratch tables are not checked), a batch read twice. A sweep every
 * {@code w4r.milestones.sweep} checks every case of the current campaign, for what changes without an action: a goal
 * lowered, a rebuild that found more. A case on safety hold has its milestone recorded but not announced until the
 * hold is lifted: an entity site must not celebrate a case the campaign has paused. Held or not is read, in the
 * statement that records or announces, from the state the webhook consumer keeps and from this instance's reference
 * data: held if either says so ({@link MilestoneRepository}). One
 * recorded by a statement that ran just before the hold committed is queued all the same; the dispatcher does not send
 * it while the case is held ({@code WebhookRepository.claimDue} reads the same two).
 */
@ApplicationScoped
public class Milestones {
    private static final Logger LOG = Logger.getLogger(Milestones.class);

    @Inject
    MilestoneRepository milestones;

    @Inject
    ReferenceData reference;

    @Inject
    WebhookService webhooks;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @ConfigProperty(name = "w4r.milestones.percents", defaultValue = "25,50,75,100")
    List<Integer> percents;

    /**
     * A milestone by its key: recorded once per campaign, case and percentage. Until 6 December 2026 the key was the
     * threshold, and a goal changed after a milestone made another percentage's threshold equal the recorded one:
     * lowered from 1,000 to 500 at 260, its 50 % (250) was taken for the 25 % recorded at 250 and never told, and its
     * new 25 % (125) was told as "25 %" again (read-only review). A percentage is reached once, whatever the goal.
     */
    private record Key(String campaignId, String caseId, int percent) {
        static Key of(Milestone m) {
            return new Key(m.campaignId(), m.caseId(), m.percent());
        }
    }

    /**
     * Milestones known to be committed: a batch of a case past all its thresholds then costs no statement at all (the
     * check runs in every batch the tally applies). Filled only with what is certainly committed: a conflict (another
     * transaction's committed row) at once, this transaction's own inserts after its commit.
     */
    private final Set<Key> committed = ConcurrentHashMap.newKeySet();

    /** In the caller's transaction: records and announces what the totals of {@code cases} have reached. */
    public void check(Set<CaseKey> cases) {
        // a half-read read model may hold an older record of the case (a goal, a counter or milestones since changed),
        // and a milestone is recorded once: none before it has read every case; the sweep records them once it has
        if (!reference.isCaughtUp()) {
            return;
        }
        Map<CaseKey, CaseChanged> open = new HashMap<>();
        for (CaseKey key : cases) {
            CaseChanged c = key.caseId().isEmpty() ? null : reference.findCase(key.caseId()).orElse(null);
            // no goal, or counts of a case id under another campaign: nothing to reach
            if (c != null && c.goal() != null && c.goal() > 0 && key.campaignId().equals(c.campaignId())
                    && percentsOf(c).stream().anyMatch(p -> !committed.contains(new Key(key.campaignId(), key.caseId(),
                    p)))) {
                open.put(key, c);
            }
        }
        if (open.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<Milestone> reached = new ArrayList<>();
        milestones.totals(open.keySet()).forEach((key, total) -> {
            CaseChanged c = open.get(key);
            for (int percent : percentsOf(c)) {
                long threshold = thresholdOf(c.goal(), percent);
                if (total >= threshold && !committed.contains(new Key(key.campaignId(), key.caseId(), percent))) {
                    // announced or not is the repository's to decide, from the hold the database holds
                    reached.add(new Milestone(key.campaignId(), key.caseId(), threshold, c.goal(), percent, now,
                            false));
                }
            }
        });
        // in key order, so a sweep and a batch recording the same milestones cannot deadlock
        reached.sort(Comparator.comparing(Milestone::campaignId).thenComparing(Milestone::caseId)
                .thenComparingInt(Milestone::percent));
        List<Milestone> recorded = milestones.record(reached, reference.heldCaseIds());
        Set<Key> mine = recorded.stream().map(Key::of).collect(Collectors.toSet());
        reached.stream().map(Key::of).filter(k -> !mine.contains(k)).forEach(committed::add);
        AfterCommit.run(transactions, () -> committed.addAll(mine));
        webhooks.onMilestones(recorded.stream().filter(Milestone::announced).toList());
    }

    /** The case's own percentages if it has them (case-service, {@code milestones}), else the platform's. */
    List<Integer> percentsOf(CaseChanged c) {
        return c.milestones() == null || c.milestones().isEmpty() ? percents : c.milestones();
    }

    /** The count that is {@code percent} of {@code goal}, rounded up (75 % of 10 is 8: 7 is not yet three quarters). */
    static long thresholdOf(long goal, int percent) {
        return Math.max(1, (goal * percent + 99) / 100);
    }

    /** Every case of the current campaign, for what changed without an action (a goal, a rebuild). */
    @Scheduled(every = "${w4r.milestones.sweep:30s}", delayed = "20s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        CampaignChanged campaign = reference.currentCampaign().orElse(null);
        if (campaign == null) {
            return;
        }
        try {
            sweep(campaign.campaignId());
        } catch (RuntimeException e) {
            LOG.warnf("milestone sweep failed (%s); the next batch or sweep checks again", Failures.describe(e));
        }
    }

    /** Checks every case of {@code campaignId} and tells what a release overtook, in one transaction. */
    @Transactional
    public void sweep(String campaignId) {
        if (!reference.isCaughtUp()) { // which cases are held is not yet known: nothing is announced
            return;
        }
        List<CaseChanged> cases = reference.cases().stream().filter(c -> campaignId.equals(c.campaignId())).toList();
        check(cases.stream().map(c -> new CaseKey(campaignId, c.caseId())).collect(Collectors.toSet()));
        // a milestone recorded as held just as the release went by (the release's own announcing ran first): told now.
        // Which cases are held is read by that statement, not from the list above: a hold that arrived since would
        // otherwise be announced through (CI, 4 December 2026)
        webhooks.onMilestones(milestones.announceReleased(campaignId, reference.heldCaseIds()));
    }

    public List<Milestone> list(String campaignId, int limit) {
        return milestones.list(campaignId, limit);
    }
}

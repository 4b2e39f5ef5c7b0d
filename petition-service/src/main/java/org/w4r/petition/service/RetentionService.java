package org.w4r.petition.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.DeliveryEvent;
import org.w4r.events.HandoverRecorded;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.petition.model.RetentionRun;
import org.w4r.petition.model.RetentionRun.CaseData;
import org.w4r.petition.repository.RetentionRepository;

import java.sql.SQLException;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The retention schedule: a campaign's signer names, countries and consents, and its message authors, are anonymised
 * {@code w4r.retention.after} (six months) after the later of its close (with every entity's extension) and its last
 * handover. Counts and the keyed email hashes stay, so totals, recounts and erasures by email still work; the
 * delivery pack of a past handover can no longer be built, and delivery-service keeps only its SHA-256.
 *
 * <p>Why from the last handover: the names are collected to be handed over; once the last handover is done, they
 * serve nothing but a complaint about it, for which six months is the movement's rule (and e-petitions' practice).
 * Runs on a schedule on every instance; an advisory lock per campaign makes one of them do it.
 */
@ApplicationScoped
public class RetentionService {
    /** How long an action turned away by a run under way waits: a run takes seconds to minutes. */
    static final int RUN_RETRY_AFTER_SECONDS = 30;

    private static final Logger LOG = Logger.getLogger(RetentionService.class);
    /** Who ran a run the schedule started. */
    public static final String SCHEDULE = "schedule";

    @Inject
    ReferenceData reference;

    @Inject
    RetentionRepository retention;

    /** Which campaigns this transaction has checked already ({@link #requireNotRetired}). */
    @Inject
    jakarta.transaction.TransactionSynchronizationRegistry transaction;

    @Inject
    Committer committer;

    @Inject
    AuditTrail audit;

    @Inject
    Settings settings;

    /** {@code w4r.retention.*}: how long a campaign's data is kept, and how often due campaigns are looked for. */
    @ConfigMapping(prefix = "w4r.retention")
    public interface Settings {
        @WithDefault("P6M")
        Period after();

        /** Read by the schedule of the pass; {@code off}: tests run the pass themselves. */
        @WithDefault("1h")
        String every();
    }

    /** Where a campaign stands: {@code open} (still taking actions), {@code scheduled}, {@code due}, {@code retired}. */
    public record Schedule(String campaignId, String name, Instant closesAt, Instant lastHandoverAt, Instant dueAt,
                           String state, Instant retiredAt) {
    }

    /**
     * The handovers among delivery-service's events, in one transaction: the latest per campaign is kept, so an event
     * read twice or out of order changes nothing. Plans and cancellations are not handovers.
     */
    @Transactional
    public void handovers(List<DeliveryEvent> events) throws SQLException {
        for (DeliveryEvent event : events) {
            if (event instanceof HandoverRecorded handover) {
                String campaignId = handover.campaignId() != null ? handover.campaignId()
                        : reference.findCase(handover.caseId()).map(CaseChanged::campaignId).orElse(null);
                if (campaignId != null) {
                    retention.handover(campaignId,
                            handover.deliveredAt() != null ? handover.deliveredAt() : handover.recordedAt());
                }
            }
        }
    }

    public Period after() {
        return settings.after();
    }

    /** Every campaign the service knows, oldest close first. */
    public List<Schedule> schedule(Instant now) throws SQLException {
        Map<String, Instant> handovers = retention.lastHandovers();
        Map<String, Instant> retired = retention.retired();
        List<Schedule> schedules = new ArrayList<>();
        for (CampaignChanged campaign : reference.campaigns()) {
            schedules.add(scheduleOf(campaign, handovers.get(campaign.campaignId()),
                    retired.get(campaign.campaignId()), now));
        }
        schedules.sort(Comparator.comparing(Schedule::closesAt).thenComparing(Schedule::campaignId));
        return schedules;
    }

    public Schedule schedule(String campaignId, Instant now) throws SQLException {
        CampaignChanged campaign = reference.findCampaign(campaignId)
                .orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
        return scheduleOf(campaign, retention.lastHandovers().get(campaignId), retention.retiredAt(campaignId).orElse(null), now);
    }

    Schedule scheduleOf(CampaignChanged campaign, Instant lastHandover, Instant retiredAt, Instant now) {
        Instant closes = closesOf(campaign);
        Instant from = lastHandover != null && lastHandover.isAfter(closes) ? lastHandover : closes;
        Instant due = from.atOffset(ZoneOffset.UTC).plus(settings.after()).toInstant();
        String state = retiredAt != null ? "retired" : closes.isAfter(now) ? "open" : due.isAfter(now) ? "scheduled" : "due";
        return new Schedule(campaign.campaignId(), campaign.name(), closes, lastHandover, due, state, retiredAt);
    }

    /** When the campaign closes for the last of its entities (an extension may close it later for one). */
    private static Instant closesOf(CampaignChanged campaign) {
        Instant closes = campaign.closesAt();
        for (CampaignChanged.Extension extension : campaign.extensions() == null ? List.<CampaignChanged.Extension>of()
                : campaign.extensions()) {
            if (extension.closesAt() != null && extension.closesAt().isAfter(closes)) {
                closes = extension.closesAt();
            }
        }
        return closes;
    }

    /** What a run would anonymise now, by case; recorded as a dry run. Allowed at any time. */
    public Command<RetentionRun> dryRun(String campaignId) throws SQLException {
        Schedule schedule = schedule(campaignId, Instant.now());
        AuditTrail.Entry asked = audit.entry("retention.dry-run", "campaign", campaignId, null, Map.of());
        return work -> {
            Instant started = Instant.now();
            RetentionRun run = run(campaignId, true, schedule.dueAt(), started, retention.held(campaignId), asked.actor());
            retention.record(run);
            return run;
        };
    }

    /**
     * Anonymises the campaign now; refused before it is due (a person's own data goes earlier by an erasure, never by
     * moving a whole campaign's schedule). A campaign already retired may run again: it finds what came since.
     */
    public Command<RetentionRun> run(String campaignId) throws SQLException {
        return run(campaignId, false);
    }

    /**
     * {@code onlyOnce}: the schedule's run, which does nothing (answers null) for a campaign retired by the time it has
     * the campaign's lock. Each instance reads the due campaigns once and runs them one by one, so a campaign another
     * instance ran meanwhile was run again: an empty run and its audit entry (a read-only review, 8 December 2026).
     */
    private Command<RetentionRun> run(String campaignId, boolean onlyOnce) throws SQLException {
        Schedule schedule = schedule(campaignId, Instant.now());
        if ("open".equals(schedule.state()) || "scheduled".equals(schedule.state())) {
            throw new ProblemException(Problem.of(409, "not-due", "Not due",
                    "campaign '" + campaignId + "' is due for anonymisation on " + schedule.dueAt()
                            + ("open".equals(schedule.state()) ? " at the earliest (it is still open)" : ""))
                    .with("dueAt", schedule.dueAt().toString()).with("state", schedule.state()));
        }
        AuditTrail.Entry asked = audit.entry("retention.run", "campaign", campaignId, null, Map.of());
        return work -> {
            if (!retention.tryLock(campaignId)) {
                throw ProblemException.conflict("run-in-progress", "Run in progress",
                        "another run of campaign '" + campaignId + "', or a late action of it, is under way; read the "
                                + "runs in a moment");
            }
            if (onlyOnce && retention.retiredAt(campaignId).isPresent()) {
                return null;
            }
            Instant started = Instant.now();
            RetentionRun run = run(campaignId, false, schedule.dueAt(), started, retention.anonymise(campaignId), asked.actor());
            retention.record(run);
            // counts only, like the run's own record
            work.audit(asked.withSubject(campaignId).with("runId", run.runId().toString())
                    .with("signatures", run.signatures()).with("messages", run.messages()));
            return run;
        };
    }

    private static RetentionRun run(String campaignId, boolean dry, Instant due, Instant started, List<CaseData> byCase,
                           String actor) {
        long signatures = byCase.stream().mapToLong(CaseData::signatures).sum();
        long messages = byCase.stream().mapToLong(CaseData::messages).sum();
        String by = AuditTrail.SYSTEM.equals(actor) ? SCHEDULE : actor;
        return new RetentionRun(UUID.randomUUID(), campaignId, dry, due, started, Instant.now(), signatures, messages, byCase, by);
    }

    /**
     * Refuses (409 campaign-retired) a change to the counts of an anonymised campaign: its signatures no longer hold
     * the country they were counted under, so a correction could not take the count out of the same country; and
     * its figures are final anyway, the names they stood for are gone.
     */
    public void requireNotRetired(Stream<String> campaignIds) throws SQLException {
        for (String campaignId : campaignIds.distinct().toList()) {
            requireNotRetired(campaignId);
        }
    }

    /**
     * As {@link #requireNotRetired}, for a new action of {@code campaign}, in its transaction: every one asks. A
     * campaign that cannot have been anonymised ({@link #mayBeRetired}: the current campaign, and late reports of one
     * closed less than {@code w4r.retention.after} ago) reads nothing; any other reads the database every time, unless
     * it was found anonymised already (a run is never undone). A first version kept "not anonymised" a minute, and an
     * action read it while this instance's own run had not committed yet (review of this change, 6 December 2026).
     */
    public void requireNotRetiredYet(CampaignChanged campaign) throws SQLException {
        if (!mayBeRetired(campaign)) {
            return;
        }
        requireNotRetired(campaign.campaignId());
    }

    /**
     * In the change's transaction. Also refused while a run of the campaign is under way: the run could not see what
     * this transaction writes, and the schedule does not run a campaign again.
     */
    private void requireNotRetired(String campaignId) throws SQLException {
        Instant known = retiredCampaigns.get(campaignId);
        if (known != null) {
            refuseIf(campaignId, Optional.of(known));
        }
        // once per campaign and transaction: the run lock taken below is held to the transaction's end, so no run can
        // commit after the read, and asking again finds the same. A batch of 1,000 late reports asked 2,000 times (two
        // statements an item: 45 % of the statements of a batched replay's online actions, 7 December 2026)
        Set<String> checked = checkedInThisTransaction();
        if (checked != null && checked.contains(campaignId)) {
            return;
        }
        // before the read, and in a statement of its own: a run that committed just before is then seen by the read
        // (read committed takes a snapshot per statement), and none starts until this transaction ends
        if (!retention.holdOffRuns(campaignId)) {
            // not yet a refusal: the run may still fail and leave the campaign as it was. A 503 with Retry-After is
            // never kept under an Idempotency-Key; a 409 was, for two days, refusing a retry after a run that rolled
            // back (a review of this change, 6 December 2026)
            throw new ProblemException(Problem.of(503, "retention-run-in-progress", "Retention run in progress",
                    "campaign '" + campaignId + "' is being anonymised under the retention schedule now; nothing was "
                            + "stored; send the same request again after Retry-After seconds: it is then refused "
                            + "(campaign-retired) or taken").with("campaignId", campaignId)
                    .retryAfter(RUN_RETRY_AFTER_SECONDS));
        }
        Optional<Instant> retired = retention.retiredAt(campaignId);
        retired.ifPresent(at -> retiredCampaigns.put(campaignId, at));
        refuseIf(campaignId, retired);
        if (checked != null) {
            checked.add(campaignId);
        }
    }

    /** The campaigns found not anonymised in the current transaction, under its run lock; null outside one. */
    @SuppressWarnings("unchecked")
    private Set<String> checkedInThisTransaction() {
        if (transaction.getTransactionKey() == null) {
            return null;
        }
        Set<String> checked = (Set<String>) transaction.getResource(CHECKED);
        if (checked == null) {
            checked = new java.util.HashSet<>();
            transaction.putResource(CHECKED, checked);
        }
        return checked;
    }

    private static final Object CHECKED = RetentionService.class.getName() + ".checked";

    /**
     * Whether {@code campaign} can have been anonymised: it closed {@code after} ago or more, or it is known anonymised
     * (found so by a read, or by the minutely {@link #learnRetired} of every instance's runs). A run takes a campaign
     * only once it is due, so one whose close now lies ahead was extended after its run: until a read-only review of
     * 6 December 2026 only the close was looked at, and such a campaign took new names for good (the schedule does not
     * run a campaign again). A first fix asked the database for every campaign changed {@code after} past its opening,
     * which a live campaign extended late in its year is, and sent each of its signatures down the one-transaction path
     * (a review of that fix). Such a campaign, edited {@code after} or more past its opening, is also asked of the
     * database while its edit is newer than this instance's last read of the runs (or before the first): another
     * instance's run may have committed since that read (a review of this change). What is left: a run under way on
     * another instance across both the edit and this instance's next read, until the read after its commit.
     */
    public boolean mayBeRetired(CampaignChanged campaign) {
        if (!plusAfter(closesOf(campaign)).isAfter(Instant.now()) || retiredCampaigns.containsKey(campaign.campaignId())) {
            return true;
        }
        Instant learned = lastLearned;
        return !plusAfter(campaign.opensAt()).isAfter(campaign.changedAt())
                && (learned == null || !campaign.changedAt().isBefore(learned));
    }

    /** When {@link #learnRetired} last read every run; null before its first read. */
    private volatile Instant lastLearned;

    /** Every campaign anonymised, by any instance: what {@link #mayBeRetired} knows without a read. */
    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void learnRetired() {
        try {
            Instant reading = Instant.now(); // before the read: a run committed after it may be missed by it
            retiredCampaigns.putAll(retention.retired());
            lastLearned = reading;
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("retention: the anonymised campaigns could not be read (%s); trying again in a minute",
                    Failures.describe(e));
        }
    }

    private Instant plusAfter(Instant at) {
        return at.atOffset(ZoneOffset.UTC).plus(settings.after()).toInstant();
    }

    private static void refuseIf(String campaignId, Optional<Instant> retired) {
        if (retired.isPresent()) {
            throw new ProblemException(Problem.of(409, "campaign-retired", "Campaign anonymised",
                    "campaign '" + campaignId + "' was anonymised under the retention schedule on " + retired.get()
                            + "; its counts are final").with("campaignId", campaignId)
                    .with("retiredAt", retired.get().toString()));
        }
    }

    /** Campaigns found anonymised, and when: for good, as a run is never undone. */
    private final Map<String, Instant> retiredCampaigns = new ConcurrentHashMap<>();

    /** When the campaign of {@code campaignId} was anonymised, if it was: its signer list can no longer be handed over. */
    public Optional<Instant> retiredAt(String campaignId) throws SQLException {
        return retention.retiredAt(campaignId);
    }

    /** The schedule's own runs: every due campaign not yet retired, each in a transaction of its own. */
    @Scheduled(every = "${w4r.retention.every:1h}", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void runScheduled() {
        try {
            runDue(Instant.now());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("retention: the schedule could not be read (%s); trying again at the next run", Failures.describe(e));
        }
    }

    /** Runs every campaign due at {@code now} and not yet retired; returns what ran. */
    public List<RetentionRun> runDue(Instant now) throws SQLException {
        return runEach(schedule(now));
    }

    /** Runs each campaign of {@code read} that was due when read, unless retired since (by another instance). */
    public List<RetentionRun> runEach(List<Schedule> read) throws SQLException {
        List<RetentionRun> runs = new ArrayList<>();
        for (Schedule schedule : read) {
            if (!"due".equals(schedule.state())) {
                continue;
            }
            try {
                Command<RetentionRun> command = run(schedule.campaignId(), true);
                RetentionRun[] done = new RetentionRun[1];
                committer.commit(null, 200, work -> done[0] = command.apply(work), r -> Map.of());
                if (done[0] == null) {
                    continue;
                }
                runs.add(done[0]);
                LOG.infof("retention: campaign %s anonymised: %d signatures, %d messages", schedule.campaignId(),
                        done[0].signatures(), done[0].messages());
            } catch (ProblemException e) {
                // another instance has it (409), or the database is away (503): the next run tries again
                LOG.infof("retention: campaign %s not run now (%s)", schedule.campaignId(), e.problem().title());
            }
        }
        return runs;
    }

    public List<RetentionRun> runs(String campaignId, int limit) throws SQLException {
        return retention.runs(campaignId, limit);
    }
}

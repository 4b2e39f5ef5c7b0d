package org.w4r.tally.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;
import org.w4r.events.CaseChanged;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.SummaryNotifications;
import org.w4r.tally.repository.TallyRepository;
import org.w4r.tally.repository.TallyRepository.SummaryRow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live view of the counts, pushed on commit: the summary's triggers announce at commit which campaigns a
 * transaction changed ({@link SummaryNotifications}), and this re-reads those campaigns' rows of the small
 * case × entity summary and diffs them with the previous read. Because it learns from the database, not from this
 * instance's consumer, it sees every instance's updates. Reads are coalesced: at most one runs and one waits, and the
 * waiting one takes every campaign announced meanwhile, so a busy writer costs at most one read at a time. A slow
 * safety poll re-reads everything, for a notification lost while the listen connection was down. The public counters
 * are served from the same in-memory snapshot, so a flood of readers never reaches the database.
 */
@ApplicationScoped
public class LiveTotalsService {
    private static final Logger LOG = Logger.getLogger(LiveTotalsService.class);

    @Inject
    TallyRepository tally;

    @Inject
    ReferenceData reference;

    @Inject
    MeterRegistry registry;

    /** How often everything is re-read anyway: the bound on staleness when a notification is lost. */
    @ConfigProperty(name = "w4r.tally.live.safety-poll", defaultValue = "PT5S")
    Duration safetyPoll;

    @Inject
    org.w4r.tally.repository.DirectConnections connections;

    /** One campaign's live totals at one moment. */
    public record CampaignTotals(long total, long withoutCase, Map<String, Long> cases, Map<String, Long> entities,
                                 Map<String, Instant> caseUpdatedAt) {
        static CampaignTotals empty() {
            return new CampaignTotals(0, 0, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        }
    }

    /** What a stream client receives: the whole state first, then only what changed (counts are absolute). */
    public record Update(String kind, String campaignId, long total, long withoutCase, Map<String, Long> cases,
                         Map<String, Long> entities, Instant at) {
    }

    public record Counter(String caseId, long count,
                          @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) Long goal,
                          @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, implementation = String.class,
                                  format = "date-time") Instant updatedAt) {
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, CampaignTotals> snapshot;
    /** Runs the reads, one at a time, and the safety poll. */
    private ScheduledExecutorService reader;
    private SummaryNotifications notifications;
    /** What the next read must cover; guarded by itself. {@code readQueued}: a read waits in {@link #reader}. */
    private final Set<String> campaignsToRead = new TreeSet<>();
    private boolean everythingToRead;
    private boolean readQueued;

    /**
     * One client: updates wait here, merged, until the client can take one. A slow client therefore holds one update
     * (the newest value of everything that changed since it last read), never a queue that grows with time.
     */
    private static final class Listener {
        private final String campaignId;
        private final MultiEmitter<? super Update> emitter;
        private Update pending;

        Listener(String campaignId, MultiEmitter<? super Update> emitter) {
            this.campaignId = campaignId;
            this.emitter = emitter;
        }

        synchronized void offer(Update update) {
            pending = pending == null ? update : merge(pending, update);
            drain();
        }

        synchronized void drain() {
            if (pending != null && emitter.requested() > 0 && !emitter.isCancelled()) {
                Update next = pending;
                pending = null;
                emitter.emit(next);
            }
        }

        synchronized void complete() {
            pending = null;
            emitter.complete();
        }

        synchronized boolean waiting() {
            return pending != null;
        }
    }

    /** Counts are absolute, so the later value of a key wins; the whole state stays whole ("totals" absorbs changes). */
    static Update merge(Update older, Update newer) {
        Map<String, Long> cases = new TreeMap<>(older.cases());
        cases.putAll(newer.cases());
        Map<String, Long> entities = new TreeMap<>(older.entities());
        entities.putAll(newer.entities());
        return new Update(older.kind(), newer.campaignId(), newer.total(), newer.withoutCase(), cases, entities,
                newer.at());
    }

    void start(@Observes StartupEvent event) {
        readEverything();
        reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-live-reader");
            t.setDaemon(true);
            return t;
        });
        long ms = safetyPoll.toMillis();
        reader.scheduleWithFixedDelay(() -> changed(Set.of(), true), ms, ms, TimeUnit.MILLISECONDS);
        notifications = new SummaryNotifications(connections,
                campaigns -> changed(campaigns, false), () -> changed(Set.of(), true));
        notifications.start();
        Gauge.builder("w4r.tally.live.listening", notifications, n -> n.listening() ? 1 : 0)
                .description("1 while changes are pushed at commit, 0 while the safety poll alone covers them")
                .register(registry);
        FunctionCounter.builder("w4r.tally.live.reconnects", notifications, SummaryNotifications::reconnects)
                .description("times the connection listening for summary changes was lost and re-opened")
                .register(registry);
    }

    void stop(@Observes ShutdownEvent event) {
        if (notifications != null) {
            notifications.stop();
        }
        if (reader != null) {
            reader.shutdownNow();
        }
    }

    /** Whether summary changes reach this instance at commit now (false: reconnecting, the safety poll covers it). */
    public boolean listening() {
        return notifications != null && notifications.listening();
    }

    /** How many times the listen connection was lost and re-opened since start. */
    public long reconnects() {
        return notifications == null ? 0 : notifications.reconnects();
    }

    /**
     * Asks for a read of {@code campaigns} (or of everything): joins the read already waiting if there is one, so
     * however many notifications arrive during a read, one more read follows it, not one per notification.
     */
    private void changed(Set<String> campaigns, boolean everything) {
        synchronized (campaignsToRead) {
            everythingToRead |= everything;
            campaignsToRead.addAll(campaigns);
            if (readQueued) {
                return;
            }
            readQueued = true;
        }
        try {
            reader.execute(this::readQueued);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void readQueued() {
        Set<String> campaigns;
        boolean everything;
        synchronized (campaignsToRead) {
            campaigns = new TreeSet<>(campaignsToRead);
            everything = everythingToRead;
            campaignsToRead.clear();
            everythingToRead = false;
            readQueued = false;
        }
        if (everything) {
            readEverything();
        } else {
            readCampaigns(campaigns);
        }
    }

    /** Reads the whole summary: at start, on every (re)connect of the listener and at every safety poll. */
    private void readEverything() {
        try {
            publish(read(tally.summary()));
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the live totals (%s); keeping the last snapshot", Failures.describe(e));
        }
    }

    /** Reads the rows of the campaigns a notification named; the others stay as they are. */
    private void readCampaigns(Set<String> campaigns) {
        Map<String, CampaignTotals> read;
        try {
            read = read(tally.summaryOf(campaigns));
        } catch (RuntimeException e) {
            // not retried at once (the database may be away): the safety poll or the listener's reconnect re-reads
            LOG.warnf("cannot read the live totals (%s); keeping the last snapshot", Failures.describe(e));
            return;
        }
        Map<String, CampaignTotals> next = new TreeMap<>(current());
        next.keySet().removeAll(campaigns);
        next.putAll(read);
        publish(next);
    }

    /** Takes {@code next} as the snapshot and tells every listener what changed in its campaign. */
    private void publish(Map<String, CampaignTotals> next) {
        Instant now = Instant.now();
        synchronized (this) {
            Map<String, CampaignTotals> previous = snapshot;
            snapshot = next;
            if (previous == null) {
                return;
            }
            for (Listener listener : listeners) {
                CampaignTotals before = previous.getOrDefault(listener.campaignId, CampaignTotals.empty());
                CampaignTotals after = next.getOrDefault(listener.campaignId, CampaignTotals.empty());
                Map<String, Long> cases = changed(before.cases(), after.cases());
                Map<String, Long> entities = changed(before.entities(), after.entities());
                if (!cases.isEmpty() || !entities.isEmpty() || before.withoutCase() != after.withoutCase()) {
                    listener.offer(new Update("changes", listener.campaignId, after.total(), after.withoutCase(),
                            cases, entities, now));
                }
            }
        }
    }

    private static Map<String, CampaignTotals> read(List<SummaryRow> rows) {
        Map<String, CampaignTotals> byCampaign = new TreeMap<>();
        for (SummaryRow row : rows) {
            CampaignTotals c = byCampaign.computeIfAbsent(row.campaignId(), k -> CampaignTotals.empty());
            if (row.caseId().isEmpty()) {
                c = new CampaignTotals(c.total(), c.withoutCase() + row.count(), c.cases(), c.entities(), c.caseUpdatedAt());
            } else {
                c.cases().merge(row.caseId(), row.count(), Long::sum);
                c.caseUpdatedAt().merge(row.caseId(), row.updatedAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
            c.entities().merge(row.entityId(), row.count(), Long::sum);
            byCampaign.put(row.campaignId(), new CampaignTotals(c.total() + row.count(), c.withoutCase(), c.cases(),
                    c.entities(), c.caseUpdatedAt()));
        }
        return byCampaign;
    }

    private static Map<String, Long> changed(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> changes = new TreeMap<>();
        after.forEach((k, v) -> {
            if (!Objects.equals(before.get(k), v)) {
                changes.put(k, v);
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> changes.put(k, 0L));
        return changes;
    }

    /** The current state of a campaign, then its changes as they are committed, without a gap in between. */
    public Multi<Update> updates(String campaignId) {
        return updates(campaignId, end -> {
        });
    }

    /** As {@link #updates(String)}; {@code ending} is handed what ends this client's stream (for a revoked token). */
    public Multi<Update> updates(String campaignId, Consumer<Runnable> ending) {
        return Multi.createFrom().emitter(emitter -> {
            Listener listener = new Listener(campaignId, emitter);
            emitter.onTermination(() -> listeners.remove(listener));
            emitter.onRequest(n -> listener.drain());
            synchronized (this) {
                listener.offer(state(campaignId));
                listeners.add(listener);
            }
            ending.accept(listener::complete);
        });
    }

    private Update state(String campaignId) {
        CampaignTotals c = current().getOrDefault(campaignId, CampaignTotals.empty());
        Map<String, Long> cases = new TreeMap<>(c.cases());
        reference.cases().stream().filter(x -> campaignId.equals(x.campaignId()))
                .forEach(x -> cases.putIfAbsent(x.caseId(), 0L));
        return new Update("totals", campaignId, c.total(), c.withoutCase(), cases, new TreeMap<>(c.entities()), Instant.now());
    }

    /**
     * A case's public counter from the snapshot (never the database); empty when {@link PublicCounterRule} hides it
     * (switched off, draft, on hold), so no caller can serve a counter without the rule.
     */
    public Optional<Counter> counter(CaseChanged c) {
        CampaignTotals totals = current().getOrDefault(c.campaignId(), CampaignTotals.empty());
        long count = totals.cases().getOrDefault(c.caseId(), 0L);
        if (!PublicCounterRule.shows(c, count)) {
            return Optional.empty();
        }
        return Optional.of(new Counter(c.caseId(), count, c.goal(), totals.caseUpdatedAt().get(c.caseId())));
    }

    public int listenerCount() {
        return listeners.size();
    }

    /** Clients with an update they have not yet taken; each holds at most one. */
    public int waitingCount() {
        return (int) listeners.stream().filter(Listener::waiting).count();
    }

    private Map<String, CampaignTotals> current() {
        Map<String, CampaignTotals> s = snapshot;
        return s == null ? Map.of() : s;
    }
}

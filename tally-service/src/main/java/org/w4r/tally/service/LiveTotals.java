package org.w4r.tally.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.events.CaseChanged;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.TallyRepository;
import org.w4r.tally.repository.TallyRepository.SummaryRow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live view of the counts: re-reads the small case × entity summary from the database every poll interval and
 * diffs it with the previous read. Because it reads the database, not this instance's consumer, it sees every
 * instance's updates; because it polls, updates are coalesced to at most one per interval. The public counters are
 * served from the same in-memory snapshot, so a flood of readers never reaches the database.
 */
@ApplicationScoped
public class LiveTotals {
    private static final Logger LOG = Logger.getLogger(LiveTotals.class);

    @Inject
    TallyRepository tally;

    @Inject
    ReferenceData reference;

    @ConfigProperty(name = "w4r.tally.poll-interval", defaultValue = "PT0.25S")
    Duration interval;

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
    private ScheduledExecutorService poller;

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
        poll();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-live-poller");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Reads the summary and tells every listener what changed in its campaign. */
    void poll() {
        Map<String, CampaignTotals> next;
        try {
            next = read(tally.summary());
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the live totals (%s); keeping the last snapshot", e.getMessage());
            return;
        }
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

    /** The current state of a campaign, then its changes as the poller sees them, without a gap in between. */
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

    /** A case's public counter from the snapshot (never the database); empty when the case is unknown. */
    public Optional<Counter> counter(CaseChanged c) {
        CampaignTotals totals = current().getOrDefault(c.campaignId(), CampaignTotals.empty());
        return Optional.of(new Counter(c.caseId(), totals.cases().getOrDefault(c.caseId(), 0L), c.goal(),
                totals.caseUpdatedAt().get(c.caseId())));
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

package org.w4r.tally.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.security.Credentials;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The public state of the current campaign's cases, from the read model: the active cases not on hold, as
 * case-service's {@code GET /public/v1/cases} lists them. A held case is absent, like a closed one: the hold itself is
 * not for the public. Streams of it are anonymous, so this instance keeps at most {@code max-streams} open.
 */
@ApplicationScoped
public class PublicCases {
    @Inject
    ReferenceData reference;

    @Inject
    Settings settings;

    @Inject
    Heartbeats heartbeats;

    private final AtomicInteger open = new AtomicInteger();

    /** The anonymous stream of the list (docs/tally-service.md, "GET /public/v1/cases/stream"). */
    @ConfigMapping(prefix = "w4r.tally.public-cases")
    public interface Settings {
        /** The list is re-read this often, so a burst of changes is one update. */
        @WithDefault("PT1S")
        Duration interval();

        /**
         * Under the idle timeouts of proxies, so they keep a quiet stream open: this one and the staff's
         * ({@link Heartbeats}).
         */
        @WithDefault("PT25S")
        Duration heartbeat();

        /** Streams one instance keeps open at most: anyone may open one. */
        @WithDefault("1000")
        int maxStreams();
    }

    public record PublicCase(String caseId, String name, String country,
                             @Schema(enumeration = {"global", "local"}) String scope,
                             @Schema(nullable = true) String localEntityId, @Schema(nullable = true) Long goal) {
    }

    /** The list at one moment; {@code id} is its digest, the same on every instance for the same list. */
    public record PublicCaseList(String id, List<PublicCase> cases) {
    }

    /** What a stream carries: the list when it changed, or a heartbeat (null state) that keeps proxies from closing it. */
    public record Tick(PublicCaseList state) {
    }

    /** The list last built, under the read model's {@link ReferenceData#changes} it was built at. */
    private record Built(long changes, PublicCaseList list) {
    }

    private final AtomicReference<Built> built = new AtomicReference<>();

    /**
     * The list now: built again only once the read model has changed. Every open stream asks for it once an interval,
     * and the demo page on every request; until a read-only review of 7 December 2026 each of them copied, sorted,
     * serialised and hashed every case anew, so a thousand anonymous streams cost a thousand builds a second while
     * nothing changed.
     */
    public PublicCaseList current() {
        long changes = reference.changes();
        Built last = built.get();
        if (last != null && last.changes() == changes) {
            return last.list();
        }
        PublicCaseList list = build();
        built.set(new Built(changes, list));
        return list;
    }

    private PublicCaseList build() {
        String campaignId = reference.currentCampaign().map(c -> c.campaignId()).orElse(null);
        List<PublicCase> cases = reference.cases().stream()
                .filter(c -> c.campaignId().equals(campaignId) && "active".equals(c.status()) && c.hold() == null)
                .sorted(Comparator.comparing(CaseChanged::caseId))
                .map(c -> new PublicCase(c.caseId(), c.name(), c.country(), c.scope(), c.localEntityId(), c.goal()))
                .toList();
        return new PublicCaseList(Credentials.sha256(Events.toJson(cases)).substring(0, 32), cases);
    }

    /** A place for one more stream, or empty when this instance has its maximum open; free it with the Runnable. */
    public Optional<Runnable> admit() {
        if (open.incrementAndGet() > settings.maxStreams()) {
            open.decrementAndGet();
            return Optional.empty();
        }
        AtomicInteger once = new AtomicInteger();
        return Optional.of(() -> {
            if (once.getAndIncrement() == 0) {
                open.decrementAndGet();
            }
        });
    }

    /**
     * The list now, then again whenever it changes (a case held, released, closed, added; the current campaign switched),
     * read once per interval, so a burst of changes is one update; and a heartbeat in between. A client too slow to take
     * a check misses it and gets the next one: each update is the whole list.
     *
     * <p>The list is read when a tick is handed to the client, not when it fires: the merge queues ticks for a client
     * that reads slowly, and a list read when its tick fired named, once sent, a case held since (until 4 December 2026).
     */
    public Multi<Tick> stream() {
        return Multi.createFrom().deferred(() -> {
            AtomicReference<String> sent = new AtomicReference<>(); // this client's last list
            Multi<Boolean> checks = Multi.createBy().concatenating().streams(
                            Multi.createFrom().item(0L),
                            Multi.createFrom().ticks().every(settings.interval()).onOverflow().drop())
                    .map(n -> true);
            Multi<Boolean> beats = heartbeats.ticks().map(n -> false);
            return Multi.createBy().merging().streams(checks, beats)
                    .map(check -> new Tick(check ? current() : null))
                    .filter(t -> t.state() == null || !t.state().id().equals(sent.getAndSet(t.state().id())));
        });
    }

    public int openStreams() {
        return open.get();
    }
}

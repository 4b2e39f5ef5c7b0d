package org.w4r.tally.service;

import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * The heartbeat of this service's Server-Sent Events streams, the public case stream and the staff's live totals: a
 * tick every {@code w4r.tally.public-cases.heartbeat} (25 s; its name is the stream's that had it first), which each
 * stream sends as a comment, so a quiet stream still carries bytes within the idle timeouts of proxies (ingress-nginx
 * closes a connection that has read nothing for 60 s). The staff stream sent only changes, so behind the ingress a
 * quiet campaign's stream was cut every minute (a review, 6 December 2026).
 */
@ApplicationScoped
public class Heartbeats {
    @Inject
    PublicCases.Settings settings;

    /** A client too slow to take a tick misses it: a heartbeat is only there to be bytes on the wire. */
    public Multi<Long> ticks() {
        return Multi.createFrom().ticks().every(settings.heartbeat()).onOverflow().drop();
    }

    /**
     * {@code stream}'s items, and an empty one at each tick in between, until {@code stream} ends. Each source is
     * asked for one item at a time, so a slow client holds what {@code stream} holds for it, no queue of its own.
     */
    public <T> Multi<Optional<T>> around(Multi<T> stream) {
        // a merge ends once all its streams have, and the ticks never do: the stream's end is an item of its own,
        // which ends the whole (as in StreamsStop)
        Multi<Beat<T>> items = Multi.createBy().concatenating().streams(
                stream.map(t -> new Beat<>(Optional.of(t), false)),
                Multi.createFrom().item(new Beat<>(Optional.<T>empty(), true)));
        Multi<Beat<T>> beats = ticks().map(n -> new Beat<>(Optional.<T>empty(), false));
        return Multi.createBy().merging().withRequests(1).streams(items, beats)
                .select().first(beat -> !beat.end()).map(Beat::item);
    }

    private record Beat<T>(Optional<T> item, boolean end) {
    }
}

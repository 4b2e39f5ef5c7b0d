package org.w4r.kit.messaging;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one partition has applied, in a size that does not grow with history: the next offset to apply (a record below
 * it is a redelivery) and the event ids of the last {@code size} records (an id among them is a re-publication by the
 * outbox relay, which lands within a relay batch or two of its original). See docs/reliability.md for why that is
 * enough. A partition is applied by one thread at a time, but a zombie's thread may hand it over to another.
 */
public final class EventWindow {
    /** The records {@code first..last} of a partition, applied together, and their event ids. */
    public record Span(long first, long last, List<UUID> ids) {
    }

    private final long size;
    private long next;
    private final ArrayDeque<Span> spans = new ArrayDeque<>();
    /** Id → how many spans hold it: a re-published id is in two spans until the older one is forgotten. */
    private final Map<UUID, Integer> ids = new HashMap<>();

    public EventWindow(long size, long next) {
        this.size = size;
        this.next = next;
    }

    /** The next offset to apply. */
    public synchronized long next() {
        return next;
    }

    /** True unless the record at {@code offset} is a redelivery or its event was applied within the window. */
    public synchronized boolean isNew(long offset, UUID eventId) {
        return offset >= next && !ids.containsKey(eventId);
    }

    /** Adds an applied span, moves the next offset past it and forgets the spans wholly before the window. */
    public synchronized void add(Span span) {
        spans.addLast(span);
        span.ids().forEach(id -> ids.merge(id, 1, Integer::sum));
        next = Math.max(next, span.last() + 1);
        while (!spans.isEmpty() && spans.peekFirst().last() < floor()) {
            spans.removeFirst().ids().forEach(id -> ids.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1));
        }
    }

    /** The first offset of the oldest span it holds ({@link #next()} if none): no stored batch starts before it. */
    public synchronized long oldest() {
        return spans.isEmpty() ? next : spans.peekFirst().first();
    }

    /** The first offset the window still covers: spans ending before it may be forgotten. */
    public synchronized long floor() {
        return next - size;
    }
}

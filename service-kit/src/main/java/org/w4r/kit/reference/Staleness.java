package org.w4r.kit.reference;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * How long ago this instance was last known to hold every reference record: campaigns, cases, holds, credentials.
 * A reader cut off from Kafka does not fail: its poll returns nothing, the service stays ready and keeps answering
 * from what it has, so a key revoked meanwhile keeps working there (read-only audit, 4 December 2026). Every check
 * asks the topics' ends; the instance is current as of a check once it has read up to the ends that check saw, so a
 * steady stream of changes does not read as stale, and a reader that cannot reach the broker grows stale by the clock.
 * Not thread-safe: the reader's own thread checks; the gauge reads {@link #seconds}.
 */
final class Staleness {
    private volatile long currentAt;
    private Map<TopicPartition, Long> pendingEnds;
    private long pendingAt;

    Staleness(long nowNanos) {
        currentAt = nowNanos;
    }

    /** A check at {@code now}: {@code ends} as the broker gave them, or null if it could not be asked. */
    void checked(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> positions, long now) {
        if (pendingEnds != null && reached(pendingEnds, positions)) {
            currentAt = Math.max(currentAt, pendingAt);
            pendingEnds = null;
        }
        if (ends == null) {
            return;
        }
        if (reached(ends, positions)) {
            currentAt = now;
            pendingEnds = null;
        } else if (pendingEnds == null) {
            pendingEnds = Map.copyOf(ends);
            pendingAt = now;
        }
    }

    double seconds(long now) {
        return Math.max(0, now - currentAt) / 1e9;
    }

    private static boolean reached(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> positions) {
        return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }
}

package org.w4r.tally.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.function.Function;

/**
 * What an answer anyone may ask for again and again keeps of the database for {@code freshFor}, and a counter of the
 * reads it made (what the tests bound, and an operator watches): the open data's sums (anonymous) and the entity
 * portal's totals (an entity key's reads are not rate-limited). At most {@code most} entries; the caller's keys must
 * be bounded by what exists, never by what a caller invents.
 */
final class RecentReads<K, V> {
    private final Cache<K, V> recent;
    private final Counter reads;

    RecentReads(MeterRegistry registry, String metric, String description, Duration freshFor, long most) {
        recent = Caffeine.newBuilder().expireAfterWrite(freshFor).maximumSize(most).build();
        reads = Counter.builder(metric).description(description).register(registry);
    }

    /** The value kept for {@code key}, or {@code read}'s, counted and kept. */
    V get(K key, Function<K, V> read) {
        return recent.get(key, k -> {
            reads.increment();
            return read.apply(k);
        });
    }
}

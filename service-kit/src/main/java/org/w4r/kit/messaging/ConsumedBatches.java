package org.w4r.kit.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.w4r.kit.messaging.BatchConsumer.Handler;
import org.w4r.kit.messaging.EventWindow.Span;
import org.w4r.kit.outbox.OutboxRelay;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Exactly once without a row per event: per partition, the next offset to apply and the event ids of the last
 * {@code w4r.consumer.dedupe-window} records ({@link EventWindow}), stored with the effect in the handler's transaction
 * ({@code consumer_progress}, and {@code consumed_batch} one row per batch, pruned by offset). The partition's progress
 * row is locked and re-read before anything is filtered, so a second consumer briefly on the partition (a rebalance's
 * zombie) waits, then finds the records applied and applies nothing. The windows are kept in memory and reloaded from
 * the database whenever the stored next offset is not the one this instance last wrote (a restart, or the partition
 * applied elsewhere meanwhile). Why this is enough is argued in docs/reliability.md.
 */
@ApplicationScoped
public class ConsumedBatches {
    private static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ConsumerSettings settings;

    /** The committed state of each partition this instance applied (its transaction committed). */
    private final Map<TopicPartition, EventWindow> windows = new ConcurrentHashMap<>();
    /** Whether the per-event table of before (processed_event) still holds ids; null until asked. */
    private volatile Boolean legacy;

    /**
     * A re-sent event lands after at most the rest of its relay batch and a zombie relay's batch: a window smaller
     * than two relay batches could let one through.
     */
    void check(@Observes StartupEvent started, OutboxRelay.Settings outbox) {
        int relayBatch = outbox.batchSize();
        if (settings.dedupeWindow() < 2L * relayBatch) {
            throw new IllegalStateException("w4r.consumer.dedupe-window (" + settings.dedupeWindow()
                    + ") must be at least twice w4r.outbox.batch-size (" + relayBatch
                    + "): a re-published event must still be in the window");
        }
    }

    /**
     * Applies, in one new transaction, the events of {@code records} ({@code events.get(i)} read from
     * {@code records.get(i)}) that are neither redelivered nor re-published, and the partitions' new progress.
     */
    public <T> void apply(List<ConsumerRecord<String, String>> records, List<T> events, Function<T, UUID> idOf,
                          Handler<T> handler) {
        Map<TopicPartition, Span> spans;
        try {
            spans = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    return applyIn(c, records, events, idOf, handler);
                }
            });
        } catch (RuntimeException e) {
            forget(records);
            throw e;
        }
        committed(spans);
    }

    /** The work of {@link #apply} on a connection whose transaction the caller commits; returns what to remember. */
    <T> Map<TopicPartition, Span> applyIn(Connection c, List<ConsumerRecord<String, String>> records, List<T> events,
                                         Function<T, UUID> idOf, Handler<T> handler) throws Exception {
        Map<TopicPartition, List<Integer>> byPartition = new TreeMap<>(ORDER);
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, String> r = records.get(i);
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>()).add(i);
        }
        Map<TopicPartition, Span> spans = new TreeMap<>(ORDER);
        Map<TopicPartition, Long> oldest = new HashMap<>();
        List<T> fresh = new ArrayList<>();
        // partitions locked in one order, so two transactions on the same partitions cannot deadlock
        for (Map.Entry<TopicPartition, List<Integer>> p : byPartition.entrySet()) {
            Progress progress = lock(c, p.getKey(), records.get(p.getValue().get(0)).offset());
            EventWindow window = progress.window();
            oldest.put(p.getKey(), window.oldest());
            List<UUID> ids = new ArrayList<>();
            List<T> candidates = new ArrayList<>();
            Set<UUID> seen = new HashSet<>();
            long first = -1, last = -1;
            for (int i : p.getValue()) {
                long offset = records.get(i).offset();
                if (offset < window.next()) {
                    continue;
                }
                UUID id = idOf.apply(events.get(i));
                first = first < 0 ? offset : first;
                last = offset;
                ids.add(id);
                if (window.isNew(offset, id) && seen.add(id)) {
                    candidates.add(events.get(i));
                }
            }
            if (last < 0) {
                continue;
            }
            // ids applied before consumed_batch existed: looked up only within the first window after the upgrade
            if (first < progress.since() + settings.dedupeWindow() && hasLegacy(c)) {
                Set<UUID> old = legacyApplied(c, seen);
                candidates.removeIf(e -> old.contains(idOf.apply(e)));
            }
            fresh.addAll(candidates);
            spans.put(p.getKey(), new Span(first, last, ids));
        }
        if (!fresh.isEmpty()) {
            handler.apply(fresh);
        }
        for (Map.Entry<TopicPartition, Span> s : spans.entrySet()) {
            record(c, s.getKey(), s.getValue(), oldest.get(s.getKey()));
        }
        return spans;
    }

    /** After the commit: the windows in memory move on as the database did. */
    void committed(Map<TopicPartition, Span> spans) {
        spans.forEach((partition, span) -> windows.computeIfPresent(partition, (p, window) -> {
            // another thread of this instance may have reloaded the window since, this span included
            if (window.next() <= span.last()) {
                window.add(span);
            }
            return window;
        }));
    }

    /** After a rollback: what is in memory may be ahead of the database, so it is read again on the next batch. */
    void forget(List<ConsumerRecord<String, String>> records) {
        records.forEach(r -> windows.remove(new TopicPartition(r.topic(), r.partition())));
    }

    private record Progress(EventWindow window, long since) {
    }

    /** Locks the partition's progress row (creating it on its first batch) and returns its window as stored. */
    private Progress lock(Connection c, TopicPartition partition, long firstRead) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into consumer_progress (topic, kafka_partition, next_offset, since_offset) values (?, ?, 0, ?)
                on conflict do nothing""")) {
            ps.setString(1, partition.topic());
            ps.setInt(2, partition.partition());
            ps.setLong(3, firstRead);
            ps.executeUpdate();
        }
        long next;
        long since;
        try (PreparedStatement ps = c.prepareStatement("""
                select next_offset, since_offset from consumer_progress where topic = ? and kafka_partition = ?
                for update""")) {
            ps.setString(1, partition.topic());
            ps.setInt(2, partition.partition());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                next = rs.getLong(1);
                since = rs.getLong(2);
            }
        }
        EventWindow window = windows.get(partition);
        if (window == null || window.next() != next) {
            window = load(c, partition, next);
            windows.put(partition, window);
        }
        return new Progress(window, since);
    }

    private EventWindow load(Connection c, TopicPartition partition, long next) throws SQLException {
        EventWindow window = new EventWindow(settings.dedupeWindow(), next);
        try (PreparedStatement ps = c.prepareStatement("""
                select first_offset, last_offset, event_ids from consumed_batch
                where topic = ? and kafka_partition = ? and last_offset >= ? order by first_offset""")) {
            ps.setString(1, partition.topic());
            ps.setInt(2, partition.partition());
            ps.setLong(3, window.floor());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    window.add(new Span(rs.getLong(1), rs.getLong(2), Arrays.asList((UUID[]) rs.getArray(3).getArray())));
                }
            }
        }
        return window;
    }

    /**
     * One row for the batch, the progress moved past it, and the rows that left the window deleted: those between
     * {@code oldest} (the window's oldest span, which is the partition's oldest row: the window was read from the
     * database, or kept as it was since) and the new floor. Bounded on both sides by the primary key, so the delete
     * reads only the rows it removes. Filtered on {@code last_offset} alone it read every row of the window, and every
     * dead one before it, on each batch: 0.8-1.3 ms a batch, 8 % of PostgreSQL's statement time at 2,500
     * actions/s (pg_stat_statements, docs/benchmarks.md), and growing with history where autovacuum is off.
     */
    private void record(Connection c, TopicPartition partition, Span span, long oldest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into consumed_batch (topic, kafka_partition, first_offset, last_offset, event_ids)
                values (?, ?, ?, ?, ?)""")) {
            ps.setString(1, partition.topic());
            ps.setInt(2, partition.partition());
            ps.setLong(3, span.first());
            ps.setLong(4, span.last());
            ps.setArray(5, c.createArrayOf("uuid", span.ids().toArray()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update consumer_progress set next_offset = ? where topic = ? and kafka_partition = ?")) {
            ps.setLong(1, span.last() + 1);
            ps.setString(2, partition.topic());
            ps.setInt(3, partition.partition());
            ps.executeUpdate();
        }
        long floor = span.last() + 1 - settings.dedupeWindow();
        if (oldest >= floor) {
            return; // nothing has left the window
        }
        try (PreparedStatement ps = c.prepareStatement("""
                delete from consumed_batch where topic = ? and kafka_partition = ?
                and first_offset >= ? and first_offset < ? and last_offset < ?""")) {
            ps.setString(1, partition.topic());
            ps.setInt(2, partition.partition());
            ps.setLong(3, oldest);
            ps.setLong(4, floor);
            ps.setLong(5, floor);
            ps.executeUpdate();
        }
    }

    private boolean hasLegacy(Connection c) throws SQLException {
        if (legacy == null) {
            try (PreparedStatement ps = c.prepareStatement("select to_regclass('processed_event') is not null");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean exists = rs.getBoolean(1);
                if (exists) {
                    try (PreparedStatement any = c.prepareStatement("select exists (select 1 from processed_event)");
                         ResultSet r = any.executeQuery()) {
                        r.next();
                        exists = r.getBoolean(1);
                    }
                }
                legacy = exists;
            }
        }
        return legacy;
    }

    private static Set<UUID> legacyApplied(Connection c, Set<UUID> ids) throws SQLException {
        Set<UUID> applied = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select event_id from processed_event where event_id = any (?)")) {
            Array array = c.createArrayOf("uuid", ids.toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    applied.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return applied;
    }
}

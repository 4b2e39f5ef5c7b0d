package org.w4r.kit.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.kit.KitDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kit's exactly-once window on a real database, with the tables as tally-service's V3 creates them: each batch
 * is applied in a transaction of the test's own, as a service's handler joins the kit's. The effect table has no key,
 * so an event applied twice shows as two rows. A window of {@value #WINDOW} records keeps the limits visible.
 */
class ConsumedBatchesTest {
    private static final long WINDOW = 10;
    private static final String TOPIC = "actions";

    private KitDatabase db;
    private ConsumedBatches batches;
    private long nextOffset;

    @BeforeEach
    void tables() throws Exception {
        db = new KitDatabase("kit_consumed");
        db.execute("""
                create table consumer_progress (topic varchar(249) not null, kafka_partition integer not null,
                    next_offset bigint not null, since_offset bigint not null, primary key (topic, kafka_partition));
                create table consumed_batch (topic varchar(249) not null, kafka_partition integer not null,
                    first_offset bigint not null, last_offset bigint not null, event_ids uuid[] not null,
                    primary key (topic, kafka_partition, first_offset));
                create table applied (event_id uuid not null);""");
        batches = KitFixtures.consumedBatches(db.dataSource(), WINDOW);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void aRepublishedEventWithinTheWindowIsAppliedOnceAndOneBeyondItAgain() throws Exception {
        UUID within = UUID.randomUUID();
        apply(batches, publish(within));
        for (int i = 0; i < WINDOW - 1; i++) {
            apply(batches, publish(UUID.randomUUID()));
        }
        apply(batches, publish(within)); // WINDOW - 1 records between: the relay's re-send lands in this span
        assertEquals(1, applied(within), "re-published within the window: applied once");

        UUID beyond = UUID.randomUUID();
        apply(batches, publish(beyond));
        for (int i = 0; i < WINDOW; i++) {
            apply(batches, publish(UUID.randomUUID()));
        }
        apply(batches, publish(beyond));
        assertEquals(2, applied(beyond), "WINDOW records between is outside the guarantee (docs/reliability.md)");
    }

    @Test
    void aRedeliveredBatchAndADuplicateInOneBatchAreAppliedOnce() throws Exception {
        UUID a = UUID.randomUUID(), b = UUID.randomUUID();
        List<ConsumerRecord<String, String>> batch = List.of(publish(a), publish(b), publish(a));
        assertEquals(2, apply(batches, batch).size());
        assertEquals(0, apply(batches, batch).size(), "redelivered (same offsets): nothing new");
        assertEquals(1, applied(a));
        assertEquals(1, applied(b));
    }

    @Test
    void aRestartedInstanceReloadsTheWindowFromTheDatabase() throws Exception {
        UUID early = UUID.randomUUID();
        List<ConsumerRecord<String, String>> first = List.of(publish(early), publish(UUID.randomUUID()));
        apply(batches, first);
        for (int i = 0; i < WINDOW - 3; i++) {
            apply(batches, publish(UUID.randomUUID()));
        }
        ConsumedBatches restarted = KitFixtures.consumedBatches(db.dataSource(), WINDOW);
        assertEquals(0, apply(restarted, first).size(), "redelivered to the restarted instance");
        assertEquals(0, apply(restarted, List.of(publish(early))).size(), "re-published to the restarted instance");
        assertEquals(1, applied(early));
        assertEquals(1, apply(restarted, publish(UUID.randomUUID())).size(), "and it goes on");
        assertTrue(db.count("select count(*) from consumed_batch") <= WINDOW,
                "the rows that left the window are deleted as batches come");
    }

    @Test
    void theStoredBatchesAreExactlyThoseTheWindowStillCovers() throws Exception {
        ConsumedBatches other = KitFixtures.consumedBatches(db.dataSource(), WINDOW);
        List<long[]> stored = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // handed between two instances now and then: each reloads the window from the database when it comes back
            ConsumedBatches on = i % 7 < 4 ? batches : other;
            long first = nextOffset;
            apply(on, IntStream.range(0, 1 + i % 4).mapToObj(k -> publish(UUID.randomUUID())).toList());
            stored.add(new long[]{first, nextOffset - 1});
            long floor = nextOffset - WINDOW;
            assertEquals(0, db.count("select count(*) from consumed_batch where last_offset < " + floor),
                    "batch " + i + ": every batch that left the window is deleted");
            assertEquals(stored.stream().filter(b -> b[1] >= floor).count(), db.count("select count(*) from consumed_batch"),
                    "batch " + i + ": every batch the window still covers is kept");
        }
    }

    @Test
    void twoInstancesApplyingTheSameBatchAtOnceApplyItOnce() throws Exception {
        ConsumedBatches zombie = KitFixtures.consumedBatches(db.dataSource(), WINDOW);
        List<ConsumerRecord<String, String>> batch = IntStream.range(0, 5).mapToObj(i -> publish(UUID.randomUUID()))
                .toList();
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        CompletableFuture<List<UUID>> first = CompletableFuture.supplyAsync(() -> call(() -> apply(batches, batch,
                () -> {
                    inside.countDown();
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                })));
        assertTrue(inside.await(30, TimeUnit.SECONDS), "the first transaction holds the partition");
        CompletableFuture<List<UUID>> second = CompletableFuture.supplyAsync(() -> call(() -> apply(zombie, batch,
                () -> { })));
        Thread.sleep(300);
        assertFalse(second.isDone(), "the second waits on the partition's progress row");
        release.countDown();
        assertEquals(5, first.get(30, TimeUnit.SECONDS).size());
        assertEquals(0, second.get(30, TimeUnit.SECONDS).size(), "it finds the batch applied and applies nothing");
        assertEquals(5, db.count("select count(*) from applied"));
    }

    @Test
    void theFirstWindowAfterTheUpgradeSkipsWhatProcessedEventHolds() throws Exception {
        UUID before = UUID.randomUUID(), after = UUID.randomUUID();
        db.execute("create table processed_event (event_id uuid primary key)");
        db.execute("insert into processed_event values ('" + before + "')");
        assertEquals(List.of(after), apply(batches, List.of(publish(before), publish(after))),
                "applied before the upgrade, its offset not committed: it comes again and is skipped");
    }

    private ConsumerRecord<String, String> publish(UUID eventId) {
        return new ConsumerRecord<>(TOPIC, 0, nextOffset++, "key", eventId.toString());
    }

    private List<UUID> apply(ConsumedBatches on, ConsumerRecord<String, String> record) throws Exception {
        return apply(on, List.of(record));
    }

    private List<UUID> apply(ConsumedBatches on, List<ConsumerRecord<String, String>> records) throws Exception {
        return apply(on, records, () -> { });
    }

    interface Pause {
        void run() throws Exception;
    }

    /** One transaction, as ConsumedBatches.apply runs it: filter, the handler's inserts, the progress; commit. */
    private List<UUID> apply(ConsumedBatches on, List<ConsumerRecord<String, String>> records, Pause inHandler)
            throws Exception {
        List<UUID> events = records.stream().map(r -> UUID.fromString(r.value())).toList();
        List<UUID> handed = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            Map<TopicPartition, EventWindow.Span> spans = on.applyIn(c, records, events, id -> id, fresh -> {
                handed.addAll(fresh);
                try (PreparedStatement insert = c.prepareStatement("insert into applied select unnest(?::uuid[])")) {
                    insert.setArray(1, c.createArrayOf("uuid", fresh.toArray()));
                    insert.executeUpdate();
                }
                inHandler.run();
            });
            c.commit();
            on.committed(spans);
        }
        return handed;
    }

    private long applied(UUID eventId) throws SQLException {
        return db.count("select count(*) from applied where event_id = '" + eventId + "'");
    }

    interface Work<T> {
        T get() throws Exception;
    }

    private static <T> T call(Work<T> work) {
        try {
            return work.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

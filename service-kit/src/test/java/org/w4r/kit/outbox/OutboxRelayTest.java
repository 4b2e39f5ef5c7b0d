package org.w4r.kit.outbox;

import io.agroal.api.AgroalDataSource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w4r.events.SignerErased;
import org.w4r.kit.messaging.EventPublisher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.kit.outbox.OutboxFixtures.erasures;
import static org.w4r.kit.outbox.OutboxFixtures.ids;
import static org.w4r.kit.outbox.OutboxFixtures.onTopic;
import static org.w4r.kit.outbox.OutboxFixtures.write;

/** The outbox relay against a real PostgreSQL database and a real broker: what leaves, in which order, and when not. */
class OutboxRelayTest {
    /** OutboxRelay's advisory lock: any session holding it stands for another relay instance at work. */
    private static final long RELAY_LOCK = 0x7734_6f75_7462_6f78L;
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    static final OutboxParts parts = new OutboxParts("kit_outbox");

    private String prefix;
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final List<AgroalDataSource> pools = new ArrayList<>();

    @BeforeEach
    void keyPrefix() {
        prefix = "erasure-" + UUID.randomUUID() + "-";
    }

    @AfterEach
    void stopRelays() {
        relays.forEach(OutboxFixtures::stop);
        pools.forEach(AgroalDataSource::close);
    }

    private OutboxRelay startedRelay(AgroalDataSource dataSource, int batchSize) {
        OutboxRelay relay = OutboxFixtures.relay(dataSource, parts.publisher(), batchSize);
        relays.add(relay);
        OutboxFixtures.start(relay);
        return relay;
    }

    @Test
    void rowsLeaveInIdOrderEachOnce() throws Exception {
        List<SignerErased> events = new ArrayList<>();
        // three transactions and a batch size that cuts across them: order must hold across batches too
        for (int t = 0; t < 3; t++) {
            List<SignerErased> some = erasures(9);
            write(parts.db().dataSource(), prefix + "a", some);
            events.addAll(some);
        }
        OutboxRelay relay = startedRelay(parts.db().dataSource(), 10);
        await().atMost(BOUND).until(() -> relay.backlog() == 0);
        awaitMarkerThenCheck(events, prefix + "a");
        assertEquals(0, relay.deadLetters());
    }

    /**
     * At a graceful shutdown the producer can be closed while the relay still sends. Its rows must stay in the outbox
     * for the next relay: they were set aside as refused (dead letters), and acknowledged actions were never counted.
     */
    @Test
    void aRelayWhoseProducerIsClosedKeepsEveryRowForTheNext() throws Exception {
        write(parts.db().dataSource(), prefix + "a", erasures(3));
        org.w4r.kit.messaging.EventPublisher closed = org.w4r.kit.messaging.KitFixtures.publisher(parts.bootstrap());
        org.w4r.kit.messaging.KitFixtures.close(closed);
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), closed, 1000);
        long before = relay.backlog();

        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, relay::relayBatch,
                "a batch Kafka did not take says so");

        assertEquals(0, relay.deadLetters(), "nothing is set aside for a closed producer");
        assertEquals(before, relay.backlog(), "every row stays to be sent");
        OutboxRelay next = startedRelay(parts.db().dataSource(), 1000);
        await().atMost(BOUND).until(() -> next.backlog() == 0);
        assertEquals(0, next.deadLetters());
    }

    @Test
    void aRowKafkaRefusesForGoodIsSetAsideAndTheRowsAfterItStillLeave() throws Exception {
        List<SignerErased> before = erasures(2);
        List<Long> sentIds = write(parts.db().dataSource(), prefix + "a", before);
        long tooLarge;
        // past the producer's 1 MB request limit: Kafka refuses it however often it is sent
        try (Connection connection = parts.db().dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into outbox (topic, event_key, payload)
                     values (?, ?, '{"pad":"' || repeat('x', 2000000) || '"}') returning id""")) {
            insert.setString(1, OutboxFixtures.TOPIC);
            insert.setString(2, prefix + "a");
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                tooLarge = rs.getLong(1);
            }
        }
        List<SignerErased> after = erasures(2);
        write(parts.db().dataSource(), prefix + "a", after);

        OutboxRelay relay = startedRelay(parts.db().dataSource(), 1000);
        await().atMost(BOUND).until(() -> relay.backlog() == 0);
        assertEquals(1, relay.deadLetters());
        // gone from the outbox, but not to Kafka: whoever waits on it (a hold's answer) must not hear "relayed"
        assertFalse(relay.awaitRelayed(tooLarge, Duration.ofMillis(300)), "a row set aside is not relayed");
        assertTrue(relay.awaitRelayed(sentIds.get(0), Duration.ofMillis(300)));
        try (Connection connection = parts.db().dataSource().getConnection();
             Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery(
                     "select id, topic, event_key, octet_length(payload), error from outbox_dead_letter")) {
            assertTrue(rs.next());
            assertEquals(tooLarge, rs.getLong(1));
            assertEquals(OutboxFixtures.TOPIC, rs.getString(2));
            assertEquals(prefix + "a", rs.getString(3));
            assertEquals(2_000_000 + "{\"pad\":\"\"}".length(), rs.getInt(4), "the payload is kept whole for a person");
            assertTrue(rs.getString(5).contains("RecordTooLarge"), rs.getString(5));
            assertFalse(rs.next());
        }
        List<SignerErased> sent = new ArrayList<>(before);
        sent.addAll(after);
        awaitMarkerThenCheck(sent, prefix + "a");
    }

    @Test
    void awaitRelayedGivesUpCleanlyWhileNoRelaySendsThenSeesTheRowLeave() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 1000); // not started: nothing sends
        relays.add(relay);
        List<SignerErased> events = erasures(1);
        long id = write(parts.db().dataSource(), prefix + "a", events).get(0);

        boolean relayed = assertTimeoutPreemptively(BOUND, () -> relay.awaitRelayed(id, Duration.ofMillis(300)));
        assertFalse(relayed, "nothing sent it, so it cannot have been relayed");
        assertEquals(1, relay.backlog(), "giving up waiting leaves the row to be sent");

        OutboxFixtures.start(relay);
        assertTrue(relay.awaitRelayed(id, BOUND));
        assertEquals(0, relay.backlog());
        awaitMarkerThenCheck(events, prefix + "a");
    }

    /**
     * Ids are taken before commit, so a row with a smaller id can become visible after a larger one was sent. A relay
     * that read "everything above the last id sent" would skip it for good: an acknowledged action never counted.
     */
    @Test
    void aRowCommittedAfterALargerIdWasSentStillLeavesOnce() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 1000);
        List<SignerErased> early = erasures(2);
        List<SignerErased> later = erasures(3);
        try (Connection slow = parts.db().dataSource().getConnection()) {
            slow.setAutoCommit(false);
            OutboxFixtures.insert(slow, prefix + "slow", early);
            write(parts.db().dataSource(), prefix + "fast", later); // larger ids, committed first
            assertEquals(3, relay.relayBatch(), "only the committed rows leave");
            assertEquals(0, relay.relayBatch(), "nothing is sent twice");
            slow.commit();
        }
        assertEquals(2, relay.backlog(), "the rows committed late wait below the position");
        assertEquals(2, relay.relayBatch());
        assertEquals(0, relay.backlog());
        awaitEachKeyThenCheck(Map.of(prefix + "slow", early, prefix + "fast", later));
    }

    /**
     * More late rows than a batch takes (a bulk invalidation commits 200,000 at once) leave a batch at a time, so no
     * batch and no re-send is larger than a batch (a consumer's dedupe window counts on it), and a transaction that
     * commits during that drain, with smaller ids still, is not passed over.
     */
    @Test
    void moreLateRowsThanABatchLeaveABatchAtATimeAndNoneIsPassedOver() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 10);
        List<SignerErased> big = erasures(25);
        List<SignerErased> small = erasures(3);
        List<SignerErased> fast = erasures(2);
        List<SignerErased> after = erasures(2);
        try (Connection bigTx = parts.db().dataSource().getConnection();
             Connection smallTx = parts.db().dataSource().getConnection()) {
            bigTx.setAutoCommit(false);
            smallTx.setAutoCommit(false);
            OutboxFixtures.insert(bigTx, prefix + "big", big);
            OutboxFixtures.insert(smallTx, prefix + "small", small);
            write(parts.db().dataSource(), prefix + "fast", fast);
            assertEquals(2, relay.relayBatch());
            bigTx.commit();
            assertEquals(10, relay.relayBatch(), "the first of the late rows, a batch");
            assertEquals(15, relay.backlog(), "the rows sent in a drain are not waiting any more");
            smallTx.commit(); // during the drain, with ids below every id sent
        }
        write(parts.db().dataSource(), prefix + "after", after);
        assertEquals(10, relay.relayBatch());
        assertEquals(5, relay.relayBatch(), "the drain ends");
        assertEquals(5, relay.backlog());
        assertEquals(3 + 2, relay.relayBatch(), "the transaction that ended during the drain, then the new rows");
        assertEquals(0, relay.relayBatch());
        assertEquals(0, relay.backlog());
        awaitEachKeyThenCheck(Map.of(prefix + "big", big, prefix + "small", small, prefix + "fast", fast,
                prefix + "after", after));
    }

    /**
     * A batch whose sends went out but whose position was never recorded (the instance killed, the connection lost, an
     * ack timed out) is sent again first and as it was, though a transaction of more late rows than a batch committed
     * in between. That drain went first, and the batch's second copy reached the topic after all of it: further from
     * the first than a consumer's dedupe window (200,000 rows against 100,000), so counted twice (a read-only review,
     * 6 December 2026). Two relay batches is the most a consumer's window counts on between copies.
     */
    @Test
    void aBatchSentButNeverRecordedIsSentAgainFirstThoughADrainWaits() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 10);
        EventPublisher real = parts.publisher();
        EventPublisher ackLost = OutboxFixtures.sendingThrough(real, record -> real.send(record).thenCompose(sent ->
                CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("the ack was lost"))));
        OutboxRelay losing = OutboxFixtures.relay(parts.db().dataSource(), ackLost, 10);
        String key = prefix + "x";
        List<SignerErased> big = erasures(25);
        List<SignerErased> fast = erasures(2);
        List<SignerErased> twice = erasures(1);
        try (Connection bigTx = parts.db().dataSource().getConnection()) {
            bigTx.setAutoCommit(false);
            OutboxFixtures.insert(bigTx, key, big); // ids drawn, still in flight
            write(parts.db().dataSource(), key, fast);
            assertEquals(2, relay.relayBatch(), "larger ids sent: the big transaction's rows will be late");
            write(parts.db().dataSource(), key, twice);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, losing::relayBatch,
                    "its send went out, its position was not recorded");
            assertEquals(1, parts.db().count("select count(*) from outbox_attempt where relay = '"
                    + "00000000-0000-0000-0000-000000000000' and expires_at <= clock_timestamp() + interval '1 second'"),
                    "every send of it ended: its attempt holds the position only the margin more, for no relay");
            bigTx.commit();
        }
        // once the failed batch's margin has passed (its sends ended, but a request given up on may still land):
        // the batch again, then the drain
        await().atMost(BOUND).until(() -> {
            while (relay.relayBatch() > 0) {
                // drained a batch at a time
            }
            return relay.backlog() == 0;
        });
        List<UUID> onTopic = onTopic(parts.bootstrap(), key);
        UUID id = twice.get(0).erasureId();
        int first = onTopic.indexOf(id);
        int second = onTopic.lastIndexOf(id);
        assertTrue(first >= 0 && second > first, "sent twice: " + onTopic);
        assertTrue(second - first <= 2 * 10, "the second copy " + (second - first) + " records after the first");
        assertEquals(Set.copyOf(ids(big)), Set.copyOf(onTopic.subList(second + 1, onTopic.size())),
                "then the late rows, each once");
    }

    /**
     * An outbox database upgraded from the queue (V0_3) keeps every row that was waiting, and sends it. The upgrade
     * runs as the service's own role (not a superuser), as it does in every deployment: the relay of the version
     * before, still running during a rolling upgrade, is then refused its first read ("select ... for update"), before
     * it can send a row again that this relay sent already (found by a review of this change).
     */
    @Test
    void rowsWaitingInTheOldQueueLeaveAfterTheUpgradeAndAnOldRelayCannotReadTheLog() throws Exception {
        String role = "kit_service_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (org.w4r.kit.KitDatabase old = new org.w4r.kit.KitDatabase("kit_outbox_upgrade", "V0_3")) {
            List<SignerErased> waiting = erasures(4);
            try (Connection connection = old.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                OutboxFixtures.insert(connection, prefix + "old", waiting, 1); // V0_3 has a row per event
                connection.commit();
            }
            old.execute("create role " + role + "; grant create on schema public to " + role
                    + "; alter table outbox owner to " + role + "; alter table outbox_dead_letter owner to " + role
                    + "; alter sequence outbox_id_seq owner to " + role);
            try (Connection service = old.dataSource().getConnection(); Statement asService = service.createStatement()) {
                asService.execute("set role " + role);
                old.migrateRest(asService);
                java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> asService.executeQuery(
                                "select id, topic, event_key, payload from outbox order by id limit 1000 for update"),
                        "the old relay's read");
                assertEquals("42501", refused.getSQLState(), refused.getMessage());
                asService.execute("reset role");
            } finally {
                old.execute("reassign owned by " + role + " to current_user; drop owned by " + role + "; drop role " + role);
            }
            OutboxRelay relay = OutboxFixtures.relay(old.dataSource(), parts.publisher(), 1000);
            assertEquals(4, relay.backlog());
            assertEquals(4, relay.relayBatch());
            assertEquals(0, relay.backlog());
            await().atMost(BOUND).until(() -> onTopic(parts.bootstrap(), prefix + "old").size() == 4);
            assertEquals(ids(waiting), onTopic(parts.bootstrap(), prefix + "old"));
        }
    }

    /**
     * The relay empties a partition only once every row in it has been sent: not while a writer is adding to it, not
     * while a row committed late still waits in it, and then with TRUNCATE (no row deleted, nothing to vacuum).
     */
    @Test
    void aPartitionIsEmptiedOnlyOnceEveryRowInItWasSent() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 1000);
        List<SignerErased> first = erasures(5);
        write(parts.db().dataSource(), prefix + "a", first); // partition 0
        assertEquals(0, relay.prune(), "nothing sent yet");
        List<SignerErased> late = erasures(1);
        List<SignerErased> second = erasures(5);
        try (Connection slow = parts.db().dataSource().getConnection()) {
            slow.setAutoCommit(false);
            OutboxFixtures.insert(slow, prefix + "late", late);
            parts.db().execute("select setval('outbox_id_seq', " + (1L << 18) + ")"); // the next ids are partition 1's
            write(parts.db().dataSource(), prefix + "b", second);
            assertEquals(10, relay.relayBatch());
            assertEquals(0, relay.prune(), "partition 0 has a writer; partition 1 is where ids are taken now");
            assertEquals(5, parts.db().count(OutboxFixtures.eventsIn("outbox_0")), "partition 0 keeps its rows");
            slow.commit();
        }
        assertEquals(0, relay.prune(), "partition 0 holds a row not yet sent");
        assertEquals(6, parts.db().count(OutboxFixtures.eventsIn("outbox_0")));
        assertEquals(1, relay.relayBatch());
        assertEquals(1, relay.prune());
        assertEquals(0, parts.db().count("select count(*) from outbox_0"));
        assertEquals(5, parts.db().count(OutboxFixtures.eventsIn("outbox_1")), "the partition being written is kept");
        assertEquals(0, parts.db().count("select coalesce(sum(n_tup_del), 0) from pg_stat_user_tables where relname like 'outbox%'"),
                "no row was deleted");
        awaitEachKeyThenCheck(Map.of(prefix + "a", first, prefix + "late", late, prefix + "b", second));
    }

    /** An Error ends the relay's thread (its loop catches exceptions only): the relay then says it is not alive. */
    @Test
    void aRelayWhoseThreadEndsOnAnErrorSaysItIsNotAlive() throws Exception {
        org.w4r.kit.messaging.EventPublisher failing = new org.w4r.kit.messaging.EventPublisher() {
            @Override
            public void readyToSend() {
                // nothing to make sure of: its sends fail before they leave
            }

            @Override
            public java.util.concurrent.CompletableFuture<org.apache.kafka.clients.producer.RecordMetadata> send(
                    org.apache.kafka.clients.producer.ProducerRecord<String, String> record) {
                throw new NoClassDefFoundError("a class replaced under a running service");
            }
        };
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), failing, 1000);
        relays.add(relay);
        assertTrue(relay.alive(), "not started yet");
        OutboxFixtures.start(relay);
        assertTrue(relay.alive(), "nothing to send, nothing failed");
        write(parts.db().dataSource(), prefix + "a", erasures(1));
        relay.wakeUp();
        await().atMost(BOUND).until(() -> !relay.alive());
        assertEquals(1, relay.backlog(), "the row waits for the next instance");
    }

    /**
     * While another relay holds the lock, this one sends nothing, and rests before it tries again even if its last
     * batch was full: trying again at once spun on the lock, thousands of transactions a second, for as long as the
     * other relay's batch took (found by a review of the grouped rows).
     */
    @Test
    void aRelaySendsNothingWhileAnotherHoldsTheRelayLock() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 2);
        List<SignerErased> events = erasures(5);
        try (Connection connection = parts.db().dataSource().getConnection()) {
            connection.setAutoCommit(false);
            OutboxFixtures.insert(connection, prefix + "a", events, 1);
            connection.commit();
        }
        assertEquals(2, relay.relayBatch());
        assertTrue(relay.readsAgainAtOnce(), "a full batch: more wait");
        try (Connection other = parts.db().dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (Statement lock = other.createStatement()) {
                lock.execute("select pg_advisory_xact_lock(" + RELAY_LOCK + ")");
            }
            assertEquals(0, relay.relayBatch(), "another relay is at work");
            assertFalse(relay.readsAgainAtOnce(), "it rests before it tries the lock again");
            assertEquals(3, relay.backlog());
            other.commit(); // the other relay's batch is done
        }
        assertEquals(2, relay.relayBatch());
        assertEquals(1, relay.relayBatch());
        assertFalse(relay.readsAgainAtOnce(), "the outbox is drained");
        assertEquals(0, relay.backlog());
        awaitMarkerThenCheck(events, prefix + "a");
    }

    /**
     * Issue 20: a relay whose batch sent something lets the next one gather for {@code gather-ms}, and the commits
     * that wake it meanwhile do not cut that short; stopped while it gathers, it reads once more; a full batch is read
     * again at once, and an empty one (or one that found another relay at work) waits to be woken, never gathers.
     */
    @Test
    void aBusyRelayLetsItsNextBatchGatherThoughEachCommitWakesIt() throws Exception {
        EventPublisher real = parts.publisher();
        List<List<String>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        EventPublisher recording = new EventPublisher() {
            @Override
            public void readyToSend() { // once per batch that sends
                batches.add(new java.util.concurrent.CopyOnWriteArrayList<>());
                real.readyToSend();
            }

            @Override
            public CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record) {
                batches.get(batches.size() - 1).add(record.value());
                return real.send(record);
            }
        };
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), recording, 1000);
        relay.settings = new OutboxFixtures.Settings(true, 1000, 50, 5_000);
        relays.add(relay);
        OutboxFixtures.start(relay);

        SignerErased first = erasures(1).get(0);
        write(parts.db().dataSource(), prefix + "a", List.of(first));
        relay.wakeUp();
        await().atMost(BOUND).until(() -> batchOf(batches, first) >= 0);
        // the relay now gathers: three commits 100 ms apart, each waking it, leave in one batch after it
        List<SignerErased> later = erasures(3);
        for (SignerErased e : later) {
            write(parts.db().dataSource(), prefix + "a", List.of(e));
            relay.wakeUp();
            Thread.sleep(100);
        }
        await().atMost(BOUND).until(() -> later.stream().allMatch(e -> batchOf(batches, e) >= 0));
        int batch = batchOf(batches, later.get(0));
        assertTrue(batch > batchOf(batches, first), "not in the batch that was being sent");
        for (SignerErased e : later) {
            assertEquals(batch, batchOf(batches, e), "every commit of the gather in one batch: " + batches);
        }

        // stopped while it gathers: what committed meanwhile is read once more, before stop() returns, not left for
        // another instance (a review: petition's signature writers drain into the outbox just before the relay stops)
        SignerErased last = erasures(1).get(0);
        write(parts.db().dataSource(), prefix + "a", List.of(last));
        relay.wakeUp();
        OutboxFixtures.stop(relay);
        relays.remove(relay);
        assertTrue(batchOf(batches, last) > batch, "sent by a last batch: " + batches);

        // the decision itself, on a relay driven by hand: full, drained, empty
        OutboxRelay byHand = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 2);
        byHand.settings = new OutboxFixtures.Settings(true, 2, 50, 5_000);
        try (Connection connection = parts.db().dataSource().getConnection()) {
            connection.setAutoCommit(false);
            OutboxFixtures.insert(connection, prefix + "b", erasures(3), 1);
            connection.commit();
        }
        int sent = byHand.relayBatch();
        assertEquals(2, sent);
        assertFalse(byHand.gathers(sent), "a full batch: the rest is read at once");
        sent = byHand.relayBatch();
        assertEquals(1, sent);
        assertTrue(byHand.gathers(sent), "a batch that sent and drained: the next one gathers");
        sent = byHand.relayBatch();
        assertEquals(0, sent);
        assertFalse(byHand.gathers(sent), "an empty batch: wait to be woken");
    }

    /** The index of the batch that sent {@code event}, or -1. */
    private static int batchOf(List<List<String>> batches, SignerErased event) {
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).stream().anyMatch(v -> v.contains(event.eventId().toString()))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The fence (a read-only review, 6 December 2026: a relay that lost its lock could still send the batch it had
     * read, after the next relay's newer events). A relay's session is cut while its sends are still out; the next
     * relay sends nothing from that position until the fence has passed, so the cut relay's copies land first and each
     * key's last record is its newest event.
     */
    @Test
    void aRelayCutOffWhileItsSendsAreOutIsWaitedOutBeforeItsBatchIsSentAgain() throws Exception {
        AgroalDataSource second = parts.db().anotherPool();
        pools.add(second);
        EventPublisher real = parts.publisher();
        CompletableFuture<Void> release = new CompletableFuture<>();
        ExecutorService gate = Executors.newSingleThreadExecutor(); // one at a time, in the order they were sent
        EventPublisher held = OutboxFixtures.sendingThrough(real,
                record -> CompletableFuture.runAsync(release::join, gate).thenCompose(out -> real.send(record)));
        OutboxRelay cut = OutboxFixtures.relay(second, held, 10);
        OutboxRelay next = OutboxFixtures.relay(parts.db().dataSource(), real, 10);
        String key = prefix + "k";
        List<SignerErased> events = erasures(3);
        write(parts.db().dataSource(), key, events);
        ExecutorService relaying = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> first = relaying.submit(cut::relayBatch);
            // its attempt kept and its sends out: its session is cut, as a network fault or PostgreSQL's idle limit does
            await().atMost(BOUND).until(() -> parts.db().count("select count(*) from outbox_attempt where relay = '"
                    + cut.relayId + "'") == 1);
            assertEquals(cut.fence().toSeconds(), parts.db().count(
                    "select extract(epoch from expires_at - kept_at)::bigint from outbox_attempt"), "the keeper's fence");
            String holder = "from pg_locks where locktype = 'advisory' and granted and objsubid = 1 and classid::bigint = "
                    + (RELAY_LOCK >>> 32) + " and objid::bigint = " + (RELAY_LOCK & 0xffff_ffffL);
            parts.db().execute("select pg_terminate_backend(pid) " + holder);
            await().atMost(BOUND).until(() -> parts.db().count("select count(*) " + holder) == 0); // the lock is free
            assertEquals(0, next.relayBatch(), "the cut relay's sends may still be on their way");
            assertEquals(3, next.backlog());
            release.complete(null);
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class, first::get,
                    "the cut relay could not record its position");
            await().atMost(BOUND).until(() -> next.relayBatch() > 0); // once the fence has passed
            List<UUID> sent = new ArrayList<>(ids(events));
            sent.addAll(ids(events));
            assertEquals(sent, onTopic(parts.bootstrap(), key), "the cut relay's copies, then the batch again");
            assertEquals(0, next.backlog());
        } finally {
            relaying.shutdownNow();
            gate.shutdownNow();
        }
    }

    /** The fence and margin from the producer's own settings, as a service computes them. */
    @Test
    void theFenceIsTheSendWindowTheProducersBoundsAndAMargin() {
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 10);
        relay.fence = null;
        relay.margin = null;
        assertEquals(Duration.ofSeconds(10), relay.margin(), "the producer's request.timeout.ms, above 5 s");
        assertEquals(Duration.ofSeconds(55), relay.fence(), "5 s to start its sends, max.block.ms 10 s and "
                + "delivery.timeout.ms 30 s, the margin");
    }

    /** A batch that stalled past its send window after keeping its attempt starts no further send, and is sent again. */
    @Test
    void aBatchThatStalledPastItsSendWindowStartsNoFurtherSend() throws Exception {
        EventPublisher real = parts.publisher();
        java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        EventPublisher stalling = OutboxFixtures.sendingThrough(real, record -> {
            if (sends.getAndIncrement() == 0) {
                clock.addAndGet(OutboxRelay.SEND_WINDOW.plusSeconds(1).toNanos()); // the relay's JVM stalled this long
            }
            return real.send(record);
        });
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), stalling, 10);
        relay.nanoTime = clock::get;
        write(parts.db().dataSource(), prefix + "w", erasures(3));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, relay::relayBatch);
        assertEquals(1, sends.get(), "only the send started inside the window");
        assertEquals(3, relay.backlog(), "the batch is sent again");
    }

    /**
     * An attempt is kept only while the batch's own session holds the relay lock, and not over another relay's attempt
     * from the same position still in force: of two relays that both think they may send, the second to keep stands
     * down; a failed batch's attempt holds the position a margin more, not the whole fence; a batch sent again keeps
     * the snapshot it was first read in.
     */
    @Test
    void anAttemptIsKeptOnlyUnderTheRelayLockAndNeverOverAnotherRelaysFreshOne() throws Exception {
        try (Connection batch = parts.db().dataSource().getConnection()) {
            batch.setAutoCommit(false);
            int pid;
            try (Statement select = batch.createStatement(); ResultSet rs = select.executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            OutboxRelay.Position at = OutboxRelay.Position.read(batch);
            Duration fence = Duration.ofMinutes(1);
            UUID one = UUID.randomUUID();
            UUID other = UUID.randomUUID();
            assertNull(OutboxRelay.Attempt.keep(parts.db().dataSource(), at, at.snap(), one, UUID.randomUUID(), pid,
                    fence), "its session does not hold the relay lock");
            try (Statement lock = batch.createStatement()) {
                lock.execute("select pg_advisory_xact_lock(" + RELAY_LOCK + ")");
            }
            assertEquals(at.snap(), OutboxRelay.Attempt.keep(parts.db().dataSource(), at, at.snap(), one,
                    UUID.randomUUID(), pid, fence));
            assertNull(OutboxRelay.Attempt.keep(parts.db().dataSource(), at, at.snap(), other, UUID.randomUUID(), pid,
                    fence), "another relay's attempt from this position may still be sending");
            UUID again = UUID.randomUUID();
            assertEquals(at.snap(), OutboxRelay.Attempt.keep(parts.db().dataSource(), at, "another snapshot", one,
                    again, pid, fence), "the same relay sends its batch again, as it was first read");
            OutboxRelay.Attempt.settle(parts.db().dataSource(), again, Duration.ofSeconds(5));
            assertNull(OutboxRelay.Attempt.keep(parts.db().dataSource(), at, at.snap(), other, UUID.randomUUID(), pid,
                    fence), "its sends ended, but a request given up on may still land within the margin");
            assertNull(OutboxRelay.Attempt.keep(parts.db().dataSource(), at, at.snap(), one, UUID.randomUUID(), pid,
                    fence), "its own relay waits the margin too: one that keeps failing cannot hold the others off");
            assertEquals(at.snap(), await().atMost(BOUND).until(() -> OutboxRelay.Attempt.keep(
                    parts.db().dataSource(), at, at.snap(), other, UUID.randomUUID(), pid, fence),
                    java.util.Objects::nonNull), "after the margin");
            batch.rollback();
        }
    }

    /**
     * The upgrade to the fence (V0_8): an attempt the version before kept holds its position for a minute (its sends may
     * be out), and that version's relay, still running during a rolling upgrade, can neither keep an attempt of its own
     * nor read one it finds (it then sent without keeping), so it sends nothing (two reviews of the fence, 7 December
     * 2026: its keep left the fence's columns of the last new attempt, and its read of a found attempt passed the fence).
     */
    @Test
    void afterTheFencesUpgradeAnOldAttemptHoldsItsPositionAndAnOldRelayKeepsNone() throws Exception {
        try (org.w4r.kit.KitDatabase old = new org.w4r.kit.KitDatabase("kit_outbox_fence_upgrade", "V0_7")) {
            String oldKeep = """
                    insert into outbox_attempt (from_sent_id, from_snap, from_late, from_late_id, snap)
                    values (0, pg_current_snapshot()::text, null, 0, pg_current_snapshot()::text)
                    on conflict (singleton) do update set from_sent_id = excluded.from_sent_id,
                           from_snap = excluded.from_snap, from_late = excluded.from_late,
                           from_late_id = excluded.from_late_id, snap = excluded.snap""";
            old.execute(oldKeep); // the version before's relay, in the middle of a batch
            try (Connection connection = old.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                old.migrateRest(statement);
            }
            assertEquals(1, old.count("select count(*) from outbox_attempt where relay = '00000000-0000-0000-0000-000000000000'"
                    + " and expires_at > clock_timestamp() + interval '50 seconds'"), "held a minute for the old relay");
            java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> old.execute(oldKeep), "the old relay's next keep");
            assertEquals("42703", refused.getSQLState(), refused.getMessage()); // its snapshot's column is renamed
            // finding an attempt at its position, the old relay sent with its snapshot without keeping one
            java.sql.SQLException unread = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> old.count("select count(snap) from outbox_attempt where from_sent_id = 0"), "the old relay's read");
            assertEquals("42703", unread.getSQLState(), unread.getMessage());
        }
    }

    @Test
    void twoRelaysOnOneDatabaseSendEveryRowOnceAndEachKeyInOrder() throws Exception {
        AgroalDataSource second = parts.db().anotherPool();
        pools.add(second);
        OutboxRelay one = startedRelay(parts.db().dataSource(), 25);
        startedRelay(second, 25);
        int writers = 4, transactions = 10, perTransaction = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<SignerErased>>> written = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                String key = prefix + "w" + w;
                written.add(pool.submit(() -> {
                    List<SignerErased> mine = new ArrayList<>();
                    for (int t = 0; t < transactions; t++) {
                        List<SignerErased> some = erasures(perTransaction);
                        write(parts.db().dataSource(), key, some);
                        mine.addAll(some);
                    }
                    return mine;
                }));
            }
            await().atMost(BOUND).until(() -> written.stream().allMatch(Future::isDone) && one.backlog() == 0);
            for (int w = 0; w < writers; w++) {
                awaitMarkerThenCheck(written.get(w).get(), prefix + "w" + w);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Issue 20: the events of one transaction share outbox rows, each stored on its page as it is (not compressed,
     * nothing in the TOAST table), and the relay sends every event of every row once, in order.
     */
    @Test
    void aTransactionsEventsShareRowsStoredAsTheyAreAndEachLeavesOnceInOrder() throws Exception {
        List<SignerErased> events = erasures(250);
        try (Connection connection = parts.db().dataSource().getConnection()) {
            connection.setAutoCommit(false);
            OutboxFixtures.insert(connection, prefix + "a", events, Group.MOST_EVENTS);
            connection.commit();
        }
        long rows = parts.db().count("select count(*) from outbox");
        assertTrue(rows > 1 && rows <= 25, rows + " rows for 250 events");
        assertEquals(0, parts.db().count("select count(*) from outbox where pg_column_compression(payloads) is not null"),
                "no row compressed");
        assertEquals(0, parts.db().count("select coalesce(sum(pg_relation_size(reltoastrelid)), 0) from pg_class "
                + "where relname like 'outbox\\_%' and relkind = 'r'"), "nothing moved out of line");
        assertEquals(250, parts.db().count("select count(*) from outbox_backlog"), "the backlog counts events");

        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 1000);
        assertEquals(250, relay.relayBatch());
        assertEquals(0, relay.backlog());
        awaitMarkerThenCheck(events, prefix + "a");
    }

    /**
     * A batch sends at most its size in events, and never part of a row (a consumer's dedupe window counts on the
     * first; the position is per row, so the second). A row larger than a batch (written while the batch size was
     * larger) still leaves, alone.
     */
    @Test
    void aBatchSendsAtMostItsSizeInEventsAndEveryRowWhole() throws Exception {
        List<SignerErased> first = erasures(7);
        List<SignerErased> second = erasures(7);
        List<SignerErased> large = erasures(15);
        write(parts.db().dataSource(), prefix + "a", first);
        write(parts.db().dataSource(), prefix + "a", second);
        try (Connection connection = parts.db().dataSource().getConnection()) {
            connection.setAutoCommit(false);
            OutboxFixtures.insert(connection, prefix + "a", large, 15);
            connection.commit();
        }
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 10);
        assertEquals(7, relay.relayBatch(), "the second row would take the batch past 10");
        assertEquals(7, relay.relayBatch());
        assertEquals(1, parts.db().count("select count(*) from outbox where cardinality(payloads) = 15"));
        assertEquals(15, relay.relayBatch(), "a row of 15 leaves whole");
        assertEquals(0, relay.relayBatch());
        List<SignerErased> all = new ArrayList<>(first);
        all.addAll(second);
        all.addAll(large);
        awaitMarkerThenCheck(all, prefix + "a");
    }

    /**
     * Late rows each larger than a batch (written before the batch size was lowered) drain one at a time, and none is
     * passed over: a read that stopped at the first row, being over the batch already, took it for the last late row
     * and moved the snapshot past the second, never sent (found reading the change before stopping).
     */
    @Test
    void lateRowsLargerThanABatchDrainOneAtATimeAndNoneIsPassedOver() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 10);
        List<SignerErased> slow = erasures(30);
        List<SignerErased> fast = erasures(2);
        try (Connection slowTx = parts.db().dataSource().getConnection()) {
            slowTx.setAutoCommit(false);
            OutboxFixtures.insert(slowTx, prefix + "slow", slow, 15);
            write(parts.db().dataSource(), prefix + "fast", fast);
            assertEquals(2, relay.relayBatch());
            slowTx.commit();
        }
        assertEquals(2, parts.db().count("select count(*) from outbox where cardinality(payloads) = 15"));
        assertEquals(15, relay.relayBatch());
        assertEquals(15, relay.relayBatch(), "the second late row is not passed over");
        assertEquals(0, relay.relayBatch());
        assertEquals(0, relay.backlog());
        awaitEachKeyThenCheck(Map.of(prefix + "slow", slow, prefix + "fast", fast));
    }

    /** Events of several topics in one transaction are stored, and so sent, in the order they were added. */
    @Test
    void plainAndGroupedRowsOfOneTransactionKeepTheOrderTheEventsWereAddedIn() throws Exception {
        List<Outbox.Row> rows = new ArrayList<>();
        for (String topic : List.of("t1", "t1", "t1", "t2", "t1", "t1", "t3")) {
            rows.add(new Outbox.Row(topic, prefix + rows.size(), OutboxFixtures.erasure(), null));
        }
        try (Connection connection = parts.db().dataSource().getConnection()) {
            connection.setAutoCommit(false);
            Outbox.insert(connection, rows, Group.MOST_EVENTS);
            connection.commit();
        }
        List<String> stored = new ArrayList<>();
        try (Connection connection = parts.db().dataSource().getConnection();
             Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("select topic, event_key from outbox_backlog order by id, event_index")) {
            while (rs.next()) {
                stored.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        assertEquals(rows.stream().map(row -> row.topic() + " " + row.key()).toList(), stored);
        assertEquals(4, parts.db().count("select count(*) from outbox"), "t1 ×3, t2, t1 ×2, t3");
    }

    /**
     * One event of a grouped row that Kafka refuses for good is set aside with its place in the row; the row's other
     * events, and the rows after it, still leave.
     */
    @Test
    void anEventOfAGroupedRowKafkaRefusesForGoodIsSetAsideAndItsNeighboursLeave() throws Exception {
        List<SignerErased> around = erasures(2);
        long grouped;
        try (Connection connection = parts.db().dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into outbox (group_topic, event_keys, payloads)
                     values (?, array[?, ?, ?], array[?, '{"pad":"' || repeat('x', 2000000) || '"}', ?]) returning id""")) {
            insert.setString(1, OutboxFixtures.TOPIC);
            for (int i = 2; i <= 4; i++) {
                insert.setString(i, prefix + "a");
            }
            insert.setString(5, org.w4r.events.Events.toJson(around.get(0)));
            insert.setString(6, org.w4r.events.Events.toJson(around.get(1)));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                grouped = rs.getLong(1);
            }
        }
        List<SignerErased> after = erasures(3);
        write(parts.db().dataSource(), prefix + "a", after);

        OutboxRelay relay = startedRelay(parts.db().dataSource(), 1000);
        await().atMost(BOUND).until(() -> relay.backlog() == 0);
        assertEquals(1, relay.deadLetters());
        List<OutboxRelay.DeadLetter> letters = relay.oldestDeadLetters();
        assertEquals(grouped, letters.get(0).id());
        assertEquals(1, letters.get(0).eventIndex(), "the second event of the row");
        assertEquals(prefix + "a", letters.get(0).key());
        assertTrue(letters.get(0).payloadBytes() > 2_000_000);
        List<SignerErased> sent = new ArrayList<>(around);
        sent.addAll(after);
        awaitMarkerThenCheck(sent, prefix + "a");
    }

    /**
     * During a rolling upgrade a relay of the version before V0_6 still runs. It reads topic, key and payload only, so
     * given a grouped row it must send nothing (had it sent the row as a tombstone and moved on, its events would
     * never be counted). Its read is run here as it ran: the record it builds for a grouped row is refused by the
     * Kafka client before anything is sent, and its batch rolls back.
     */
    @Test
    void aRelayOfTheVersionBeforeCannotSendAGroupedRow() throws Exception {
        write(parts.db().dataSource(), prefix + "a", erasures(3));
        try (Connection connection = parts.db().dataSource().getConnection();
             Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("select id, topic, event_key, payload, trace_parent, trace_state "
                     + "from outbox where id > 0 order by id limit 1000")) {
            assertTrue(rs.next());
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> new org.apache.kafka.clients.producer.ProducerRecord<>(rs.getString(2), rs.getString(3),
                            rs.getString(4)));
            assertTrue(refused.getMessage().contains("Topic"), refused.getMessage());
        }
        assertEquals(3, parts.db().count("select count(*) from outbox_backlog"), "nothing was sent");
    }

    /** {@link #awaitMarkerThenCheck} for each key and the events written under it. */
    private void awaitEachKeyThenCheck(Map<String, List<SignerErased>> byKey) throws Exception {
        for (Map.Entry<String, List<SignerErased>> key : byKey.entrySet()) {
            awaitMarkerThenCheck(key.getValue(), key.getKey());
        }
    }

    /**
     * After a marker written later has reached the topic, the key holds exactly {@code expected} then the marker: a
     * late re-send of an earlier row would show as a duplicate before the marker or after it.
     */
    private void awaitMarkerThenCheck(List<SignerErased> expected, String key) throws Exception {
        List<SignerErased> marker = erasures(1);
        write(parts.db().dataSource(), key, marker);
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 1000);
        await().atMost(BOUND).until(() -> {
            relay.relayBatch(); // with or without a running relay: under its lock, so never alongside one
            return onTopic(parts.bootstrap(), key).contains(marker.get(0).erasureId());
        });
        List<UUID> want = new ArrayList<>(ids(expected));
        want.add(marker.get(0).erasureId());
        List<UUID> got = onTopic(parts.bootstrap(), key);
        assertEquals(want, got, "sent in id order, each once, none lost");
        assertEquals(0, parts.db().count("select count(*) from outbox_backlog where event_key = '" + key + "'"));
    }
}

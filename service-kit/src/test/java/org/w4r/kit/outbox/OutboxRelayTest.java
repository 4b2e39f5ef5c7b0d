package org.w4r.kit.outbox;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w4r.events.SignerErased;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        return startedRelay(dataSource, batchSize, OutboxFixtures.VACUUM_EVERY);
    }

    private OutboxRelay startedRelay(AgroalDataSource dataSource, int batchSize, long vacuumEvery) {
        OutboxRelay relay = OutboxFixtures.relay(dataSource, parts.publisher(), batchSize, vacuumEvery);
        relays.add(relay);
        OutboxFixtures.start(relay);
        return relay;
    }

    @Test
    void rowsLeaveInIdOrderAndAreDeletedOnlyOnceSent() throws Exception {
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
     * The relay vacuums the outbox itself after every {@code vacuum-every} deleted rows: this server, like CI's, may run
     * without autovacuum, and dead rows at the left of the primary key once made each poll take 225 ms.
     */
    @Test
    void theRelayVacuumsTheOutboxAfterEveryVacuumEveryDeletedRows() throws Exception {
        OutboxRelay relay = startedRelay(parts.db().dataSource(), 10, 100);
        write(parts.db().dataSource(), prefix + "a", erasures(40));
        await().atMost(BOUND).until(() -> relay.backlog() == 0);
        // 40 rows deleted, fewer than 100: no vacuum, and none for a while after (one started by mistake would show)
        await().during(Duration.ofMillis(500)).atMost(BOUND).until(() -> manualVacuums() == 0);
        write(parts.db().dataSource(), prefix + "a", erasures(60));
        await().atMost(BOUND).until(() -> relay.backlog() == 0 && manualVacuums() == 1);
        write(parts.db().dataSource(), prefix + "a", erasures(30));
        await().atMost(BOUND).until(() -> relay.backlog() == 0);
        // the count starts again after a vacuum: 30 more rows start none
        await().during(Duration.ofMillis(500)).atMost(BOUND).until(() -> manualVacuums() == 1);
    }

    /** VACUUMs run by a session, not by autovacuum (which the server may or may not run). */
    private long manualVacuums() throws Exception {
        try (Connection connection = parts.db().dataSource().getConnection();
             Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("select vacuum_count from pg_stat_user_tables where relname = 'outbox'")) {
            assertTrue(rs.next(), "the outbox has statistics");
            return rs.getLong(1);
        }
    }

    @Test
    void aRelaySendsNothingWhileAnotherHoldsTheRelayLock() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 1000);
        List<SignerErased> events = erasures(3);
        write(parts.db().dataSource(), prefix + "a", events);
        try (Connection other = parts.db().dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (Statement lock = other.createStatement()) {
                lock.execute("select pg_advisory_xact_lock(" + RELAY_LOCK + ")");
            }
            assertEquals(0, relay.relayBatch(), "another relay is at work");
            assertEquals(3, relay.backlog());
            other.commit(); // the other relay's batch is done
        }
        assertEquals(3, relay.relayBatch());
        assertEquals(0, relay.backlog());
        awaitMarkerThenCheck(events, prefix + "a");
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
        assertEquals(0, parts.db().count("select count(*) from outbox where event_key = '" + key + "'"));
    }
}

package org.w4r.kit.outbox;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.events.SignerErased;
import org.w4r.kit.KitDatabase;
import org.w4r.kit.messaging.EventPublisher;
import org.w4r.kit.messaging.KitFixtures;
import org.w4r.testsupport.KafkaBroker;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.w4r.kit.outbox.OutboxFixtures.erasures;
import static org.w4r.kit.outbox.OutboxFixtures.ids;
import static org.w4r.kit.outbox.OutboxFixtures.onTopic;
import static org.w4r.kit.outbox.OutboxFixtures.write;

/**
 * The relay while Kafka is down: a broker of this class's own (the JVM's shared one must stay up for the others),
 * stopped and started again on the same address, as a broker restart in production.
 */
class OutboxRelayOutageTest {
    private static KafkaClusterTestKit cluster;

    private String application;
    private EventPublisher publisher;
    private KitDatabase db;
    private String key;

    @BeforeAll
    static void ownBroker() throws Exception {
        KafkaBroker.bootstrapServers(); // installs the guard that keeps a failing broker from exiting the JVM
        cluster = KafkaBroker.startCluster(
                Files.createDirectories(Path.of("target", "kafka-outage-" + UUID.randomUUID())));
    }

    @AfterAll
    static void closeBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void relayParts() throws Exception {
        application = "outage-" + UUID.randomUUID();
        // an operator's shorter waits (the kit's defaults give up on a row after 30 s): the same failures, sooner
        publisher = KitFixtures.publisher(KitFixtures.clients(cluster.bootstrapServers(), application, Map.of(
                "delivery.timeout.ms", "6000", "request.timeout.ms", "3000", "max.block.ms", "3000")));
        db = new KitDatabase("kit_outage");
        key = "erasure-" + UUID.randomUUID();
    }

    @AfterEach
    void brokerBackAndClosed() throws Exception {
        try {
            startBroker(); // whatever the test did, the next one starts with a broker
        } finally {
            KitFixtures.close(publisher);
            db.close();
        }
    }

    @Test
    void rowsWaitWhileKafkaIsDownAndLeaveOnceEachWhenItIsBack() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(db.dataSource(), publisher, 1000);
        List<SignerErased> sentBefore = erasures(5);
        write(db.dataSource(), key, sentBefore);
        assertEquals(5, relay.relayBatch());

        stopBroker();
        List<SignerErased> duringOutage = erasures(3);
        write(db.dataSource(), key, duringOutage.subList(0, 2));
        write(db.dataSource(), key, duringOutage.subList(2, 3));
        // the producer gives up on each row; the relay must keep every row it could not send
        assertThrows(IllegalStateException.class, relay::relayBatch);
        assertEquals(3, relay.backlog());
        assertEquals(0, relay.deadLetters(), "an unreachable broker is not a refusal");

        startBroker();
        OutboxFixtures.start(relay);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> relay.backlog() == 0);
            List<SignerErased> marker = erasures(1);
            write(db.dataSource(), key, marker);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> onTopic(cluster.bootstrapServers(), key).contains(marker.get(0).erasureId()));
            List<UUID> want = new ArrayList<>(ids(sentBefore));
            want.addAll(ids(duringOutage));
            want.addAll(ids(marker));
            assertEquals(want, onTopic(cluster.bootstrapServers(), key), "every row once, in order, none lost");
            assertEquals(0, relay.deadLetters());
        } finally {
            OutboxFixtures.stop(relay);
        }
    }

    /**
     * Kafka comes back in the middle of a batch: the rows sent before it was back failed, the ones after it succeed.
     * A key's events must still end in id order on the topic (a compacted topic keeps the last one: a revocation sent
     * before the grant it revokes would leave the grant in force). Re-sending a row is allowed, overtaking is not.
     */
    @Test
    void kafkaBackMidBatchNeverLeavesAnEarlierRowAfterALaterOne() throws Exception {
        OutboxRelay relay = OutboxFixtures.relay(db.dataSource(), publisher, 1000);
        List<SignerErased> warmUp = erasures(1);
        write(db.dataSource(), key, warmUp);
        assertEquals(1, relay.relayBatch()); // the producer knows the topic before the outage

        stopBroker();
        List<SignerErased> events = erasures(4);
        write(db.dataSource(), key, events);
        CompletableFuture<Integer> batch = CompletableFuture.supplyAsync(() -> {
            try {
                return relay.relayBatch();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        // the first row has failed while the broker was away: bring it back while the batch goes on
        await().atMost(Duration.ofSeconds(120)).until(() -> producerErrors() >= 1);
        startBroker();
        ExecutionException failed = assertThrows(ExecutionException.class, batch::get);
        assertInstanceOf(IllegalStateException.class, failed.getCause().getCause());

        await().atMost(Duration.ofSeconds(120)).until(() -> {
            relay.relayBatch();
            return relay.backlog() == 0;
        });
        List<UUID> want = new ArrayList<>(ids(warmUp));
        want.addAll(ids(events));
        List<UUID> onTopic = onTopic(cluster.bootstrapServers(), key);
        assertEquals(want, lastOccurrences(onTopic), "as the topic ends, each key's rows in id order: " + onTopic);
    }

    /** The topic as a compacted topic would keep it per event: where each event was last seen. */
    private static List<UUID> lastOccurrences(List<UUID> topic) {
        LinkedHashSet<UUID> last = new LinkedHashSet<>();
        for (UUID id : topic) {
            last.remove(id);
            last.add(id);
        }
        return new ArrayList<>(last);
    }

    private double producerErrors() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName metrics = new ObjectName("kafka.producer:type=producer-metrics,client-id=" + application + "-publisher");
        return server.isRegistered(metrics) ? (Double) server.getAttribute(metrics, "record-error-total") : 0;
    }

    private static boolean down;

    private static void stopBroker() {
        cluster.brokers().values().forEach(broker -> broker.shutdown());
        down = true;
    }

    private static void startBroker() throws Exception {
        if (down) {
            cluster.brokers().values().forEach(broker -> broker.startup());
            cluster.waitForReadyBrokers();
            down = false;
        }
    }
}

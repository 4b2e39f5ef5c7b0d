package org.w4r.testsupport;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Stream;
import java.util.logging.Logger;

/**
 * A real Kafka broker inside the test JVM: KRaft, one combined broker+controller node, started once per JVM.
 * Kafka's Exit procedures are replaced so that a broker failure throws instead of killing the test JVM.
 */
public final class KafkaBroker {
    private static KafkaClusterTestKit cluster;
    private static Path baseDirectory;
    private static String bootstrapServers;

    private KafkaBroker() {
    }

    /** Starts the broker if needed and returns its bootstrap address. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            guardExit();
            quietLogs();
            try {
                start();
            } catch (Exception first) {
                // a loaded 2-core machine sometimes misses a start-up deadline: try once more, then give up
                closeQuietly();
                try {
                    start();
                } catch (Exception second) {
                    second.addSuppressed(first);
                    closeQuietly();
                    throw new IllegalStateException("cannot start the in-JVM Kafka broker", second);
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(KafkaBroker::closeQuietly, "kafka-test-broker-stop"));
        }
        return bootstrapServers;
    }

    private static void start() throws Exception {
        // under the build's own target/ (not the kit's temp directory, whose exit hook races the broker's shutdown)
        baseDirectory = Files.createDirectories(Path.of("target", "kafka-" + UUID.randomUUID()));
        cluster = startCluster(baseDirectory);
        bootstrapServers = cluster.bootstrapServers();
    }

    /**
     * A started broker like the JVM's shared one, for a test that stops and restarts its own (the shared one must stay
     * up for the others); the caller closes it. Call {@link #bootstrapServers()} first: it installs the guard that
     * keeps a failing broker from exiting the JVM.
     */
    public static KafkaClusterTestKit startCluster(Path baseDirectory) throws Exception {
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setBaseDirectory(baseDirectory)
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("num.partitions", "3")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return kit;
        } catch (Exception e) {
            try {
                kit.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void guardExit() {
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka broker asked to exit(" + code + "): " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("Kafka broker asked to halt(" + code + "): " + message);
        });
    }

    private static void quietLogs() {
        for (String category : new String[]{"kafka", "org.apache.kafka", "state.change.logger"}) {
            Logger.getLogger(category).setLevel(Level.WARNING);
        }
    }

    private static synchronized void closeQuietly() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
            cluster = null;
            bootstrapServers = null;
        }
        if (baseDirectory != null) {
            try (Stream<Path> paths = Files.walk(baseDirectory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: it is under target/
            }
            baseDirectory = null;
        }
    }
}

package org.w4r.faults;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.awaitility.core.ConditionTimeoutException;
import org.w4r.testsupport.TcpProxy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/**
 * A KRaft cluster of one controller and three brokers, each its own process ({@code kafka.Kafka}, as ./platform runs
 * its broker), so a broker can be killed with SIGKILL like a crashed machine, not shut down politely inside the test
 * JVM (test-support's in-JVM {@code KafkaBroker} cannot do that: its brokers share the JVM and a shutdown there is a
 * controlled one that moves leadership away first).
 *
 * <p>Every broker has two listeners: {@code PLAIN}, used by the brokers and most clients, and {@code PROXIED}, whose
 * advertised address is a {@link TcpProxy} in this JVM. A client that bootstraps through {@link #partitionable()}
 * reaches every broker only through those proxies, so {@link #partition()} cuts it, and only it, off from Kafka.
 */
final class KafkaCluster implements AutoCloseable {
    static final int BROKERS = 3;
    private static final int CONTROLLER_ID = 100;

    private final Path home;
    private final String classpath;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int controllerPort = freePort();
    private final int[] plainPorts = new int[BROKERS];
    private final int[] proxiedPorts = new int[BROKERS];
    private final TcpProxy[] proxies = new TcpProxy[BROKERS];
    private final Process[] brokers = new Process[BROKERS];
    private Process controller;

    KafkaCluster(Path home) throws IOException {
        if (Files.exists(home)) {
            // a previous run's storage carries another cluster id: the brokers would refuse to start on it
            try (java.util.stream.Stream<Path> old = Files.walk(home)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        this.home = Files.createDirectories(home);
        // the forked test JVM's full classpath (failsafe puts it here; java.class.path is only its manifest jar)
        this.classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (int b = 0; b < BROKERS; b++) {
            plainPorts[b] = freePort();
            proxiedPorts[b] = freePort();
            proxies[b] = new TcpProxy("localhost", proxiedPorts[b]);
        }
    }

    /** The brokers' plain listeners. */
    String bootstrapServers() {
        return IntStream.range(0, BROKERS).mapToObj(b -> "localhost:" + plainPorts[b]).collect(Collectors.joining(","));
    }

    /** The brokers through the proxies: a client bootstrapped here is the one {@link #partition()} cuts off. */
    String partitionable() {
        return IntStream.range(0, BROKERS).mapToObj(b -> "127.0.0.1:" + proxies[b].port()).collect(Collectors.joining(","));
    }

    void start() throws Exception {
        Path controllerConfig = write("controller", """
                process.roles=controller
                node.id=%d
                controller.quorum.voters=%d@localhost:%d
                listeners=CONTROLLER://localhost:%d
                controller.listener.names=CONTROLLER
                listener.security.protocol.map=CONTROLLER:PLAINTEXT
                log.dirs=%s
                # the controller applies the cluster's topic defaults when a topic is created (KRaft)
                default.replication.factor=3
                min.insync.replicas=2
                """.formatted(CONTROLLER_ID, CONTROLLER_ID, controllerPort, controllerPort, home.resolve("controller-data")));
        List<Path> configs = new ArrayList<>(List.of(controllerConfig));
        for (int b = 0; b < BROKERS; b++) {
            configs.add(write("broker-" + b, brokerConfig(b)));
        }
        // every node's storage formatted with the one cluster id, in parallel (each is a JVM start)
        List<Process> formats = new ArrayList<>();
        for (Path config : configs) {
            formats.add(java(config.getFileName() + "-format", "128m", "kafka.tools.StorageTool", "format", "-t",
                    clusterId, "-c", config.toString()));
        }
        for (Process format : formats) {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("cannot format Kafka storage; see " + home);
            }
        }
        controller = java("controller", "256m", "kafka.Kafka", controllerConfig.toString());
        for (int b = 0; b < BROKERS; b++) {
            startBroker(b);
        }
        awaitBrokers(BROKERS);
    }

    private String brokerConfig(int b) {
        // the PROXIED listener binds where its proxy forwards to; its advertised address is the proxy itself
        return """
                process.roles=broker
                node.id=%d
                controller.quorum.voters=%d@localhost:%d
                controller.listener.names=CONTROLLER
                listeners=PLAIN://localhost:%d,PROXIED://localhost:%d
                advertised.listeners=PLAIN://localhost:%d,PROXIED://127.0.0.1:%d
                listener.security.protocol.map=PLAIN:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT
                inter.broker.listener.name=PLAIN
                log.dirs=%s
                num.partitions=3
                default.replication.factor=3
                min.insync.replicas=2
                offsets.topic.replication.factor=3
                # 6, not 50: a restarted broker loads every partition it holds before it is unfenced, and on the
                # suite's loaded two cores the 50 of __consumer_offsets were most of the 14 s it spent doing so
                offsets.topic.num.partitions=6
                transaction.state.log.replication.factor=3
                transaction.state.log.min.isr=2
                share.coordinator.state.topic.replication.factor=3
                share.coordinator.state.topic.min.isr=2
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=false
                unclean.leader.election.enable=false
                """.formatted(b, CONTROLLER_ID, controllerPort, plainPorts[b], proxiedPorts[b],
                plainPorts[b], proxies[b].port(), home.resolve("broker-" + b + "-data"));
    }

    void startBroker(int b) throws IOException {
        brokers[b] = java("broker-" + b, "384m", "kafka.Kafka", home.resolve("broker-" + b + ".properties").toString());
    }

    /** Starts any broker that is not running, and waits until all are registered and unfenced. */
    void ensureRunning() throws IOException {
        for (int b = 0; b < BROKERS; b++) {
            if (!brokers[b].isAlive()) {
                startBroker(b);
            }
        }
        awaitBrokers(BROKERS);
    }

    /** SIGKILL: no controlled shutdown, no flush, leadership not handed over; the controller finds out by its session. */
    void killBroker(int b) throws InterruptedException {
        brokers[b].destroyForcibly().waitFor();
    }

    /**
     * Waits until {@code n} brokers are registered and unfenced; returns how long that took. When they are not, the
     * failure says, for each broker, whether its process is alive, whether the controller has it fenced, and the end
     * of its log: CI keeps the console, not target/.
     */
    Duration awaitBrokers(int n) {
        long started = System.nanoTime();
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                try (Admin admin = admin()) {
                    return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == n;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(n + " brokers not registered and unfenced after 180 s:\n" + diagnosis(), e);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Every broker's process, registration and log tail, and the machine's load. */
    private String diagnosis() {
        StringBuilder out = new StringBuilder("load average " + java.lang.management.ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage() + "\n");
        Map<Integer, Boolean> fenced = new java.util.TreeMap<>();
        try (Admin admin = admin()) {
            admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions().includeFencedBrokers(true))
                    .nodes().get(10, TimeUnit.SECONDS).forEach(node -> fenced.put(node.id(), node.isFenced()));
        } catch (Exception e) {
            out.append("describeCluster failed: ").append(e).append('\n');
        }
        for (int b = 0; b < BROKERS; b++) {
            Process p = brokers[b];
            out.append("broker ").append(b).append(": process ")
                    .append(p == null ? "never started" : p.isAlive() ? "alive (pid " + p.pid() + ")" : "exited " + p.exitValue())
                    .append(", ").append(!fenced.containsKey(b) ? "not registered" : fenced.get(b) ? "fenced" : "unfenced")
                    .append("; the end of its log:\n");
            try (java.util.stream.Stream<String> lines = Files.lines(home.resolve("broker-" + b + ".log"))) {
                List<String> all = lines.toList();
                all.subList(Math.max(0, all.size() - 25), all.size()).forEach(l -> out.append("    ").append(l).append('\n'));
            } catch (IOException | java.io.UncheckedIOException e) {
                out.append("    (no log: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    /** Waits until every partition of {@code topics} has all three replicas in sync again. */
    void awaitFullIsr(Collection<String> topics) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            try (Admin admin = admin()) {
                Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
                return d.values().stream().flatMap(t -> t.partitions().stream()).allMatch(p -> p.isr().size() == BROKERS);
            }
        });
    }

    /** Closes every connection through the proxies and holds new ones unanswered: a dropped network. */
    void partition() {
        for (TcpProxy proxy : proxies) {
            proxy.pause();
            proxy.cut();
        }
    }

    void heal() {
        for (TcpProxy proxy : proxies) {
            proxy.resume();
        }
    }

    Admin admin() {
        return Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers(),
                "request.timeout.ms", "5000", "default.api.timeout.ms", "10000"));
    }

    private Path write(String name, String config) throws IOException {
        return Files.writeString(home.resolve(name + ".properties"), config);
    }

    private Process java(String name, String heap, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // C1 only, as the suite's service instances: a restarted broker's JVM competes for two cores with eight
        // services under load, and took 23 s to print its first line (a rejoin took 60 s, the limit was 90)
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:ReservedCodeCacheSize=240m", // C1 alone reserves 48 MB (the root pom's argLine says why not)
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n",
                "-cp", classpath, KafkaNode.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve(name + ".log").toFile())).start();
    }

    @Override
    public void close() {
        for (Process broker : brokers) {
            if (broker != null) {
                broker.destroyForcibly();
            }
        }
        if (controller != null) {
            controller.destroyForcibly();
        }
        for (Process broker : brokers) {
            if (broker != null) {
                broker.onExit().join();
            }
        }
        for (TcpProxy proxy : proxies) {
            proxy.close();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.w4r.faults;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
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
        // the broker logs through the test classpath's JBoss LogManager: warnings and errors only
        write("logging", """
                logger.level=WARN
                logger.handlers=CONSOLE
                handler.CONSOLE=org.jboss.logmanager.handlers.ConsoleHandler
                handler.CONSOLE.formatter=PATTERN
                formatter.PATTERN=org.jboss.logmanager.formatters.PatternFormatter
                formatter.PATTERN.properties=pattern
                formatter.PATTERN.pattern=%d{HH:mm:ss,SSS} %-5p [%c{1}] %s%e%n
                """);
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

    /** SIGKILL: no controlled shutdown, no flush, leadership not handed over; the controller finds out by its session. */
    void killBroker(int b) throws InterruptedException {
        brokers[b].destroyForcibly().waitFor();
    }

    /** Waits until {@code n} brokers are registered and unfenced. */
    void awaitBrokers(int n) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            try (Admin admin = admin()) {
                return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == n;
            }
        });
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
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dlogging.configuration=" + home.resolve("logging.properties").toUri(), "-cp", classpath));
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

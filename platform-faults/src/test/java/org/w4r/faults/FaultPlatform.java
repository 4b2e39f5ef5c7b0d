package org.w4r.faults;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.w4r.events.Topics;
import org.w4r.testsupport.PostgresServer;
import org.w4r.testsupport.TcpProxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform the fault suite breaks: {@link KafkaCluster} (three brokers), and two instances of every packaged
 * service, the two of a service sharing its database, as a scaled-out deployment runs them. Started once for the
 * suite (about a minute and a half on two cores) and stopped when the JVM exits.
 *
 * <p>Instance {@code b} of petition-service and of tally-service reach Kafka only through the cluster's proxies, so
 * {@link KafkaCluster#partition()} cuts those two off from Kafka and nothing else. Every instance reaches PostgreSQL
 * through a {@link TcpProxy} (one per service database), so {@link #databaseUnreachable()} makes the database
 * unreachable for all of them at once, as a PostgreSQL outage does, while the suite's own reads go to it directly.
 */
final class FaultPlatform {
    static final Path ROOT = Path.of(System.getProperty("w4r.root", "..")).toAbsolutePath().normalize();
    static final String CASE = "case-service", PETITION = "petition-service", TALLY = "tally-service",
            DELIVERY = "delivery-service";
    static final String CAMPAIGN = "w4r-demo";
    private static FaultPlatform instance;

    final KafkaCluster kafka;
    /** Two instances by service name. */
    final Map<String, List<ServiceInstance>> services = new LinkedHashMap<>();
    /** The JDBC URL of each service's database: the suite's own reads, never through a proxy. */
    final Map<String, String> databases = new HashMap<>();
    /** What the services reach their database through, by service. */
    private final Map<String, TcpProxy> databaseProxies = new HashMap<>();
    /** Demo credentials by principal: entity ids, demo-coordinator, demo-case-manager, demo-delivery. */
    final Map<String, String> tokens = new HashMap<>();

    static synchronized FaultPlatform get() throws Exception {
        if (instance == null) {
            instance = new FaultPlatform();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "fault-platform-stop"));
        }
        return instance;
    }

    private FaultPlatform() throws Exception {
        long started = System.nanoTime();
        kafka = new KafkaCluster(ROOT.resolve("platform-faults/target/kafka"));
        try {
            kafka.start();
            PostgresServer postgres = PostgresServer.shared();
            for (String service : List.of(CASE, PETITION, TALLY, DELIVERY)) {
                databases.put(service, postgres.createDatabase(service.replace("-service", "_faults")));
                databaseProxies.put(service, TcpProxy.inFrontOf(databases.get(service)));
            }
            Path credentials = Files.createTempDirectory("w4r-faults").resolve("credentials.csv");
            ServiceInstance caseA = instance(CASE, "a", Map.of("w4r.demo.enabled", "true",
                    "w4r.demo.credentials-file", credentials.toString()));
            // the first creates the topics (replication 3), loads the demo data and registers the credentials alone;
            // the second finds them done
            caseA.start();
            caseA.startAndAwait();
            List<ServiceInstance> rest = new ArrayList<>();
            // the same demo setting as "a": a case-service started with the demo off revokes the demo's credentials
            rest.add(instance(CASE, "b", Map.of("w4r.demo.enabled", "true")));
            for (String side : List.of("a", "b")) {
                rest.add(instance(PETITION, side, Map.of()));
            }
            for (String side : List.of("a", "b")) {
                rest.add(instance(DELIVERY, side, Map.of("quarkus.rest-client.petition-service.url",
                        services.get(PETITION).get(0).url())));
            }
            for (String side : List.of("a", "b")) {
                rest.add(instance(TALLY, side, Map.of()));
            }
            for (ServiceInstance service : rest) {
                service.start();
            }
            for (ServiceInstance service : rest) {
                service.startAndAwait();
            }
            List<String> lines = Files.readAllLines(credentials);
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                tokens.put(cells[0], cells[3]);
            }
            checkTopics();
            FaultResults.note("platform start (3 brokers, 8 service instances): %d s, load average %.1f".formatted(
                    (System.nanoTime() - started) / 1_000_000_000L,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    private ServiceInstance instance(String service, String side, Map<String, String> extra) {
        PostgresServer postgres = PostgresServer.shared();
        boolean behindProxies = side.equals("b") && (service.equals(PETITION) || service.equals(TALLY));
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", behindProxies ? kafka.partitionable() : kafka.bootstrapServers(),
                "w4r.topics.replication-factor", "3",
                "quarkus.datasource.jdbc.url", databaseProxies.get(service).route(databases.get(service)),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password()));
        // eight instances share one PostgreSQL server (max_connections 100 by default) with whatever else runs
        settings.put("quarkus.datasource.jdbc.max-size", service.equals(PETITION) ? "12" : "6");
        // a killed or cut-off member's partitions move to the other instance after 8 s, not the default 45 s
        for (String channel : switch (service) {
            case TALLY -> List.of("actions", "deliveries");
            case DELIVERY -> List.of("actions", "moderation", "erasures");
            default -> List.<String>of();
        }) {
            settings.put("mp.messaging.incoming." + channel + ".session.timeout.ms", "8000");
            settings.put("mp.messaging.incoming." + channel + ".heartbeat.interval.ms", "1000");
        }
        if (service.equals(PETITION)) {
            // every COMMIT and INSERT goes out as text, not as a server-prepared statement after five uses, so the
            // database proxy can see a signature's commit and cut its answer (cutSignatureCommit): without it the
            // database fault's outcome-unknown check ran only when the outage happened to land on a commit. As
            // test-support's ProxiedDatabase sets it for the services' own outage tests.
            settings.put("quarkus.datasource.jdbc.additional-jdbc-properties.prepareThreshold", "0");
            // the load is one entity at 100/s: with an instance killed, the survivor's share of the rate limit would
            // refuse some until the dead one's heartbeat goes stale. Limits are petition-service's RateLimitsTest's.
            settings.put("w4r.limits.default.rate", "1000000");
            settings.put("w4r.limits.default.burst", "1000000");
        }
        settings.putAll(extra);
        ServiceInstance instance = new ServiceInstance(ROOT, service, service + "-" + side, settings,
                Map.of("W4R_SIGNER_HMAC_KEY", "fault-suite-hmac-key-0123456789abcdef"));
        services.computeIfAbsent(service, s -> new ArrayList<>()).add(instance);
        return instance;
    }

    /**
     * What the suite's promises rest on: the services created every topic with three replicas, and a write is
     * acknowledged only once two of them have it.
     */
    private void checkTopics() throws Exception {
        try (Admin admin = kafka.admin()) {
            List<String> names = List.of(Topics.ACTIONS, Topics.CASES, Topics.CREDENTIALS);
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            for (TopicDescription topic : topics.values()) {
                topic.partitions().forEach(p -> {
                    if (p.replicas().size() != KafkaCluster.BROKERS) {
                        throw new IllegalStateException(topic.name() + " has " + p.replicas().size() + " replicas");
                    }
                });
            }
            ConfigResource actions = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ACTIONS);
            Config config = admin.describeConfigs(List.of(actions)).all().get(10, TimeUnit.SECONDS).get(actions);
            if (!"2".equals(config.get("min.insync.replicas").value())) {
                throw new IllegalStateException("actions has min.insync.replicas " + config.get("min.insync.replicas").value());
            }
        }
    }

    /** Starts again any broker or instance a failed fault left dead, so one fault's failure does not fail the next. */
    void ensureRunning() throws Exception {
        kafka.ensureRunning();
        List<ServiceInstance> dead = services.values().stream().flatMap(List::stream).filter(s -> !s.alive()).toList();
        for (ServiceInstance service : dead) {
            service.start();
        }
        for (ServiceInstance service : dead) {
            service.startAndAwait();
        }
    }

    /**
     * PostgreSQL gone for every service: every open connection closed in whatever it was doing (a statement, a
     * commit), and new ones accepted but never answered, until {@link #databaseBack()}.
     */
    void databaseUnreachable() {
        for (TcpProxy proxy : databaseProxies.values()) {
            proxy.pause();
            proxy.cut();
        }
    }

    /**
     * New connections go through again. The ones held meanwhile are closed, not let through: their clients have
     * given up on most of them (the pool waits 2 s for a connection), and under the load they pile up; let through
     * one by one, they kept the database away 14 and 26 s longer than the 10 s meant (two runs), and would have
     * opened as many connections on the PostgreSQL this machine shares.
     */
    void databaseBack() {
        for (TcpProxy proxy : databaseProxies.values()) {
            proxy.cut();
            proxy.resume();
        }
    }

    /**
     * Once: the next COMMIT of a transaction that inserted signatures, on any petition-service instance, reaches
     * PostgreSQL (which commits it) and its answer is cut before it gets back: the writer cannot know, and answers
     * its group {@code 503 outcome-unknown}. Returns how many answers the proxy had cut before this call; see
     * {@link #signatureCommitsCut()}.
     */
    int cutSignatureCommit() {
        TcpProxy proxy = databaseProxies.get(PETITION);
        int before = proxy.cutsOnReply();
        proxy.cutOnReplyTo("COMMIT".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "insert into signature".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return before;
    }

    /** How many answers petition-service's database proxy has cut after a COMMIT so far. */
    int signatureCommitsCut() {
        return databaseProxies.get(PETITION).cutsOnReply();
    }

    ServiceInstance a(String service) {
        return services.get(service).get(0);
    }

    ServiceInstance b(String service) {
        return services.get(service).get(1);
    }

    /** The first live instance of a service (the other one may have been killed). */
    ServiceInstance live(String service) {
        return services.get(service).stream().filter(ServiceInstance::alive).findFirst()
                .orElseThrow(() -> new IllegalStateException("no instance of " + service + " is running"));
    }

    Connection database(String service) throws SQLException {
        PostgresServer postgres = PostgresServer.shared();
        return PostgresServer.connect(databases.get(service), postgres.username(), postgres.password());
    }

    /**
     * Kills everything at once: the platform is thrown away, and failsafe gives a finishing JVM 30 s, which stopping
     * eight instances politely one after another can outlast (a broker was once left running).
     */
    private void stop() {
        services.values().stream().flatMap(List::stream).forEach(ServiceInstance::destroy);
        kafka.close();
        databaseProxies.values().forEach(TcpProxy::close);
        databases.values().forEach(PostgresServer.shared()::dropDatabase);
    }
}

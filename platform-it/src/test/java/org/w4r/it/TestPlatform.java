package org.w4r.it;

import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.PostgresServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The four packaged services (and the staff UI) running as separate processes against the in-JVM broker and fresh databases, with
 * case-service's demo data and demo credentials, started once for every end-to-end test of this JVM (starting
 * them takes most of a minute on two cores) and stopped when it exits.
 */
final class TestPlatform {
    static final Path ROOT = Path.of(System.getProperty("w4r.root", "..")).toAbsolutePath().normalize();
    /** The staff UI listens on a random port too: the APIs accept any local origin (CORS regex). */
    private static final String DASHBOARD_ORIGINS = "/http://localhost:[0-9]+/";
    private static TestPlatform instance;

    final String kafka;
    /** Every service exports its traces here, as to a collector: the same runtime switch a deployment uses. */
    final OtlpReceiver traces;
    final ServiceProcess cases, petitions, tally, delivery;
    /** The staff UI (staff-ui), whose page calls the four from the browser. */
    final ServiceProcess ui;
    /** Demo credentials by principal: entity ids, demo-coordinator, demo-case-manager, demo-delivery, demo-moderator. */
    final Map<String, String> tokens = new HashMap<>();
    /** The demo credentials as case-service wrote them, the file {@code ./platform} keeps in .platform/. */
    final Path credentials;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();

    static synchronized TestPlatform get() throws Exception {
        if (instance == null) {
            instance = new TestPlatform();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-platform-stop"));
        }
        return instance;
    }

    private TestPlatform() throws Exception {
        try {
            kafka = KafkaBroker.bootstrapServers();
            traces = new OtlpReceiver();
            credentials = Files.createTempDirectory("w4r-it").resolve("credentials.csv");
            cases = start("case-service", Map.of("w4r.demo.enabled", "true", "w4r.demo.credentials-file", credentials.toString(),
                    "quarkus.http.cors.origins", DASHBOARD_ORIGINS));
            cases.awaitReady(Duration.ofSeconds(120));
            // the retention schedule's own pass (hourly, the first five minutes after start) would anonymise the due
            // campaigns these tests make (the retention page's, a replay of 2020) in the middle of a test; the pass
            // itself is petition-service's RetentionTest's, which runs it when it chooses
            petitions = start("petition-service", Map.of("quarkus.http.cors.origins", DASHBOARD_ORIGINS,
                    "w4r.retention.every", "off"));
            delivery = start("delivery-service", Map.of("quarkus.rest-client.petition-service.url", petitions.url(),
                    "quarkus.http.cors.origins", DASHBOARD_ORIGINS));
            tally = start("tally-service", Map.of("w4r.tally.cors.origins", DASHBOARD_ORIGINS));
            // started last so the page it serves knows where the four listen
            ui = startUi("staff-ui", tally.url());
            for (ServiceProcess service : List.of(petitions, tally, delivery, ui)) {
                service.awaitReady(Duration.ofSeconds(120));
            }
            List<String> lines = Files.readAllLines(credentials);
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                tokens.put(cells[0], cells[3]);
            }
        } catch (Exception | Error e) {
            // a service that did start must not outlive a failed start: a second tally in the group "tally-service"
            // would take half the action partitions into its own database, and the next test class starts anew
            stop();
            throw e;
        }
    }

    private ServiceProcess start(String name, Map<String, String> extra) throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String jdbcUrl = postgres.createDatabase(name.replace("-service", "_it"));
        databases.add(jdbcUrl);
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", kafka,
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                "quarkus.otel.exporter.otlp.endpoint", traces.endpoint(),
                "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "PT0.2S"));
        // a harness choice, as the JIT: no balancer to wait for when the suite stops them one after another
        // (5 s each); GracefulStopIT starts its own instance with the delay it ships with
        settings.put("quarkus.shutdown.delay", "0S");
        settings.putAll(extra);
        ServiceProcess service = ServiceProcess.start(ROOT, name, settings,
                Map.of("W4R_SIGNER_HMAC_KEY", "end-to-end-test-hmac-key-0123456789"));
        services.add(service);
        return service;
    }

    /** A staff UI (no database, no Kafka) naming the platform's APIs, with tally-service at {@code tallyUrl}. */
    ServiceProcess startUi(String logName, String tallyUrl) throws Exception {
        ServiceProcess ui = ServiceProcess.start(ROOT, "staff-ui", logName, Map.of(
                "w4r.ui.case-service-url", cases.url(), "w4r.ui.petition-service-url", petitions.url(),
                "w4r.ui.tally-service-url", tallyUrl, "w4r.ui.delivery-service-url", delivery.url()), Map.of());
        services.add(ui);
        return ui;
    }

    private void stop() {
        for (ServiceProcess service : services) {
            try {
                service.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        databases.forEach(PostgresServer.shared()::dropDatabase);
        if (traces != null) {
            traces.close();
        }
    }
}

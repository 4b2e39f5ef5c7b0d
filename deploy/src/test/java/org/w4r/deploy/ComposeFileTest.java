package org.w4r.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/compose as docker-compose itself reads it (no container runs here: `config` only resolves and checks the
 * file), and against the services' settings. `.ci/run` installs Debian's docker-compose when it is missing.
 */
class ComposeFileTest {
    static final Path COMPOSE = Repo.DEPLOY.resolve("compose");

    /** docker-compose's exit code, a newline, and what it printed (the resolved file, or why it refused it). */
    static String config(Path envFile) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("docker-compose", "-f", "compose.yaml", "--env-file",
                envFile.toString(), "config").directory(COMPOSE.toFile()).redirectErrorStream(true);
        // only the env file speaks: a variable exported in the shell that runs the build would hide a missing one
        builder.environment().keySet().removeIf(k -> k.startsWith("W4R_") || k.startsWith("POSTGRES_") || k.startsWith("GRAFANA_"));
        Process process;
        try {
            process = builder.start();
        } catch (java.io.IOException e) {
            throw new AssertionError("docker-compose is not installed (apt-get install docker-compose; .ci/run does)", e);
        }
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return process.exitValue() + "\n" + out;
    }

    /** The file as docker-compose resolves it with the example's settings, its empty secrets filled in. */
    static JsonNode resolved() throws Exception {
        return resolvedWith();
    }

    /** The variables .env.example sets (its lines {@code NAME=value}, comments left out): the secrets. */
    static List<String> exampleVariables() throws Exception {
        return Files.readAllLines(COMPOSE.resolve(".env.example")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.substring(0, l.indexOf('='))).toList();
    }

    /**
     * .env.example as a deployer fills it in: every empty value given a generated-looking one (40 characters, more
     * than 10 distinct: what petition- and tally-service take as a key). Lines already set are left as they are.
     */
    static List<String> filledExample() throws Exception {
        List<String> filled = new ArrayList<>();
        for (String line : Files.readAllLines(COMPOSE.resolve(".env.example"))) {
            filled.add(!line.startsWith("#") && line.endsWith("=")
                    ? line + "filled-" + Integer.toHexString(line.hashCode()) + "-Kq7pZx2mW9vR4tY8nB3cL6hJ" : line);
        }
        return filled;
    }

    /** docker-compose's exit code and output with these env lines. */
    static String configWith(List<String> lines) throws Exception {
        Path env = Files.createTempFile("w4r-compose", ".env");
        try {
            Files.write(env, lines);
            return config(env);
        } finally {
            Files.delete(env);
        }
    }

    @Test
    void dockerComposeAcceptsTheFileOnceTheExamplesSecretsAreFilledIn() throws Exception {
        assertEquals(Set.of("postgres", "kafka", "case-service", "petition-service", "tally-service", "delivery-service",
                "staff-ui", "staff-ui-probe", "prometheus", "grafana", "otel-collector", "jaeger"), names(resolved().get("services")));
    }

    /**
     * .env.example held working placeholders (change-me-grafana, change-me-postgres...): copied unedited, compose
     * started an installation whose Grafana and database passwords anyone can read in this repository (a read-only
     * review of the deployment files). Now every secret in it is empty, and compose refuses an empty one as it
     * refuses a missing one ({@code ${VAR:?...}}): the unedited example does not start.
     */
    @Test
    void theUneditedExampleDoesNotStart() throws Exception {
        List<String> variables = exampleVariables();
        assertTrue(variables.containsAll(List.of("POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "W4R_SIGNER_HMAC_KEY",
                "W4R_STREAM_TICKET_KEY")), "the example names the secrets: " + variables);
        for (String line : Files.readAllLines(COMPOSE.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertTrue(line.endsWith("="), ".env.example gives a value a copy would start with: " + line);
            }
        }
        String result = config(COMPOSE.resolve(".env.example"));
        assertFalse(result.startsWith("0\n"), "compose starts with the unedited example: " + result);
    }

    @Test
    void withoutAnyOneSecretComposeRefusesToStart() throws Exception {
        List<String> filled = filledExample();
        for (String variable : exampleVariables()) {
            String missing = configWith(filled.stream().filter(l -> !l.startsWith(variable + "=")).toList());
            assertFalse(missing.startsWith("0\n"), "compose starts without " + variable + ": no default for a secret");
            assertTrue(missing.contains(variable), missing);
            String empty = configWith(filled.stream().map(l -> l.startsWith(variable + "=") ? variable + "=" : l).toList());
            assertFalse(empty.startsWith("0\n"), "compose starts with " + variable + " empty");
            assertTrue(empty.contains(variable), empty);
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyServiceStartsAfterWhatItNeedsIsHealthyWithWhatItNeeds() throws Exception {
        JsonNode services = resolved().get("services");
        for (String service : Repo.SERVICES) {
            JsonNode s = services.get(service);
            assertTrue(s.get("image").asText().startsWith("w4r/" + service + ":"), service);
            s.get("depends_on").fields().forEachRemaining(d ->
                    assertEquals("service_healthy", d.getValue().get("condition").asText(), service + " after " + d.getKey()));
            assertTrue(s.get("healthcheck").get("test").toString().contains("/q/health/ready"), service);
            assertTrue(s.has("stop_grace_period") && java.time.Duration.parse("PT" + s.get("stop_grace_period").asText()
                            .toUpperCase(java.util.Locale.ROOT)).toSeconds() >= Repo.gracefulStopSeconds(),
                    service + " is given the time its graceful stop takes, not killed midway: " + s.get("stop_grace_period"));
            int port = Repo.port(service);
            assertTrue(s.get("ports").toString().contains(String.valueOf(port)), service + " on " + port + ": " + s.get("ports"));
            JsonNode env = s.get("environment");
            for (String variable : Repo.requiredVariables(service)) {
                if (variable.startsWith("W4R_DB_PASSWORD") || variable.startsWith("PG")) {
                    continue; // ./platform's local settings; compose sets the datasource whole
                }
                assertTrue(env.has(variable), service + " needs " + variable);
            }
            assertTrue(env.get("QUARKUS_DATASOURCE_JDBC_URL").asText().startsWith("jdbc:postgresql://postgres:5432/w4r_"));
            assertTrue(env.has("QUARKUS_DATASOURCE_PASSWORD"), service);
        }
        for (String infrastructure : List.of("postgres", "kafka")) {
            assertTrue(services.get(infrastructure).has("healthcheck"), infrastructure);
        }
    }

    /** The staff UI on its port, told where the browser finds each API; each API allows its origin, and only it. */
    @Test
    void theStaffUiStartsOnItsPortAndEachApiAllowsItsOrigin() throws Exception {
        JsonNode services = resolved().get("services");
        JsonNode ui = services.get(Repo.UI);
        assertTrue(ui.get("image").asText().startsWith("w4r/" + Repo.UI + ":"));
        assertTrue(ui.get("healthcheck").get("test").toString().contains("/q/health/ready"));
        int port = Repo.port(Repo.UI);
        assertTrue(ui.get("ports").toString().contains(String.valueOf(port)), ui.get("ports").toString());
        JsonNode env = ui.get("environment");
        List<String> elsewhere = new ArrayList<>();
        String example = Repo.read(COMPOSE.resolve(".env.example"));
        for (String service : Repo.SERVICES) {
            String variable = "W4R_UI_" + service.replace("-service", "").toUpperCase() + "_SERVICE_URL";
            assertEquals("http://localhost:" + Repo.port(service), env.path(variable).asText(), variable);
            elsewhere.add(variable + "=https://" + service + ".w4r.example.org");
            assertTrue(example.contains("\n# " + variable + "="), ".env.example names " + variable + " (commented out)");
            String allowed = services.get(service).get("environment")
                    .path(service.equals("tally-service") ? "W4R_TALLY_CORS_ORIGINS" : "QUARKUS_HTTP_CORS_ORIGINS").asText();
            assertEquals("http://localhost:" + port, allowed, service + " allows the staff UI's origin");
        }
        assertFalse(env.has("QUARKUS_DATASOURCE_JDBC_URL") || env.has("KAFKA_BOOTSTRAP_SERVERS"), "no database, no Kafka");

        // docs/operations.md tells whoever opens the staff UI from another machine to set them: .env reaches it (the
        // file said http://localhost:808x whatever .env said, until a read-only review of the deployment files)
        JsonNode moved = resolvedWith(elsewhere.toArray(String[]::new)).get("services").get(Repo.UI).get("environment");
        for (String setting : elsewhere) {
            String variable = setting.substring(0, setting.indexOf('='));
            assertEquals(setting.substring(setting.indexOf('=') + 1), moved.path(variable).asText(),
                    variable + " in .env reaches the staff UI");
        }
    }

    /**
     * The five images are named {@code w4r/<module>}, which Docker reads as Docker Hub's account w4r: not this
     * project's. Without a pull policy, {@code docker compose up} on a host that lacks a local image pulled whatever
     * that account published, and ran it with the database passwords and the signer key (a read-only review of the
     * deployment files). Every service on an image of this repository's modules is built or never pulled.
     */
    @Test
    void theProjectsImagesAreNeverPulledFromDockerHub() throws Exception {
        JsonNode services = resolved().get("services");
        Set<String> ours = new java.util.TreeSet<>();
        services.fields().forEachRemaining(s -> {
            String image = s.getValue().path("image").asText();
            if (image.matches("(?:(?:docker\\.io|index\\.docker\\.io|registry-1\\.docker\\.io)/)?w4r/.*")) {
                ours.add(s.getKey());
                String policy = s.getValue().path("pull_policy").asText("");
                assertTrue(policy.equals("never") || policy.equals("build") && s.getValue().has("build"),
                        s.getKey() + " runs " + image + ", a Docker Hub name this project does not own, and may pull it "
                                + "(pull_policy: " + (policy.isEmpty() ? "unset" : policy) + ")");
            }
        });
        assertEquals(new java.util.TreeSet<>(List.of(Repo.DEPLOYED)), ours, "the images of this repository's modules");
    }

    /**
     * The postgres image runs its init scripts (the services' roles and databases) on a temporary server listening on
     * the Unix socket only; {@code pg_isready} over the socket answered ready then, and the services started against
     * a server about to stop, without their roles (a read-only review of the deployment files). Over TCP it answers
     * only once the real server listens.
     */
    @Test
    void postgresIsHealthyOnlyOnceItListensOnTcp() throws Exception {
        JsonNode test = resolved().get("services").get("postgres").get("healthcheck").get("test");
        String command = test.toString();
        assertTrue(command.contains("pg_isready"), command);
        java.util.regex.Matcher host = java.util.regex.Pattern.compile("(?:-h|--host)[ =]([^ \"]+)").matcher(command);
        assertTrue(host.find(), "pg_isready names a host, or it asks the socket the init scripts' server listens on: " + command);
        assertTrue(List.of("127.0.0.1", "localhost", "::1").contains(host.group(1)),
                "pg_isready asks this container's own server over TCP: " + command);
    }

    /** A service without an endpoint traces nothing (the kit's TracesNeedAnEndpoint): every one must be given it. */
    @Test
    void everyServiceSendsItsTracesToTheCollectorWhichPassesThemToJaeger() throws Exception {
        JsonNode services = resolved().get("services");
        for (String service : Repo.SERVICES) {
            JsonNode env = services.get(service).get("environment");
            assertEquals("http://otel-collector:4317", env.path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText(), service);
        }
        for (String tool : List.of("otel-collector", "jaeger")) {
            assertTrue(services.get(tool).get("image").asText().matches("[^:]+:[0-9][^:]*"), tool + ": a pinned tag");
        }
        JsonNode collector = services.get("otel-collector");
        String mounted = collector.get("volumes").toString();
        assertTrue(mounted.contains("otel-collector.yaml:/etc/otelcol-contrib/config.yaml"), mounted);
        assertTrue(collector.get("command").toString().contains("--config=/etc/otelcol-contrib/config.yaml"));

        JsonNode config = Manifests.YAML.readTree(COMPOSE.resolve("otel-collector.yaml").toFile());
        assertEquals("0.0.0.0:4317", config.at("/receivers/otlp/protocols/grpc/endpoint").asText(),
                "the collector listens where the services send");
        JsonNode traces = config.at("/service/pipelines/traces");
        assertEquals("otlp", traces.get("receivers").get(0).asText());
        List<String> exporters = new ArrayList<>();
        traces.get("exporters").forEach(e -> exporters.add(e.asText()));
        for (String exporter : exporters) {
            assertTrue(config.get("exporters").has(exporter), "exporter " + exporter + " is defined");
        }
        traces.get("processors").forEach(p -> assertTrue(config.get("processors").has(p.asText()), p.asText()));
        assertTrue(exporters.stream().anyMatch(e -> config.get("exporters").get(e).path("endpoint").asText()
                .equals("jaeger:4317")), "the traces reach Jaeger's OTLP port: " + exporters);
        assertTrue(services.get("jaeger").get("ports").toString().contains("16686"), "Jaeger's UI is reachable");
    }

    /**
     * Plain HTTP published on every interface by default put the APIs, the staff UI and Grafana on every network the
     * host is on (the read-only review of the deployment files, 4 December 2026). By default every published port
     * listens on the loopback; W4R_BIND opts in to another address, except for Prometheus and Jaeger, which have no
     * sign-in.
     */
    @Test
    void publishedPortsListenOnTheLoopbackUnlessW4rBindSaysOtherwise() throws Exception {
        JsonNode services = resolved().get("services");
        List<String> published = new ArrayList<>();
        services.fields().forEachRemaining(s -> s.getValue().path("ports").forEach(port -> {
            published.add(s.getKey() + " " + port);
            assertEquals("127.0.0.1", hostIp(port), s.getKey() + " publishes " + port + " beyond the loopback by default");
        }));
        for (String service : List.of("case-service", "petition-service", "tally-service", "delivery-service", Repo.UI,
                "grafana", "prometheus", "jaeger")) {
            assertTrue(services.path(service).path("ports").size() > 0, service + " is still published: " + published);
        }

        JsonNode opened = resolvedWith("W4R_BIND=0.0.0.0").get("services");
        for (String service : List.of("case-service", "petition-service", "tally-service", "delivery-service", Repo.UI, "grafana")) {
            opened.get(service).get("ports").forEach(port -> assertEquals("0.0.0.0", hostIp(port), service + " follows W4R_BIND"));
        }
        for (String service : List.of("prometheus", "jaeger")) {
            opened.get(service).get("ports").forEach(port -> assertEquals("127.0.0.1", hostIp(port),
                    service + " has no sign-in: the loopback whatever W4R_BIND says"));
        }
    }

    /**
     * Kafka has no sign-in in compose and the services trust its {@code credentials} topic: whoever reaches it can
     * publish a key. So Kafka and PostgreSQL share a network with the four services and nothing else, on a network
     * that does not reach out (a read-only review of the deployment files, 6 December 2026: every container shared the
     * default network, Grafana and the collector included).
     */
    @Test
    void onlyTheServicesShareANetworkWithKafkaAndPostgres() throws Exception {
        JsonNode resolved = resolved();
        JsonNode services = resolved.get("services");
        Map<String, Set<String>> networks = new TreeMap<>();
        services.fields().forEachRemaining(s -> {
            Set<String> joined = new TreeSet<>();
            JsonNode declared = s.getValue().path("networks");
            if (declared.isMissingNode() || declared.isNull()) {
                joined.add("default");
            } else if (declared.isArray()) {
                declared.forEach(n -> joined.add(n.asText()));
            } else {
                declared.fieldNames().forEachRemaining(joined::add);
            }
            networks.put(s.getKey(), joined);
        });
        Set<String> theServices = new TreeSet<>(List.of("case-service", "petition-service", "tally-service", "delivery-service"));
        for (String store : List.of("kafka", "postgres")) {
            Set<String> reaching = new TreeSet<>();
            networks.forEach((service, joined) -> {
                if (!service.equals("kafka") && !service.equals("postgres") && joined.stream().anyMatch(networks.get(store)::contains)) {
                    reaching.add(service);
                }
            });
            assertEquals(theServices, reaching, "who shares a network with " + store + ": " + networks);
            for (String network : networks.get(store)) {
                assertTrue(resolved.path("networks").path(network).path("internal").asBoolean(false),
                        store + "'s network " + network + " reaches out: " + resolved.path("networks"));
            }
        }
        for (String service : theServices) {
            assertTrue(networks.get(service).contains("default"),
                    service + " must stay on the default network too (Prometheus, the collector, webhooks): " + networks);
        }
    }

    /**
     * The host address a resolved port is published on, "" for every interface: docker-compose 1 prints the short
     * form ("127.0.0.1:8081:8081/tcp"), Compose 2 the long one ({host_ip, published, target}).
     */
    static String hostIp(JsonNode port) {
        if (port.isObject()) {
            return port.path("host_ip").asText("");
        }
        String spec = port.asText().replaceFirst("/[a-z]+$", "");
        int last = spec.lastIndexOf(':');
        int hostPort = last < 0 ? -1 : spec.lastIndexOf(':', last - 1);
        return hostPort < 0 ? "" : spec.substring(0, hostPort).replaceAll("^\\[|]$", "");
    }

    /** Sessions kept for others than the services: an operator's psql, pg_dump or a backup tool. */
    static final int OTHER_SESSIONS = 10;

    /**
     * PostgreSQL must accept every service's pool full at once, or the last pool to grow in a surge meets "too many
     * clients": each service's instances (compose's scale or deploy.replicas, 1 by default) times its pool's max-size
     * (the service's QUARKUS_DATASOURCE_JDBC_MAX_SIZE here, else its settings', else Quarkus' default) plus its
     * sessions outside the pool, plus the superuser's reserved slots and {@link #OTHER_SESSIONS}. The pools are read
     * from the files, never written here: a pool raised in a service's settings fails this until max_connections
     * follows. Compose kept PostgreSQL's default, 100, for 184 connections (the fourth round's review, 4 December 2026).
     */
    @Test
    void postgresAcceptsEveryServicesPoolAtOnce() throws Exception {
        JsonNode services = resolved().get("services");
        Map<String, String> parameters = postgresParameters(services.get("postgres"));
        int maxConnections = Integer.parseInt(parameters.getOrDefault("max_connections", "100"));
        int reserved = Integer.parseInt(parameters.getOrDefault("superuser_reserved_connections", "3"))
                + Integer.parseInt(parameters.getOrDefault("reserved_connections", "0"));
        int needed = reserved + OTHER_SESSIONS;
        StringBuilder sum = new StringBuilder();
        for (String service : Repo.SERVICES) {
            JsonNode s = services.get(service);
            int instances = s.path("deploy").path("replicas").asInt(s.path("scale").asInt(1));
            JsonNode fromEnv = s.path("environment").path("QUARKUS_DATASOURCE_JDBC_MAX_SIZE");
            int pool = fromEnv.isMissingNode() || fromEnv.isNull() ? Repo.poolMaxSize(service)
                    : Integer.parseInt(fromEnv.asText().trim());
            int direct = Repo.DIRECT_CONNECTIONS.getOrDefault(service, 0);
            needed += instances * (pool + direct);
            sum.append(String.format("%n  %s: %d instance(s) x (%d pool + %d direct)", service, instances, pool, direct));
        }
        sum.append(String.format("%n  reserved %d + others %d", reserved, OTHER_SESSIONS));
        assertTrue(needed <= maxConnections, "PostgreSQL's max_connections " + maxConnections + " is below the " + needed
                + " connections the services may open at once:" + sum);
    }

    /** The server settings given on the postgres service's command line ({@code -c name=value}), as PostgreSQL reads them. */
    static Map<String, String> postgresParameters(JsonNode postgres) {
        List<String> args = new ArrayList<>();
        JsonNode command = postgres.path("command");
        if (command.isArray()) {
            command.forEach(a -> args.add(a.asText()));
        } else if (command.isTextual()) {
            args.addAll(List.of(command.asText().trim().split("\\s+")));
        }
        Map<String, String> parameters = new TreeMap<>();
        for (int i = 0; i < args.size(); i++) {
            String setting = args.get(i).equals("-c") && i + 1 < args.size() ? args.get(++i)
                    : args.get(i).startsWith("--") && args.get(i).contains("=") ? args.get(i).substring(2) : null;
            if (setting != null) {
                int eq = setting.indexOf('=');
                parameters.put(setting.substring(0, eq).trim().replace('-', '_'), setting.substring(eq + 1).trim());
            }
        }
        return parameters;
    }

    /**
     * The demo loads the 2020 report's cases, entities and a hold into the database and writes a case manager's
     * token to a volume: for a trial, not for the installation this file is the example of. It was on unless .env
     * turned it off (the fourth round's review, 4 December 2026). Now it is off unless .env turns it on, and the one
     * switch reaches every service ./platform gives a share of the demo to (deploy/local).
     */
    @Test
    void theDemoIsOffUnlessTheEnvFileTurnsItOn() throws Exception {
        List<String> withDemo = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            Path local = Repo.DEPLOY.resolve("local").resolve(service + ".properties");
            if (Files.exists(local) && Repo.read(local).lines().anyMatch(l -> l.replace(" ", "").equals("w4r.demo.enabled=true"))) {
                withDemo.add(service);
            }
        }
        assertTrue(withDemo.contains("case-service"), "./platform's demo: " + withDemo);
        JsonNode byDefault = resolved().get("services");
        for (String service : withDemo) {
            assertEquals("false", byDefault.get(service).path("environment").path("W4R_DEMO_ENABLED").asText(),
                    service + ": the demo is off with the example's settings");
        }
        JsonNode trial = resolvedWith("W4R_DEMO_ENABLED=true").get("services");
        for (String service : withDemo) {
            assertEquals("true", trial.get(service).path("environment").path("W4R_DEMO_ENABLED").asText(),
                    service + ": W4R_DEMO_ENABLED=true in .env turns its share of the demo on");
        }
    }

    /** The file as docker-compose resolves it with the example's settings, filled in, and {@code lines} added to them. */
    static JsonNode resolvedWith(String... lines) throws Exception {
        List<String> all = new ArrayList<>(filledExample());
        all.addAll(List.of(lines));
        String result = configWith(all);
        assertTrue(result.startsWith("0\n"), result);
        return Manifests.YAML.readTree(result.substring(2));
    }

    /**
     * Directories of a base image that user 185 owns and that neither image build puts files in, by base image (read
     * from rh-openjdk/redhat-openjdk-containers at tag ubi9-openjdk-containers-1.21: modules/run/configure.sh, which
     * the runtime image installs through jboss.container.java.jre.run, creates /deployments/data owned by 185 with
     * ug+rwX; its JAVA_DATA_DIR). Docker copies the owner and mode of the image's directory into a new named volume
     * mounted on it; on a path the image lacks, the volume is root's, 0755, and user 185 cannot write it.
     */
    static final Map<String, Set<String>> WRITABLE_BY_185 = Map.of(
            "registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21", Set.of("/deployments/data"));

    /**
     * Every named volume mounted into one of our images lands on a directory both images (Jib's and the Dockerfile's)
     * have, owned by the user the service runs as, and the demo's credentials file is in one, so case-service can
     * write it (and delete it when the demo is turned off). It was /deployments/state, which neither image has: with
     * the demo on, case-service failed at start, and again (a read-only review, 6 December 2026).
     */
    @Test
    void whatAServiceWritesGoesToAVolumeItsUserOwns() throws Exception {
        JsonNode services = resolvedWith("W4R_DEMO_ENABLED=true").get("services");
        int checked = 0;
        for (String service : Repo.DEPLOYED) {
            JsonNode s = services.get(service);
            String jibBase = Repo.setting(service, "quarkus.jib.base-jvm-image");
            String dockerfile = Repo.read(Repo.ROOT.resolve(service + "/src/main/docker/Dockerfile.jvm"));
            java.util.regex.Matcher from = java.util.regex.Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
            assertTrue(from.find(), service);
            assertEquals(jibBase, from.group(1), service + ": Jib's base and the Dockerfile's are the same image");
            assertEquals("185", Repo.setting(service, "quarkus.jib.user"), service);
            assertTrue(dockerfile.contains("\nUSER 185\n"), service);
            Set<String> writable = WRITABLE_BY_185.getOrDefault(jibBase, Set.of());
            List<String> mounted = new ArrayList<>();
            for (JsonNode volume : s.path("volumes")) {
                String source = volume.isObject() ? volume.path("source").asText() : volume.asText().split(":")[0];
                String target = volume.isObject() ? volume.path("target").asText() : volume.asText().split(":")[1];
                if (source.startsWith("/") || source.startsWith(".")) {
                    continue; // a file of this directory, read-only: not where a service writes
                }
                mounted.add(target);
                assertTrue(writable.contains(target), service + " mounts the volume " + source + " on " + target
                        + ", which its image (" + jibBase + ", user 185) does not have owned by 185: Docker makes the new "
                        + "volume root's (0755) and the service cannot write it; mount it on one of " + writable);
                for (String copy : dockerfile.lines().filter(l -> l.startsWith("COPY")).toList()) {
                    assertFalse(copy.matches(".*\\s" + java.util.regex.Pattern.quote(target) + "(/.*)?"),
                            service + ": the Dockerfile puts files in " + target + ", which the volume hides: " + copy);
                }
                checked++;
            }
            String credentials = s.path("environment").path("W4R_DEMO_CREDENTIALS_FILE").asText(null);
            if (credentials != null) {
                String dir = credentials.substring(0, credentials.lastIndexOf('/'));
                assertTrue(mounted.contains(dir), service + " writes the demo's credentials to " + credentials
                        + ", outside its volumes " + mounted + ": lost with the container, or on a root-owned path");
            }
        }
        assertTrue(services.get("case-service").path("environment").has("W4R_DEMO_CREDENTIALS_FILE") && checked > 0,
                "case-service keeps the demo's credentials in a volume");
    }

    /**
     * The compose Prometheus scrapes /q/metrics of the four services, and of nothing without metrics: the staff UI has
     * no Micrometer (its /q/metrics answers 404, a target down for ever), so a blackbox exporter probes its readiness
     * instead, labelled as the staff UI, and W4RServiceDown fires on that probe (the staff UI was in no alert: a read-only
     * review, 6 December 2026). The Kubernetes side is KubernetesManifestsTest.theStaffUiIsProbedNotScraped.
     */
    @Test
    void prometheusScrapesTheServicesAndProbesTheStaffUi() throws Exception {
        JsonNode services = resolved().get("services");
        JsonNode prometheus = Manifests.yaml(COMPOSE.resolve("prometheus.yml"));
        Set<String> scraped = new java.util.TreeSet<>();
        JsonNode probe = null;
        for (JsonNode job : prometheus.get("scrape_configs")) {
            List<String> targets = new ArrayList<>();
            job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
            if (job.path("metrics_path").asText("/metrics").equals("/q/metrics")) {
                targets.forEach(t -> scraped.add(t.substring(0, t.indexOf(':'))));
            } else if (job.path("metrics_path").asText().equals("/probe")) {
                probe = job;
                for (String target : targets) {
                    String prober = target.substring(0, target.indexOf(':'));
                    assertTrue(services.path(prober).path("image").asText().matches("prom/blackbox-exporter:v[0-9].*"),
                            "the probe job scrapes a pinned blackbox exporter: " + prober);
                }
            }
        }
        assertEquals(new java.util.TreeSet<>(List.of(Repo.SERVICES)), scraped,
                "/q/metrics of the four services and only them (the staff UI has none)");
        assertNotNull(probe, "a job probes the staff UI");
        assertEquals("http://" + Repo.UI + ":" + Repo.port(Repo.UI) + "/q/health/ready",
                probe.path("params").path("target").get(0).asText(), "the probe asks the staff UI's readiness");
        assertEquals("http_2xx", probe.path("params").path("module").get(0).asText());
        assertEquals(Repo.UI, probe.path("static_configs").get(0).path("labels").path("service").asText(),
                "the probe's series are the staff UI's (service label), which W4RServiceDown reads");
        String down = Manifests.yaml(Repo.DEPLOY.resolve("monitoring/alerts.yml")).get("groups").get(0).get("rules")
                .findParents("alert").stream().filter(r -> r.get("alert").asText().equals("W4RServiceDown")).findFirst()
                .orElseThrow().get("expr").asText().replaceAll("\\s+", "");
        assertTrue(down.contains("probe_success{service=\"" + Repo.UI + "\"}==0"), "W4RServiceDown fires when the probe fails: " + down);
        assertTrue(down.contains("up{service=\"" + Repo.UI + "\"}==0"), "and when the probe is not scraped: " + down);
    }

    @Test
    void imagesRunAsAnotherUserThanRootOnAPinnedBase() {
        for (String service : Repo.DEPLOYED) {
            String dockerfile = Repo.read(Repo.ROOT.resolve(service + "/src/main/docker/Dockerfile.jvm"));
            assertTrue(dockerfile.lines().anyMatch(l -> l.matches("FROM [^:\\s]+:[0-9][^\\s]*")), service + ": pinned base");
            assertTrue(dockerfile.lines().anyMatch(l -> l.matches("USER [1-9][0-9]*")), service + ": not root");
            assertTrue(dockerfile.contains("EXPOSE " + Repo.port(service)), service);
        }
    }

    /**
     * Jib's image, the Dockerfile's and ./platform (which the bench measures) start the JVM with the same options, the
     * garbage collector named in each: left to itself the JVM picks by the machine's size (serial in a pod of under
     * 1792 MB, G1 on a larger machine) and run-java.sh adds its own choice, so the three would run three collectors.
     * Both images start through the base image's run-java.sh: the Dockerfile by its ENTRYPOINT, Jib because Quarkus
     * 3.33's JibProcessor ({@link #JIB_RUN_JAVA_BASES}) makes it the entrypoint and passes the arguments in
     * JAVA_OPTS_APPEND. run-java.sh puts GC_CONTAINER_OPTIONS (the parallel collector when unset) before them, so
     * each image must be given the variables run-java.sh reads, the same in both: until a read-only review (6 December
     * 2026) only the Dockerfile had them, and the JVM of every image Jib built refused to start with two collectors.
     */
    @Test
    void everyWayOfStartingAServiceRunsTheSameJvmOptions() {
        String platformScript = Repo.read(Repo.ROOT.resolve("platform"));
        String serviceStart = platformScript.lines().filter(l -> l.contains("start_process \"$name\""))
                .findFirst().orElseThrow(() -> new AssertionError("./platform starts no service"));
        for (String service : Repo.DEPLOYED) {
            List<String> additional = List.of(Repo.setting(service, "quarkus.jib.jvm-additional-arguments").split(","));
            List<String> collectors = additional.stream().filter(o -> o.matches("-XX:\\+Use\\w+GC")).toList();
            assertEquals(1, collectors.size(), service + ": one collector named in " + additional);
            String collector = collectors.get(0);

            // what Jib puts in JAVA_OPTS_APPEND: quarkus.jib.jvm-arguments (its default when unset), then the additional
            String jvmArguments = Repo.setting(service, "quarkus.jib.jvm-arguments");
            List<String> jib = new ArrayList<>(List.of((jvmArguments == null ? JIB_DEFAULT_JVM_ARGUMENTS : jvmArguments).split(",")));
            jib.addAll(additional);
            String base = Repo.setting(service, "quarkus.jib.base-jvm-image");
            assertTrue(base != null && JIB_RUN_JAVA_BASES.stream().anyMatch(base::startsWith)
                            && Repo.setting(service, "quarkus.jib.jvm-entrypoint") == null,
                    service + ": Jib's image starts through run-java.sh, as the Dockerfile's does (base " + base + ")");

            String dockerfile = Repo.read(Repo.ROOT.resolve(service + "/src/main/docker/Dockerfile.jvm"));
            assertTrue(dockerfile.contains("ENTRYPOINT [ \"/opt/jboss/container/java/run/run-java.sh\" ]"), service);
            // the same options, whatever their order: none of them overrides another (the -D is Jib's default, given twice)
            assertEquals(new java.util.TreeSet<>(jib), new java.util.TreeSet<>(List.of(env(dockerfile, "JAVA_OPTS_APPEND").split(" "))),
                    service + ": Dockerfile and Jib");
            // run-java.sh adds GC_CONTAINER_OPTIONS before ours (two collectors and the JVM refuses to start), and its
            // heap-sizing flags whatever the collector: G1's own defaults, in both images
            assertEquals(collector, env(dockerfile, "GC_CONTAINER_OPTIONS"), service + ": run-java.sh's own collector");
            assertEquals("-XX:+UseG1GC", collector, "the heap-sizing defaults below are G1's");
            assertEquals(List.of("40", "70", "12"), List.of(env(dockerfile, "GC_MIN_HEAP_FREE_RATIO"),
                    env(dockerfile, "GC_MAX_HEAP_FREE_RATIO"), env(dockerfile, "GC_TIME_RATIO")), service);
            // every variable run-java.sh reads (GC_*, JAVA_* but the jar's place, which is each image's own layout) the
            // same in Jib's image as in the Dockerfile's, both ways
            Map<String, String> dockerEnv = new TreeMap<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ENV ((?:GC|JAVA)_\\w+)=\"([^\"]*)\"").matcher(dockerfile);
            while (m.find()) {
                dockerEnv.put(m.group(1), m.group(2));
            }
            dockerEnv.keySet().removeAll(Set.of("JAVA_APP_JAR", "JAVA_OPTS_APPEND"));
            Map<String, String> jibEnv = new TreeMap<>(Repo.settingsUnder(service, "quarkus.jib.environment-variables."));
            jibEnv.keySet().removeIf(k -> !k.matches("(?:GC|JAVA)_\\w+"));
            assertEquals(dockerEnv, jibEnv, service + ": the variables run-java.sh reads, in the Dockerfile (ENV) and in "
                    + "Jib's image (quarkus.jib.environment-variables): without GC_CONTAINER_OPTIONS run-java.sh names "
                    + "-XX:+UseParallelGC before " + collector + " and the JVM refuses to start");
            assertTrue(serviceStart.contains(" " + collector + " "), "./platform: " + serviceStart);
        }
    }

    /**
     * Base images for which Quarkus 3.33's JibProcessor starts the application through
     * /opt/jboss/container/java/run/run-java.sh (its containsRunJava), unless quarkus.jib.jvm-entrypoint is set; the
     * arguments then go to JAVA_OPTS_APPEND (createContainerBuilderFromFastJar, read from the 3.33.2 jar).
     */
    static final List<String> JIB_RUN_JAVA_BASES = List.of("registry.access.redhat.com/ubi8/openjdk-17-runtime",
            "registry.access.redhat.com/ubi8/openjdk-21-runtime", "registry.access.redhat.com/ubi9/openjdk-17-runtime",
            "registry.access.redhat.com/ubi9/openjdk-21-runtime");
    /** quarkus.jib.jvm-arguments when unset ({@code @WithDefault} in Quarkus 3.33's ContainerImageJibConfig). */
    static final String JIB_DEFAULT_JVM_ARGUMENTS = "-Djava.util.logging.manager=org.jboss.logmanager.LogManager";

    /** The value of {@code ENV name="value"} in a Dockerfile. */
    static String env(String dockerfile, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ENV " + name + "=\"([^\"]*)\"").matcher(dockerfile);
        assertTrue(m.find(), "ENV " + name);
        return m.group(1);
    }
}

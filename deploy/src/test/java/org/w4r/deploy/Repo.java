package org.w4r.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Files of the repository the deployment files must agree with: the services' own configuration above all. */
final class Repo {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final String[] SERVICES = {"case-service", "petition-service", "tally-service", "delivery-service"};
    /** The staff UI: deployed like a service, but with no database, no Kafka and no secret (docs/staff-ui.md). */
    static final String UI = "staff-ui";
    /** Everything deployed from this repository's modules: the four services and the staff UI. */
    static final String[] DEPLOYED = {"case-service", "petition-service", "tally-service", "delivery-service", UI};

    private Repo() {
    }

    /** A service's application.properties, profile-prefixed (%test.) lines left out. */
    static Map<String, String> settings(String service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(service + "/src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> settings = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (!k.toString().startsWith("%")) {
                settings.put(k.toString(), v.toString());
            }
        });
        return settings;
    }

    /**
     * Seconds a service may take to stop gracefully, from service-kit's settings every service inherits: readiness down
     * and serving for {@code quarkus.shutdown.delay}, in-flight requests for up to {@code quarkus.shutdown.timeout},
     * and 20 s for the shutdown observers (the signature writers' 2 x 5 s, the outbox relay's 10 s, the producer's 5 s
     * close: docs/operations.md).
     */
    static long gracefulStopSeconds() {
        Properties kit = new Properties();
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("service-kit/src/main/resources/META-INF/microprofile-config.properties"))) {
            kit.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return java.time.Duration.parse("PT" + kit.getProperty("quarkus.shutdown.delay")).toSeconds()
                + java.time.Duration.parse("PT" + kit.getProperty("quarkus.shutdown.timeout")).toSeconds() + 20;
    }

    /**
     * The most connections a service's datasource pool opens in production, from its settings as Quarkus reads them:
     * {@code %prod.} before the plain key, the service's application.properties before service-kit's
     * microprofile-config.properties (ordinal 250 over 100), then Quarkus' own default. An environment variable
     * set on the Deployment wins over all of them: the caller looks there first.
     */
    static int poolMaxSize(String service) {
        String value = setting(service, "quarkus.datasource.jdbc.max-size");
        return value == null ? QUARKUS_DEFAULT_POOL_MAX_SIZE : Integer.parseInt(value.trim());
    }

    /**
     * A setting as Quarkus reads it in production: {@code %prod.} before the plain key, the service's
     * application.properties before service-kit's microprofile-config.properties (ordinal 250 over 100); null where
     * neither sets it.
     */
    static String setting(String service, String key) {
        for (Path file : settingsFiles(service)) {
            Properties properties = properties(file);
            String value = properties.getProperty("%prod." + key, properties.getProperty(key));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static Properties properties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    /**
     * The files a service's settings come from, the first winning: its application.properties, then service-kit's
     * microprofile-config.properties, which the staff UI does not have (it has no service-kit: docs/staff-ui.md).
     */
    static List<Path> settingsFiles(String service) {
        Path own = ROOT.resolve(service + "/src/main/resources/application.properties");
        return service.equals(UI) ? List.of(own)
                : List.of(own, ROOT.resolve("service-kit/src/main/resources/META-INF/microprofile-config.properties"));
    }

    /**
     * Every setting under a prefix as Quarkus reads it in production (the service's application.properties over
     * service-kit's, but for the staff UI; {@code %prod.} over the plain key), keyed by what follows the prefix.
     */
    static Map<String, String> settingsUnder(String service, String prefix) {
        Map<String, String> found = new TreeMap<>();
        for (Path file : settingsFiles(service)) {
            Properties properties = properties(file);
            for (String key : properties.stringPropertyNames()) {
                String plain = key.startsWith("%prod.") ? key.substring("%prod.".length()) : key;
                if (plain.startsWith(prefix) && !key.startsWith("%") || key.startsWith("%prod." + prefix)) {
                    found.putIfAbsent(plain.substring(prefix.length()).replace("\"", ""), setting(service, plain));
                }
            }
        }
        return found;
    }

    /**
     * quarkus.datasource.jdbc.max-size when nothing sets it: 50 in Quarkus 3.33 ({@code @WithDefault("50")} on
     * quarkus-agroal's DataSourceJdbcRuntimeConfig.maxSize), not the 20 of older releases. Change it with Quarkus.
     */
    static final int QUARKUS_DEFAULT_POOL_MAX_SIZE = 50;

    /**
     * Sessions a service opens outside its pool, per instance: tally-service's DirectConnections (its LISTEN for the
     * live totals, and the reconcile's lock).
     */
    static final Map<String, Integer> DIRECT_CONNECTIONS = Map.of("tally-service", 2);

    static int port(String service) {
        return Integer.parseInt(settings(service).get("quarkus.http.port"));
    }

    /**
     * Environment variables a service cannot start without: every {@code ${VAR}} with no default in its settings
     * (the HMAC key, say). Others it needs in any real deployment are listed by the tests themselves.
     */
    static java.util.Set<String> requiredVariables(String service) {
        java.util.Set<String> vars = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(
                String.join("\n", settings(service).values()));
        while (m.find()) {
            vars.add(m.group(1));
        }
        return vars;
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.w4r.faults;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * One instance of a packaged service (target/quarkus-app/quarkus-run.jar) as its own process on a port of its own,
 * which the suite can kill (SIGKILL) and start again on the same port with the same settings, as an orchestrator
 * restarts a crashed pod. platform-it's ServiceProcess starts a process once; this one is restarted, so it keeps
 * what it was started with.
 */
final class ServiceInstance {
    final String service;
    final String name;
    final int port = KafkaCluster.freePort();
    private final Path jar;
    private final Map<String, String> settings;
    private final Map<String, String> env;
    private final Path log;
    private volatile Process process;

    ServiceInstance(Path root, String service, String name, Map<String, String> settings, Map<String, String> env) {
        this.service = service;
        this.name = name;
        this.jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run './mvnw verify' from the root so it is packaged first");
        }
        this.settings = settings;
        this.env = env;
        this.log = root.resolve("platform-faults/target/" + name + ".log");
    }

    void start() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx320m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-Dquarkus.http.port=" + port));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
    }

    String url() {
        return "http://localhost:" + port;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /**
     * Starts it and waits until ready; a start that fails (on a loaded two-core machine a database connection can
     * miss the pool's 2 s acquisition timeout during migration) is tried again, as an orchestrator restarts a pod.
     */
    void startAndAwait() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                awaitReady();
                return;
            } catch (IllegalStateException | org.awaitility.core.ConditionTimeoutException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("[fault-suite] " + name + " did not start (" + e.getMessage() + "); starting it again");
                if (alive()) {
                    process.destroyForcibly();
                }
                start();
            }
        }
    }

    void awaitReady() {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            return ready();
        });
    }

    boolean ready() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/q/health/ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** kill -9: no shutdown hook, no graceful close of anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** kill -9 without waiting for it: the end of the suite, or a failed start. */
    void destroy() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

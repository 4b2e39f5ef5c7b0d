package org.w4r.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One packaged service (target/quarkus-app/quarkus-run.jar) running as its own process, as ./platform runs it. */
final class ServiceProcess implements AutoCloseable {
    /**
     * C1 only, as platform-faults' instances: five service JVMs, the test JVM and a browser share two cores, and C2's
     * compiler threads competed with the services for them all suite long. The platform started in 27 s instead of 41
     * (`-Dit.test=QuickStartIT`, twice each, 4 December 2026). A test harness choice: `./platform` and the images keep
     * the full JIT, which the bench measures. C1 alone reserves a 48 MB code cache (tiered: 240 MB); one that fills
     * fails whatever next needs an adapter, so the size is given back (the root pom's argLine says where it was seen).
     */
    static final List<String> JIT = List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m");

    final String name;
    final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(Path root, String name, Map<String, String> settings, Map<String, String> env)
            throws IOException {
        return start(root, name, name, settings, env);
    }

    /** As above, logging to target/{@code logName}.log: a second process of one service keeps its own log. */
    static ServiceProcess start(Path root, String name, String logName, Map<String, String> settings,
                                Map<String, String> env) throws IOException {
        Path jar = root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run './mvnw verify' from the root so it is packaged first");
        }
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m"));
        command.addAll(JIT);
        command.add("-Dquarkus.http.port=" + port);
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = root.resolve("platform-it/target/" + logName + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ServiceProcess(name, port, builder.start(), log);
    }

    String url() {
        return "http://localhost:" + port;
    }

    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + tail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/q/health/ready").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; log:\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGTERM, as an orchestrator stops a pod or a container: the graceful stop, not waited for here. */
    void terminate() {
        process.destroy();
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** kill -9: no shutdown hook, no graceful close of anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        // the graceful stop: readiness down and serving 5 s, in-flight requests, then the shutdown observers
        if (!process.waitFor(45, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

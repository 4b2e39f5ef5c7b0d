package org.w4r.replay;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What one step cost the platform: CPU per process and rows written per table, read before the step and once the
 * platform has finished the step's work. That is when PostgreSQL's row counters have stopped moving for longer
 * than an idle backend may keep its own ({@link Settle}); the CPU reading kept is the one taken when they last
 * moved, so the quiet wait itself is not counted. Without a database, the reading right after the step.
 */
final class Costs implements AutoCloseable {
    /** One step's costs. {@code tables} and {@code databaseBytes} are empty when no database was read. */
    record Step(Map<String, Long> cpuTicks, double ticksPerSecond, double seconds, double benchCpuSeconds,
                List<PgStats.TableDelta> tables, Map<String, Long> databaseBytes, boolean settled, double settleSeconds) {
        double cpuSeconds(String process) {
            return cpuTicks.getOrDefault(process, 0L) / ticksPerSecond;
        }

        double platformCpuSeconds() {
            return cpuTicks.values().stream().mapToLong(Long::longValue).sum() / ticksPerSecond;
        }

        long rowsWritten() {
            return tables.stream().mapToLong(PgStats.TableDelta::written).sum();
        }

        long bytesGrown() {
            return databaseBytes.values().stream().mapToLong(Long::longValue).sum();
        }

        boolean hasDatabase() {
            return !databaseBytes.isEmpty();
        }
    }

    /** Before a step: the readings the step's costs are counted from. */
    record Start(PlatformCpu.Sample cpu, PgStats.Snapshot db, double benchCpuSeconds) {
    }

    private final PlatformCpu cpu;
    private final PgStats db; // null: no database reachable, row figures are left out
    private final double ticksPerSecond;
    private final Duration quiet, timeout;
    private final PrintStream out;
    /** What the messages are printed as: "bench" or "replay". */
    private final String who;

    Costs(PlatformCpu cpu, PgStats db, Duration quiet, Duration timeout, String who, PrintStream out) {
        this.who = who;
        this.cpu = cpu;
        this.db = db;
        this.ticksPerSecond = PlatformCpu.ticksPerSecond();
        this.quiet = quiet;
        this.timeout = timeout;
        this.out = out;
    }

    /**
     * Where {@code ./platform} keeps its pid files and which PostgreSQL it uses (it exports PGHOST, PGPORT and PGUSER):
     * the options the bench and the replay read costs with, and their defaults.
     */
    static Map<String, String> options() {
        return Map.of("run-dir", ".platform/run", "databases", Bench.DATABASES,
                "pg-url", "jdbc:postgresql://" + env("PGHOST", "127.0.0.1") + ":" + env("PGPORT", "5432") + "/",
                "pg-user", env("PGUSER", "postgres"), "stats-quiet", String.valueOf(PgStats.FLUSH_IDLE_SECONDS + 2),
                "stats-timeout", "120");
    }

    /** {@link #open} with the {@link #options()} given; {@code --databases none} reads no database. */
    static Costs open(Args a, String who, PrintStream out) {
        List<String> databases = a.get("databases").equals("none") ? List.of() : List.of(a.get("databases").split(","));
        return open(Path.of("/proc"), Path.of(a.get("run-dir")), a.get("pg-url"), databases, a.get("pg-user"),
                System.getenv("PGPASSWORD"), Duration.ofSeconds(a.number("stats-quiet")),
                Duration.ofSeconds(a.number("stats-timeout")), who, out);
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /**
     * The platform's processes and databases as this machine shows them; what cannot be reached is said on
     * {@code out} and left out of the figures, never guessed.
     */
    static Costs open(Path proc, Path runDir, String pgUrl, List<String> databases, String pgUser, String pgPassword,
                      Duration quiet, Duration timeout, String who, PrintStream out) {
        PgStats db = null;
        OptionalInt backend = OptionalInt.empty();
        if (!databases.isEmpty()) {
            try {
                db = new PgStats(pgUrl, databases, pgUser, pgPassword);
                backend = db.backendPid();
            } catch (SQLException e) {
                if (db != null) {
                    db.close();
                    db = null;
                }
                out.println(who + ": no row or storage figures: cannot read " + databases + " at " + pgUrl + " as "
                        + pgUser + ": " + e.getMessage());
            }
        }
        PlatformCpu cpu = PlatformCpu.find(proc, runDir, backend);
        out.println(who + ": CPU counted for " + (cpu.tracked().isEmpty() ? "no process" : String.join(", ",
                cpu.tracked().stream().map(t -> t.name() + " (pid " + t.pid() + (t.name().equals(PlatformCpu.POSTGRESQL)
                        ? ", the postmaster, with every process of its cluster)" : ")")).toList())));
        cpu.notes().forEach(n -> out.println(who + ": " + n));
        if (db != null) {
            out.println(who + ": rows and storage counted in " + String.join(", ", databases));
            try {
                out.println(who + ": PostgreSQL autovacuum " + db.autovacuum() + " (the server's setting; the outbox "
                        + "has no dead rows: it is emptied by TRUNCATE)");
            } catch (SQLException e) {
                out.println(who + ": cannot read PostgreSQL's autovacuum setting: " + e.getMessage());
            }
        }
        return new Costs(cpu, db, quiet, timeout, who, out);
    }

    PlatformCpu cpu() {
        return cpu;
    }

    Start start() throws SQLException {
        return new Start(cpu.sample(), db == null ? null : db.snapshot(), Bench.ownCpuSeconds());
    }

    /** After a step against the ceiling: nothing of the platform's to wait for. */
    Step afterCeiling(Start start) {
        return step(start, cpu.sample(), Bench.ownCpuSeconds(), null, false, 0);
    }

    /** After a step against the platform: waits until its databases have written everything the step caused. */
    Step afterPlatform(Start start) throws SQLException, InterruptedException {
        if (db == null) {
            return afterCeiling(start);
        }
        long began = System.nanoTime();
        Settle settle = awaitQuiet();
        Settle.Reading at = settle.settled() ? settle.lastChange() : settle.latest();
        return step(start, at.cpu(), at.benchCpuSeconds(), settle.latest().db(), settle.settled(), (at.nanos() - began) / 1e9);
    }

    /**
     * Waits until the row counters are final (or the timeout passes, which is said): after the warm-up, so that no
     * write of it is counted in the first step, and after each step against the platform. Without a database to
     * watch, it waits a fixed {@code quiet} and says so: the platform's work may then not all be done. (Review of
     * 6 December 2026: it returned at once, so the warm-up's work fell into the first step's CPU figures.)
     */
    Settle awaitQuiet() throws SQLException, InterruptedException {
        Settle settle = new Settle(quiet.toNanos());
        if (db == null) {
            out.printf(who + ": the quiet wait could not watch the database (no connection to it): waiting a fixed %.1f s "
                    + "instead; work of the platform's still going after it counts in the next step's CPU%n", quiet.toMillis() / 1e3);
            Thread.sleep(quiet.toMillis());
            return settle;
        }
        long began = System.nanoTime();
        do {
            Thread.sleep(500);
            settle.offer(System.nanoTime(), db.snapshot(), cpu.sample(), Bench.ownCpuSeconds());
        } while (!settle.settled() && System.nanoTime() - began < timeout.toNanos());
        if (!settle.settled()) {
            out.printf(who + ": the databases' row counters still moved after %d s: the figures "
                    + "are what was written by then%n", timeout.toSeconds());
        }
        return settle;
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }

    private Step step(Start start, PlatformCpu.Sample after, double benchAfter, PgStats.Snapshot dbAfter,
                      boolean settled, double settleSeconds) {
        List<PgStats.TableDelta> tables = dbAfter == null ? List.of() : dbAfter.minus(start.db());
        Map<String, Long> bytes = dbAfter == null ? Map.of() : dbAfter.bytesMinus(start.db());
        return new Step(after.minus(start.cpu()), ticksPerSecond, (after.nanos() - start.cpu().nanos()) / 1e9,
                benchAfter - start.benchCpuSeconds(), tables, bytes, settled, settleSeconds);
    }

    /**
     * When the row counters are final: unchanged for longer than an idle backend may hold its own. The reading at
     * which they last changed is where the step's work ended, as near as the counters tell.
     */
    static final class Settle {
        record Reading(long nanos, PgStats.Snapshot db, PlatformCpu.Sample cpu, double benchCpuSeconds) {
        }

        private final long quietNanos;
        private Reading lastChange;
        private Reading latest;

        Settle(long quietNanos) {
            this.quietNanos = quietNanos;
        }

        Reading offer(long nanos, PgStats.Snapshot db, PlatformCpu.Sample cpu, double benchCpuSeconds) {
            Reading r = new Reading(nanos, db, cpu, benchCpuSeconds);
            if (latest == null || latest.db().writtenBesidesHeartbeats() != db.writtenBesidesHeartbeats() || !latest.db().tables().keySet().equals(db.tables().keySet())) {
                lastChange = r;
            }
            latest = r;
            return r;
        }

        boolean settled() {
            return latest != null && latest.nanos() - lastChange.nanos() >= quietNanos;
        }

        Reading lastChange() {
            return lastChange;
        }

        Reading latest() {
            return latest;
        }
    }
}

package org.w4r.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * CPU time of every process of the platform, read from {@code /proc}: the processes {@code ./platform} started (a
 * pid file each under {@code .platform/run/}, trusted only while that pid still runs with
 * {@code -Dw4r.process=<name>}, the check {@code ./platform status} makes) and the PostgreSQL cluster (the parent of
 * one of the bench's own backends is the postmaster). Each is counted with all its descendants: a process's own
 * time, what its reaped children cost (cutime, cstime: a PostgreSQL backend that exits moves there), and its live
 * children's. So the figure only grows, whichever backends come and go between two samples.
 */
final class PlatformCpu {
    static final String POSTGRESQL = "postgresql";

    record Tracked(String name, int pid) {
    }

    /** Clock ticks per process name at one moment. */
    record Sample(Map<String, Long> ticks, long nanos) {
        /** What each process spent since {@code before}; a process missing from either sample is left out. */
        Map<String, Long> minus(Sample before) {
            Map<String, Long> spent = new LinkedHashMap<>();
            ticks.forEach((name, t) -> {
                Long earlier = before.ticks.get(name);
                if (earlier != null) {
                    spent.put(name, t - earlier);
                }
            });
            return spent;
        }
    }

    private final Path proc;
    private final List<Tracked> tracked;
    private final List<String> notes;

    PlatformCpu(Path proc, List<Tracked> tracked, List<String> notes) {
        this.proc = proc;
        this.tracked = List.copyOf(tracked);
        this.notes = List.copyOf(notes);
    }

    /**
     * The platform's processes: one per pid file in {@code runDir} still running as itself, and the PostgreSQL
     * cluster that {@code postgresBackend} (a backend's pid, from {@code pg_backend_pid()}) belongs to.
     */
    static PlatformCpu find(Path proc, Path runDir, OptionalInt postgresBackend) {
        List<Tracked> tracked = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!Files.isDirectory(proc)) {
            return new PlatformCpu(proc, tracked, List.of("no " + proc + " (not Linux?): no CPU figures"));
        }
        if (Files.isDirectory(runDir)) {
            List<Path> pidFiles = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(runDir, "*.pid")) {
                files.forEach(pidFiles::add);
            } catch (IOException e) {
                notes.add("cannot list " + runDir + ": " + e.getMessage());
            }
            pidFiles.sort(null);
            for (Path file : pidFiles) {
                String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
                OptionalInt pid = pidIn(file);
                if (pid.isPresent() && commandLine(proc, pid.getAsInt()).contains("-Dw4r.process=" + name)) {
                    tracked.add(new Tracked(name, pid.getAsInt()));
                } else {
                    notes.add(name + ": " + file + " names no running -Dw4r.process=" + name + " (not counted)");
                }
            }
        } else {
            notes.add("no " + runDir + ": no service or Kafka process counted (is the platform up, and is this its directory?)");
        }
        if (postgresBackend.isPresent()) {
            Optional<ProcStat> backend = ProcStat.read(proc, postgresBackend.getAsInt());
            Optional<ProcStat> postmaster = backend.flatMap(b -> ProcStat.read(proc, b.ppid()));
            if (postmaster.isPresent() && postmaster.get().comm().startsWith("postgres")) {
                tracked.add(new Tracked(POSTGRESQL, postmaster.get().pid()));
            } else {
                notes.add(POSTGRESQL + ": backend " + postgresBackend.getAsInt()
                        + " is not a process of this machine (a remote server?): not counted");
            }
        } else {
            notes.add(POSTGRESQL + ": not reached, not counted");
        }
        return new PlatformCpu(proc, tracked, notes);
    }

    private static OptionalInt pidIn(Path file) {
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static String commandLine(Path proc, int pid) {
        try {
            return new String(Files.readAllBytes(proc.resolve(pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    List<Tracked> tracked() {
        return tracked;
    }

    List<String> notes() {
        return notes;
    }

    /** Every tracked process's CPU so far, with its descendants; one reading of the process table for all. */
    Sample sample() {
        if (tracked.isEmpty()) {
            return new Sample(Map.of(), System.nanoTime());
        }
        Map<Integer, List<ProcStat>> children = new HashMap<>();
        Map<Integer, ProcStat> byPid = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path entry : entries) {
                ProcStat.read(proc, Integer.parseInt(entry.getFileName().toString())).ifPresent(s -> {
                    byPid.put(s.pid(), s);
                    children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
                });
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + proc, e);
        }
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (Tracked t : tracked) {
            ProcStat root = byPid.get(t.pid());
            if (root != null) {
                ticks.put(t.name(), withDescendants(root, children));
            }
        }
        return new Sample(ticks, System.nanoTime());
    }

    private static long withDescendants(ProcStat p, Map<Integer, List<ProcStat>> children) {
        long sum = p.ticks();
        for (ProcStat child : children.getOrDefault(p.pid(), List.of())) {
            sum += withDescendants(child, children);
        }
        return sum;
    }

    /** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux we know, asked of getconf all the same. */
    static double ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor() == 0) {
                return Double.parseDouble(out);
            }
        } catch (IOException | NumberFormatException e) {
            // no getconf: the Linux default below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}

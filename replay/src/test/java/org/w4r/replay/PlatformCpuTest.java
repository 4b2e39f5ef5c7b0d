package org.w4r.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading {@code /proc}: the stat line's fields, which processes count as the platform's, and the sum over a
 * process and its descendants, on a process table written here (so a backend can be made to exit between two
 * samples), then on the machine's own.
 */
class PlatformCpuTest {
    @TempDir
    Path dir;

    @Test
    void aStatLineIsReadFromItsLastParenthesisWhateverTheCommandNameHolds() {
        ProcStat s = ProcStat.parse("4242 (postgres: w4r_tally (x) 127.0.0.1(5) idle) S 901 901 901 0 -1 4194560 "
                + "2718 0 0 0 1234 567 89 10 20 0 1 0 24446 227000000 3000 18446744073709551615 1 1 0 0 0 0");
        assertEquals(4242, s.pid());
        assertEquals("postgres: w4r_tally (x) 127.0.0.1(5) idle", s.comm());
        assertEquals(901, s.ppid());
        assertEquals(1234, s.utime());
        assertEquals(567, s.stime());
        assertEquals(89, s.cutime());
        assertEquals(10, s.cstime());
        assertEquals(1234 + 567 + 89 + 10, s.ticks());
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("4242 no parentheses S 1"));
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("4242 (java) S 1 2 3"));
    }

    @Test
    void aProcessCountsWithEveryDescendantAndABackendThatExitsMovesIntoItsParent() throws Exception {
        Path proc = dir.resolve("proc"), run = dir.resolve("run");
        Files.createDirectories(run);
        process(proc, 100, "java", 1, 500, 100, 0, 0, "java -Dw4r.process=petition-service -jar quarkus-run.jar");
        process(proc, 200, "postgres", 1, 50, 20, 30, 5, "/usr/lib/postgresql/15/bin/postgres -D /var/lib/x");
        process(proc, 201, "postgres: checkpointer", 200, 7, 3, 0, 0, "postgres: checkpointer");
        process(proc, 202, "postgres: w4r_tally 127.0.0.1(40000) idle", 200, 900, 100, 0, 0, "postgres: w4r_tally");
        process(proc, 203, "postgres: parallel worker", 202, 40, 0, 0, 0, "postgres: parallel worker");
        process(proc, 300, "bash", 1, 999, 999, 0, 0, "bash");
        Files.writeString(run.resolve("petition-service.pid"), "100\n");
        Files.writeString(run.resolve("tally-service.pid"), "300\n"); // a pid recycled by another program
        Files.writeString(run.resolve("kafka.pid"), "999\n"); // gone

        PlatformCpu cpu = PlatformCpu.find(proc, run, OptionalInt.of(202));
        assertEquals(List.of(new PlatformCpu.Tracked("petition-service", 100), new PlatformCpu.Tracked(PlatformCpu.POSTGRESQL, 200)),
                cpu.tracked());
        assertEquals(2, cpu.notes().size(), cpu.notes().toString());
        assertTrue(cpu.notes().stream().anyMatch(n -> n.startsWith("tally-service: ")), cpu.notes().toString());
        assertTrue(cpu.notes().stream().anyMatch(n -> n.startsWith("kafka: ")), cpu.notes().toString());

        PlatformCpu.Sample before = cpu.sample();
        assertEquals(Map.of("petition-service", 600L, PlatformCpu.POSTGRESQL, 105L + 10 + 1000 + 40), before.ticks());

        // the backend and its worker exit and are reaped: their time moves into the postmaster's cutime
        Files.walk(proc.resolve("203")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.walk(proc.resolve("202")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        process(proc, 200, "postgres", 1, 52, 20, 30 + 900 + 40, 5 + 100, "postgres");
        process(proc, 100, "java", 1, 530, 110, 0, 0, "java -Dw4r.process=petition-service");
        PlatformCpu.Sample after = cpu.sample();
        assertEquals(Map.of("petition-service", 40L, PlatformCpu.POSTGRESQL, 2L), after.minus(before),
                "only what was spent in between, though the backend is gone");
    }

    @Test
    void withoutAPostgreSQLBackendOnThisMachineItIsSaidAndNotCounted() throws Exception {
        Path proc = dir.resolve("proc");
        process(proc, 202, "bash", 1, 1, 1, 0, 0, "bash");
        process(proc, 1, "init", 0, 1, 1, 0, 0, "init");
        PlatformCpu cpu = PlatformCpu.find(proc, dir.resolve("absent"), OptionalInt.of(202));
        assertEquals(List.of(), cpu.tracked());
        assertTrue(cpu.notes().stream().anyMatch(n -> n.startsWith("postgresql: backend 202 is not a process of this machine")),
                cpu.notes().toString());
        assertTrue(cpu.notes().stream().anyMatch(n -> n.startsWith("no ")), cpu.notes().toString());
    }

    @Test
    void onThisMachineAProcessStartedAsOneOfThePlatformsIsFoundAndSampled() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        // a shell named as ./platform names its processes, that spends CPU until the kernel has counted some (a tick
        // is 10 ms), says so and then waits on its input without spending more
        Process child = new ProcessBuilder("sh", "-c", "set -- $(cat /proc/$$/stat | sed 's/.*) //'); "
                + "while [ $((${12} + ${13})) -lt 5 ]; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; "
                + "set -- $(cat /proc/$$/stat | sed 's/.*) //'); done; echo ready; while read line; do :; done",
                "-Dw4r.process=kafka").start();
        try {
            assertEquals("ready", new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream())).readLine());
            Files.writeString(run.resolve("kafka.pid"), child.pid() + "\n");
            PlatformCpu cpu = PlatformCpu.find(Path.of("/proc"), run, OptionalInt.empty());
            assertEquals(List.of(new PlatformCpu.Tracked("kafka", (int) child.pid())), cpu.tracked());
            PlatformCpu.Sample sample = cpu.sample();
            assertTrue(sample.ticks().containsKey("kafka"), sample.toString());
            // review of 6 December 2026: ">= 0" could not fail; the sample must be the process's own CPU as the
            // kernel reports it (an idle process with no child: utime + stime + cutime + cstime of its stat line)
            long own = ProcStat.read(Path.of("/proc"), (int) child.pid()).orElseThrow().ticks();
            assertTrue(own >= 5, "the shell spent " + own + " ticks");
            assertEquals(own, sample.ticks().get("kafka"), sample.toString());
            assertEquals(100, PlatformCpu.ticksPerSecond(), "USER_HZ on Linux");
        } finally {
            child.destroy();
            child.waitFor();
        }
    }

    private static void process(Path proc, int pid, String comm, int ppid, long utime, long stime, long cutime,
                                long cstime, String cmdline) throws Exception {
        Path p = proc.resolve(String.valueOf(pid));
        Files.createDirectories(p);
        Files.writeString(p.resolve("stat"), pid + " (" + comm + ") S " + ppid + " " + pid + " " + pid + " 0 -1 4194560 10 0 0 0 "
                + utime + " " + stime + " " + cutime + " " + cstime + " 20 0 1 0 100 1000 10 18446744073709551615");
        Files.writeString(p.resolve("cmdline"), cmdline.replace(' ', '\0') + "\0");
    }
}

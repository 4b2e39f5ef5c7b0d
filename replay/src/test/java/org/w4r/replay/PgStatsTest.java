package org.w4r.replay;

import org.junit.jupiter.api.Test;
import org.w4r.testsupport.PostgresServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The row and storage figures: the delta arithmetic and each table's fate on counters given here, when the counters
 * count as final, and then the whole on a real database written by a connection that stays open and idle, as a
 * service's pooled connections do (its counters reach pg_stat_user_tables only when it flushes them).
 */
class PgStatsTest {
    private static final long SECOND = 1_000_000_000L;

    private static PgStats.Snapshot snapshot(Map<String, Long> sizes, PgStats.Table... tables) {
        Map<String, PgStats.Table> byKey = new java.util.LinkedHashMap<>();
        for (PgStats.Table t : tables) {
            byKey.put(t.key(), t);
        }
        return new PgStats.Snapshot(byKey, sizes);
    }

    @Test
    void aStepIsWhatEachCounterGainedAndEachTableSaysWhatItKeeps() {
        PgStats.Snapshot before = snapshot(Map.of("w4r_petition", 10_000L, "w4r_tally", 5_000L),
                new PgStats.Table("w4r_petition", "signature", 1_000, 0, 0, 1_000, 80_000),
                new PgStats.Table("w4r_petition", "outbox", 1_000, 0, 990, 10, 16_000),
                new PgStats.Table("w4r_petition", "idempotency_key", 500, 0, 200, 300, 40_000),
                new PgStats.Table("w4r_tally", "tally", 10, 990, 0, 10, 8_000),
                new PgStats.Table("w4r_tally", "case_hold", 3, 0, 0, 3, 8_000));
        PgStats.Snapshot after = snapshot(Map.of("w4r_petition", 18_192L, "w4r_tally", 5_000L),
                new PgStats.Table("w4r_petition", "signature", 1_100, 0, 0, 1_100, 88_000),
                new PgStats.Table("w4r_petition", "outbox", 1_100, 0, 1_099, 1, 16_000),
                new PgStats.Table("w4r_petition", "idempotency_key", 600, 0, 200, 400, 48_000),
                new PgStats.Table("w4r_tally", "tally", 10, 1_090, 0, 10, 8_000),
                new PgStats.Table("w4r_tally", "case_hold", 3, 0, 0, 3, 8_000),
                new PgStats.Table("w4r_tally", "processed_event", 100, 0, 0, 100, 24_576)); // made during the step

        assertEquals(1_000 + 1_000 + 990 + 500 + 200 + 10 + 990 + 3, before.written());
        List<PgStats.TableDelta> d = after.minus(before);
        assertEquals(List.of(
                new PgStats.TableDelta("w4r_petition", "signature", 100, 0, 0, 100, 8_000, 1_100, 1_100, 0),
                new PgStats.TableDelta("w4r_petition", "outbox", 100, 0, 109, -9, 0, 1, 1_100, 1_099),
                new PgStats.TableDelta("w4r_petition", "idempotency_key", 100, 0, 0, 100, 8_000, 400, 600, 200),
                new PgStats.TableDelta("w4r_tally", "tally", 0, 100, 0, 0, 0, 10, 10, 0),
                new PgStats.TableDelta("w4r_tally", "case_hold", 0, 0, 0, 0, 0, 3, 3, 0),
                new PgStats.TableDelta("w4r_tally", "processed_event", 100, 0, 0, 100, 24_576, 100, 100, 0)), d);
        assertEquals(List.of("kept", "pruned", "pruned later", "updated", "-", "kept"),
                d.stream().map(PgStats.TableDelta::fate).toList());
        assertEquals(List.of(100L, 209L, 100L, 100L, 0L, 100L), d.stream().map(PgStats.TableDelta::written).toList());
        assertEquals(Map.of("w4r_petition", 8_192L, "w4r_tally", 0L), after.bytesMinus(before));
        // a queue that has not yet sent its last tenth is still a queue; one that has sent less is not
        assertEquals("pruned", new PgStats.TableDelta("d", "outbox", 100, 0, 90, 10, 0, 10, 100, 90).fate());
        assertEquals("pruned later", new PgStats.TableDelta("d", "outbox", 100, 0, 89, 11, 0, 11, 100, 89).fate());
    }

    @Test
    void theCountersAreFinalOnceTheyHaveNotMovedForTheQuietTimeAndTheStepEndsWhereTheyLastMoved() {
        Costs.Settle settle = new Costs.Settle(12 * SECOND);
        PgStats.Table t = new PgStats.Table("d", "t", 0, 0, 0, 0, 0);
        PgStats.Snapshot empty = snapshot(Map.of(), t);
        PgStats.Snapshot some = snapshot(Map.of(), new PgStats.Table("d", "t", 5, 0, 0, 5, 0));
        PgStats.Snapshot more = snapshot(Map.of(), new PgStats.Table("d", "t", 5, 2, 1, 4, 0));
        PlatformCpu.Sample cpu = new PlatformCpu.Sample(Map.of(), 0);
        settle.offer(0, empty, cpu, 0);
        assertFalse(settle.settled());
        settle.offer(SECOND, some, cpu, 1);
        settle.offer(10 * SECOND, some, cpu, 2); // an idle backend may hold its counters this long…
        assertFalse(settle.settled());
        settle.offer(11 * SECOND, more, cpu, 3); // …and then flush them
        settle.offer(22 * SECOND, more, cpu, 4);
        assertFalse(settle.settled(), "11 s quiet is not 12");
        settle.offer(23 * SECOND, more, cpu, 5);
        assertTrue(settle.settled());
        assertEquals(11 * SECOND, settle.lastChange().nanos());
        assertEquals(3, settle.lastChange().benchCpuSeconds());
        assertEquals(23 * SECOND, settle.latest().nanos());

        Costs.Settle newTable = new Costs.Settle(SECOND);
        newTable.offer(0, empty, cpu, 0);
        newTable.offer(SECOND, snapshot(Map.of(), t, new PgStats.Table("d", "u", 0, 0, 0, 0, 0)), cpu, 0);
        assertFalse(newTable.settled(), "a table made meanwhile is a change, though nothing was written");
    }

    @Test
    void aHeartbeatThatGoesOnWhateverTheLoadNeverHoldsTheWaitButItsRowsAreCounted() {
        Costs.Settle settle = new Costs.Settle(12 * SECOND);
        PgStats.Table work = new PgStats.Table("w4r_petition", "signature", 100, 0, 0, 100, 0);
        PlatformCpu.Sample cpu = new PlatformCpu.Sample(Map.of(), 0);
        settle.offer(0, snapshot(Map.of(), work, heartbeat(1)), cpu, 0);
        for (int s = 1; s <= 12; s++) { // petition-service's instance heartbeat, every 10 s here every second
            settle.offer(s * SECOND, snapshot(Map.of(), work, heartbeat(1 + s)), cpu, s);
        }
        assertTrue(settle.settled(), "only the heartbeat moved for 12 s");
        assertEquals(0, settle.lastChange().nanos());
        assertEquals(113, settle.latest().db().written(), "its rows still count");

        Costs.Settle busy = new Costs.Settle(12 * SECOND);
        busy.offer(0, snapshot(Map.of(), work), cpu, 0);
        busy.offer(12 * SECOND, snapshot(Map.of(), new PgStats.Table("w4r_petition", "signature", 101, 0, 0, 101, 0)), cpu, 0);
        assertFalse(busy.settled(), "any other table is the step's work");
    }

    private static PgStats.Table heartbeat(long updated) {
        return new PgStats.Table("w4r_petition", "rate_limit_instance", 0, updated, 0, 1, 0);
    }

    /**
     * Review of 6 December 2026: with no database to watch (--databases none, or no connection), the wait after the
     * warm-up returned at once, so the warm-up's work fell into the first step's CPU figures, unsaid.
     */
    @Test
    void withoutADatabaseToWatchTheQuietWaitWaitsAFixedTimeAndSaysSo() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (Costs costs = Costs.open(Path.of("/proc"), Path.of("no-run-dir"), "jdbc:postgresql://127.0.0.1:1/", List.of(),
                "nobody", null, Duration.ofMillis(600), Duration.ofSeconds(5), "bench", out)) {
            long began = System.nanoTime();
            costs.awaitQuiet();
            long waitedMs = (System.nanoTime() - began) / 1_000_000;
            assertTrue(waitedMs >= 600, "waited " + waitedMs + " ms, not the fixed 600");
        }
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("the quiet wait could not watch the database"),
                printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRealDatabaseWrittenByAnIdleConnectionIsCountedExactlyOnceItsCountersAreFlushed() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String url = server.createDatabase("bench_stats");
        String db = url.substring(url.lastIndexOf('/') + 1);
        String base = url.substring(0, url.lastIndexOf('/') + 1);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (Connection service = PostgresServer.connect(url, server.username(), server.password());
             Statement s = service.createStatement()) {
            s.execute("create table signature (id bigint primary key, name text)");
            s.execute("create table outbox (id bigint primary key, payload text)");
            s.execute("create table outbox_0 (id bigint primary key, payload text)"); // as service-kit's partitions
            try (Costs costs = Costs.open(Path.of("/proc"), dir(), base, List.of(db), server.username(), server.password(),
                    Duration.ofSeconds(PgStats.FLUSH_IDLE_SECONDS + 2), Duration.ofSeconds(60), "replay", out)) {
                Costs.Start start = costs.start(); // new tables: nothing counted yet, nothing to wait for
                for (int i = 0; i < 50; i++) { // each action: a row kept, and one queued and sent
                    s.execute("insert into signature values (" + i + ", 'x')");
                    s.execute("insert into outbox values (" + i + ", 'e')");
                    s.execute("delete from outbox where id = " + i);
                    s.execute("insert into outbox_0 values (" + i + ", 'e')");
                }
                s.execute("truncate outbox_0");
                s.execute("update signature set name = 'y' where id < 5");
                // the connection stays open and idle: its last counters arrive up to 10 s later
                Costs.Step step = costs.afterPlatform(start);
                String said = printed.toString(StandardCharsets.UTF_8);
                assertTrue(step.settled(), said);
                assertEquals(50 + 50 + 50 + 50 + 5, step.rowsWritten(), said);
                Map<String, PgStats.TableDelta> byTable = new java.util.HashMap<>();
                step.tables().forEach(t -> byTable.put(t.table(), t));
                assertEquals(new PgStats.TableDelta(db, "signature", 50, 5, 0, 50, byTable.get("signature").bytesDelta(), 50, 50, 0),
                        byTable.get("signature"));
                assertEquals("kept", byTable.get("signature").fate());
                assertEquals(50, byTable.get("outbox").inserted());
                assertEquals(50, byTable.get("outbox").deleted());
                assertEquals("pruned", byTable.get("outbox").fate());
                assertEquals(50, byTable.get("outbox_0").inserted());
                assertEquals(0, byTable.get("outbox_0").deleted(), "TRUNCATE deletes no row");
                assertEquals("truncated", byTable.get("outbox_0").fate());
                assertTrue(step.databaseBytes().containsKey(db), step.databaseBytes().toString());
                assertTrue(step.cpuTicks().containsKey(PlatformCpu.POSTGRESQL), said);
                assertTrue(said.contains("replay: CPU counted for") && said.contains("postgresql (pid "), said);
                // what ./platform replay prints of it, per action (here, per one of the 50)
                String table = ReplayCosts.table(step, 50);
                assertTrue(table.contains("cost per action acknowledged (50 actions;") && table.contains(
                        "until the databases' writes settled"), table);
                assertTrue(java.util.regex.Pattern.compile("(?m)^" + db + " +signature +55 +1\\.100$").matcher(table).find(), table);
                assertTrue(java.util.regex.Pattern.compile("(?m)^" + db + " +outbox +100 +2\\.000$").matcher(table).find(), table);
                assertTrue(java.util.regex.Pattern.compile("(?m)^all +205 +4\\.100$").matcher(table).find(), table);
                double pgSeconds = step.cpuSeconds(PlatformCpu.POSTGRESQL);
                assertTrue(java.util.regex.Pattern.compile("(?m)^postgresql +" + java.util.regex.Pattern.quote(
                        String.format("%.1f", pgSeconds)) + " +" + java.util.regex.Pattern.quote(String.format("%.4f",
                        pgSeconds * 1000 / 50)) + "$").matcher(table).find(), table);
                assertTrue(table.contains("replay tool (this process)"), table);
            }
        } finally {
            server.dropDatabase(url);
        }
    }

    private Path dir() {
        return Path.of("target", "no-run-dir");
    }
}

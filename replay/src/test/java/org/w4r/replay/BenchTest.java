package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.PostgresServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench from its command line to its table, against a stand-in for the three services (the replay is their
 * client) and the in-JVM broker for its ceiling endpoint. What it reports is checked against what the stand-in saw
 * and answered; how fast anything was is not checked.
 */
class BenchTest {
    @TempDir
    Path dir;

    private Path credentials() throws Exception {
        Path file = dir.resolve("credentials.csv");
        Files.writeString(file, """
                principal,role,entity_id,token
                demo-case-manager,case-manager,,token-case-manager
                demo-coordinator,coordinator,,token-coordinator
                ai-france,entity,ai-france,token-ai-france
                international-members,entity,international-members,token-international-members
                """);
        return file;
    }

    @Test
    void eachRateIsReportedWithTheCountsThePlatformAnswered() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code;
        try (FakePlatform platform = new FakePlatform()) {
            code = Bench.run(List.of("--rates", "40,20", "--duration", "1", "--warmup", "0.5", "--connections", "4",
                    "--kafka", KafkaBroker.bootstrapServers(), "--credentials", credentials().toString(), "--run-id", "t1",
                    "--petition", platform.url(), "--tally", platform.url(), "--cases", platform.url(),
                    "--databases", "none", "--run-dir", dir.resolve("no-run").toString(), "--report-dir", dir.toString(),
                    "--retry-backoff-ms", "10", "--stats-quiet", "1"),
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            String out = printed.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, out);
            assertTrue(platform.campaignCloses.containsKey("bench-t1"), "the bench's own campaign");
            assertEquals(Report2020.cases().stream().map(c -> "bt1-" + c[0]).toList(), platform.activeCases);

            List<String[]> rows = out.lines().filter(l -> l.startsWith("ceiling ") || l.startsWith("platform "))
                    .map(l -> l.trim().split("\\s+")).toList();
            assertEquals(4, rows.size(), out);
            double[] rates = {40, 20};
            for (int i = 0; i < rates.length; i++) {
                int requests = Schedule.of("constant", rates[i], 1).size();
                String caseId = "bt1-" + Report2020.cases().get(i + 1)[0];
                String[] ceiling = rows.get(2 * i), ours = rows.get(2 * i + 1);
                assertEquals("ceiling", ceiling[0]);
                assertEquals(List.of("constant", String.valueOf((int) rates[i]), String.valueOf(requests),
                        String.valueOf(requests), "0"), Arrays.asList(ceiling).subList(1, 6), "the ceiling takes all");

                long accepted = IntStream.range(0, requests).filter(n -> FakePlatform.statusFor(n) == 202).count();
                assertEquals("platform", ours[0]);
                assertEquals(List.of("constant", String.valueOf((int) rates[i]), String.valueOf(requests),
                        String.valueOf(accepted), String.valueOf(requests - accepted)),
                        Arrays.asList(ours).subList(1, 6), String.join(" ", ours));
                assertEquals(accepted, platform.accepted(caseId));
                List<Integer> answered = platform.statuses(caseId);
                assertEquals(requests, answered.size(), "every signer sent once, none twice");
                assertEquals(new HashSet<>(List.of("Bearer token-ai-france", "Bearer token-international-members")),
                        new HashSet<>(platform.tokensByCase.get(caseId)), "entity keys in turn");
                assertFalse(String.join(" ", ours).contains("unseen"), "the live stream showed every 2xx: " + out);
                assertTrue(ours[ours.length - 1].matches("\\d+\\.\\d\\d"), "a ratio to the ceiling: " + ours[ours.length - 1]);
            }
            assertTrue(out.lines().anyMatch(l -> l.matches("bench: platform first error: HTTP (409|422|503)")), out);
            assertFalse(out.lines().anyMatch(l -> l.startsWith("bench: ceiling first error")), out);
            assertTrue(out.contains("bench: the quiet wait could not watch the database"), "said, with --databases none: " + out);
        }
    }

    /**
     * The new figures at a low rate, against the stand-in writing three rows per accepted signature into a real
     * database through a connection left open and idle (so its counters arrive late), and with a process started
     * as ./platform starts one: CPU per process, rows and bytes per acknowledged action, each table's fate, and the
     * answers by class with the retries' ends, on the console and in the JSON and Markdown files.
     */
    @Test
    void eachRunsCostsAndAnswersAreCountedFromTheProcessesAndTheDatabase() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.createDatabase("bench_smoke");
        String db = url.substring(url.lastIndexOf('/') + 1);
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Process service = new ProcessBuilder("sh", "-c", "while read line; do :; done", "-Dw4r.process=petition-service").start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Connection c = PostgresServer.connect(url, pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("create table signature (id bigserial primary key, signer int not null)");
            s.execute("create table outbox (id bigserial primary key, signer int not null)");
            Files.writeString(run.resolve("petition-service.pid"), service.pid() + "\n");
            try (FakePlatform platform = new FakePlatform(c)) {
                int code = Bench.run(List.of("--rates", "40", "--duration", "1", "--warmup", "0.5", "--connections", "4",
                        "--kafka", KafkaBroker.bootstrapServers(), "--credentials", credentials().toString(), "--run-id", "t2",
                        "--petition", platform.url(), "--tally", platform.url(), "--cases", platform.url(),
                        "--databases", db, "--pg-url", url.substring(0, url.lastIndexOf('/') + 1), "--pg-user", pg.username(),
                        "--run-dir", run.toString(), "--report-dir", dir.toString(), "--retries", "2", "--retry-backoff-ms", "10"),
                        new PrintStream(printed, true, StandardCharsets.UTF_8));
                assertEquals(0, code);
            }
        } finally {
            service.destroy();
            service.waitFor();
            pg.dropDatabase(url);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("bench: CPU counted for petition-service (pid " + service.pid() + "), postgresql (pid "), out);
        assertTrue(out.contains("rows per acknowledged action, by table:"), out);

        JsonNode report = Json.read(Files.readString(dir.resolve("bench-t2.json")));
        assertTrue(Files.readString(dir.resolve("bench-t2.md")).contains("## Rows per acknowledged action, by table"));
        JsonNode ceiling = report.path("steps").get(0), ours = report.path("steps").get(1);
        assertEquals("ceiling", ceiling.path("target").asText());
        assertEquals("platform", ours.path("target").asText());
        assertTrue(ceiling.path("database").isMissingNode(), "the ceiling writes nothing of the platform's");

        int requests = Schedule.of("constant", 40, 1).size();
        long accepted = IntStream.range(0, requests).filter(n -> FakePlatform.statusFor(n) == 202).count();
        long unknown = IntStream.range(0, requests).filter(n -> FakePlatform.statusFor(n) == 503).count();
        JsonNode first = ours.path("firstAnswers");
        assertEquals(accepted, first.path("2xx").asLong());
        assertEquals(unknown, first.path("outcome unknown").asLong());
        assertEquals(requests - accepted - unknown, first.path("other 4xx").asLong(), "409 and 422");
        assertEquals(0, first.path("unanswered").asLong() + first.path("429").asLong() + first.path("other 5xx").asLong());
        // the stand-in stored none of them: sent again, the signer is already known (409)
        assertEquals(unknown, ours.path("retried").path("requests").asLong());
        assertEquals(unknown, ours.path("retried").path("endedAs").path("other 4xx").asLong());
        assertEquals(accepted, ours.path("acknowledged").asLong());

        JsonNode database = ours.path("database");
        assertTrue(database.path("settled").asBoolean(), database.toString());
        assertEquals(3 * accepted, database.path("rowsWritten").asLong(), "every write of the run, none of the warm-up's");
        assertEquals(3.0, database.path("rowsPerAcknowledged").asDouble(), 1e-9);
        Map<String, JsonNode> tables = new java.util.HashMap<>();
        database.path("tables").forEach(t -> tables.put(t.path("table").asText(), t));
        assertEquals("kept", tables.get("signature").path("fate").asText());
        assertEquals(1.0, tables.get("signature").path("writtenPerAcknowledged").asDouble(), 1e-9);
        assertEquals("pruned", tables.get("outbox").path("fate").asText());
        assertEquals(2.0, tables.get("outbox").path("writtenPerAcknowledged").asDouble(), 1e-9);
        assertTrue(database.path("bytesGrownByDatabase").has(db), database.toString());

        JsonNode cpu = ours.path("cpu");
        assertTrue(cpu.path("secondsByProcess").has("petition-service"), cpu.toString());
        assertTrue(cpu.path("secondsByProcess").has("postgresql"), cpu.toString());
        assertTrue(cpu.path("msPerAcknowledged").has("platform"), cpu.toString());
        assertEquals(List.of("petition-service", "postgresql"),
                List.of(report.path("processes").get(0).path("name").asText(), report.path("processes").get(1).path("name").asText()));
    }

    @Test
    void theCommandLineIsCheckedBeforeAnythingIsSent() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Bench.run(List.of("--rate", "100"), out));
        assertTrue(unknown.getMessage().startsWith("unknown option or missing value: --rate"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bench.run(List.of("--rates"), out), "a value is missing");
        assertThrows(IllegalArgumentException.class, () -> Bench.run(List.of("100"), out), "not an option");
        IllegalStateException noCredentials = assertThrows(IllegalStateException.class,
                () -> Bench.run(List.of("--credentials", dir.resolve("absent.csv").toString()), out));
        assertTrue(noCredentials.getMessage().contains("absent.csv not found"), noCredentials.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schedule.of("ramp", 10, 1), "constant or spike only");
    }

    @Test
    void argsTakeDefaultsAndOverridesAndRefuseWhatTheyDoNotKnow() {
        Args a = new Args(List.of("--rates", "1,2", "--duration", "5"), java.util.Map.of("rates", "9", "duration", "60",
                "warmup", "10"));
        assertEquals("1,2", a.get("rates"));
        assertEquals(5, a.integer("duration"));
        assertEquals(10.0, a.decimal("warmup"));
        assertThrows(IllegalArgumentException.class, () -> new Args(List.of("--duration"), java.util.Map.of("duration", "1")));
        assertThrows(NumberFormatException.class,
                () -> new Args(List.of("--duration", "soon"), java.util.Map.of("duration", "1")).integer("duration"));
    }

    @Test
    void theSpikeProfileSendsTheFullRateOnlyInTheMiddleFifth() {
        Schedule spike = Schedule.of("spike", 100, 10);
        long[] offsets = spike.offsetsNanos();
        List<Long> perSecond = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            long from = s * 1_000_000_000L, to = from + 1_000_000_000L;
            perSecond.add(Arrays.stream(offsets).filter(o -> o >= from && o < to).count());
        }
        for (int s = 0; s < 10; s++) {
            long expected = s == 4 || s == 5 ? 100 : 20;
            // the first arrival past a switch comes one old interval late
            assertTrue(Math.abs(perSecond.get(s) - expected) <= (s == 4 ? 5 : 1), "second " + s + ": " + perSecond);
        }
        // one every 1/rate, give or take the last one (the offsets are summed in floating point)
        assertTrue(Math.abs(Schedule.of("constant", 100, 10).size() - 1000) <= 1);
    }
}

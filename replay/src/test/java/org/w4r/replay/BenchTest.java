package org.w4r.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w4r.testsupport.KafkaBroker;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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
                    "--petition", platform.url(), "--tally", platform.url(), "--cases", platform.url()),
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
        }
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

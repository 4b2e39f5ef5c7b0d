package org.w4r.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w4r.replay.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench against the real packaged services, at a rate too low to measure anything: what it checks is that the
 * bench still speaks the platform's API. Its own suite runs it against a stand-in, which once kept answering the live
 * stream on {@code ?access_token=} after tally had moved to single-use tickets; on the real platform every 2xx was
 * then reported "unseen" and no freshness was measured at all, with exit code 0.
 */
class BenchIT {
    @TempDir
    Path dir;

    @Test
    void theBenchFollowsEveryAcknowledgedSignatureOnTheLiveStream() throws Exception {
        TestPlatform platform = TestPlatform.get();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = Main.bench(List.of("--rates", "20", "--duration", "2", "--warmup", "1", "--connections", "4",
                        "--kafka", platform.kafka, "--credentials", platform.credentials.toString(),
                        "--petition", platform.petitions.url(), "--tally", platform.tally.url(), "--cases", platform.cases.url(),
                        "--databases", "none", "--run-dir", dir.resolve("no-run").toString(), "--report-dir", dir.toString(),
                        "--retry-backoff-ms", "100"),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(0, code, out);
        List<String[]> ours = out.lines().filter(l -> l.startsWith("platform ")).map(l -> l.trim().split("\\s+")).toList();
        assertEquals(1, ours.size(), out);
        String[] row = ours.get(0);
        assertEquals(row[3], row[4], "every signature answered 2xx: " + String.join(" ", row));
        assertFalse(String.join(" ", row).contains("unseen"), "the live stream showed every 2xx: " + out);
        assertTrue(String.join(" ", row).matches(".* \\d+ ms +\\d+ ms .*"), "a freshness p50 and p99: " + String.join(" ", row));
    }
}

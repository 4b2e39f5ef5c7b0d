package org.w4r.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of every fault, as docs/reliability.md shows them: written to target/fault-results.md after each fault
 * (so a failed run still shows what it measured) and printed.
 */
final class FaultResults {
    /** One fault's figures; {@code recoverySeconds} is negative when the tally never caught up. */
    record Row(String fault, String load, long sent, long acknowledged, long acknowledgedSoFar, long counted, long lost,
               long doubled, long hiddenStored, String otherAnswers, int retries, double recoverySeconds) {
        String markdown() {
            return "| %s | %s | %d | %d | %d / %d | %d | %d | %d | %s | %d | %s |".formatted(fault, load, sent,
                    acknowledged, counted, acknowledgedSoFar, lost, doubled, hiddenStored, otherAnswers.isEmpty() ? "none" : otherAnswers, retries,
                    recoverySeconds < 0 ? "never" : "%.1f s".formatted(recoverySeconds));
        }
    }

    private static final Path FILE = FaultPlatform.ROOT.resolve("platform-faults/target/fault-results.md");
    private static final List<String> ROWS = new ArrayList<>();
    private static final List<String> NOTES = new ArrayList<>();

    private FaultResults() {
    }

    static synchronized void add(Row row) {
        ROWS.add(row.markdown());
        System.out.println("[fault-suite] " + row.markdown());
        write();
    }

    /** A line under the table: the hold and reconcile checks have other figures than a load's. */
    static synchronized void note(String line) {
        NOTES.add("- " + line);
        System.out.println("[fault-suite] " + line);
        write();
    }

    private static void write() {
        List<String> file = new ArrayList<>(List.of(
                "| fault | load | sent | acknowledged | counted / acknowledged, suite so far | lost | doubled | hidden-stored | answers other than 2xx (first try) | retries | time to recover |",
                "|---|---|---|---|---|---|---|---|---|---|---|"));
        file.addAll(ROWS);
        file.add("");
        file.addAll(NOTES);
        try {
            Files.createDirectories(FILE.getParent());
            Files.write(FILE, file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + FILE, e);
        }
    }
}

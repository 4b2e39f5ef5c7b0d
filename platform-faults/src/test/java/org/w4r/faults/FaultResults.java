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
    /**
     * One fault's figures; {@code recoverySeconds} is negative when the tally never caught up. {@code hiddenStored}
     * and {@code unknownSettled} are "n/a" when the fault drew no answer they apply to: a check over nothing is not a
     * zero (until 6 December 2026 they printed 0 for faults that had exposed nothing to them).
     */
    record Row(String fault, String load, long sent, long acknowledged, long acknowledgedSoFar, long counted,
               long deliveryCounted, long lost, long doubled, String hiddenStored, String unknownSettled,
               String otherAnswers, int retries, double recoverySeconds) {
        String markdown() {
            return "| %s | %s | %d | %d | %d / %d | %d / %d | %d | %d | %s | %s | %s | %d | %s |".formatted(fault, load,
                    sent, acknowledged, counted, acknowledgedSoFar, deliveryCounted, acknowledgedSoFar, lost, doubled,
                    hiddenStored, unknownSettled, otherAnswers.isEmpty() ? "none" : otherAnswers, retries,
                    recoverySeconds < 0 ? "never" : "%.1f s".formatted(recoverySeconds));
        }
    }

    static final String HEADER = "| fault | load | sent | acknowledged | counted / acknowledged, suite so far "
            + "| delivery's ledger / acknowledged, suite so far | lost | doubled "
            + "| hidden-stored (of the 5xx that said not stored) | outcome-unknown settled "
            + "| answers other than 2xx (first try) | retries | time to recover |";

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
                HEADER, "|---|---|---|---|---|---|---|---|---|---|---|---|---|"));
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

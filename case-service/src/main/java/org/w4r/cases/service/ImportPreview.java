package org.w4r.cases.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A dry run of an import: every line goes through the import's own write path (the same rules, in file order, so a
 * second row with the id of the first is refused as it would be), each refusal is kept with its line instead of
 * ending the file, and the transaction is rolled back. Nothing is stored, published or audited: the outbox and the
 * trail are written in that transaction, and the outbox relay is only woken by a commit.
 */
public final class ImportPreview {
    private ImportPreview() {
    }

    /** One line as read: its command, or why its shape was refused ({@code refused}, then no command). */
    public record Candidate<T>(long line, String id, T command, Problem refused) {
    }

    /** What the import would do with one line: nothing refused it ({@code problem} null), or this problem. */
    public record Outcome(long line, String id, Problem problem) {
    }

    /**
     * Must run inside a transaction, which it marks for rollback once every line ran (marked earlier, the transaction
     * would take no more connections); anything else thrown ends it with a rollback too.
     */
    static <T> List<Outcome> check(List<Candidate<T>> lines, Consumer<T> step) {
        List<Outcome> outcomes = new ArrayList<>(lines.size());
        for (Candidate<T> line : lines) {
            if (line.refused() != null) {
                outcomes.add(new Outcome(line.line(), line.id(), line.refused()));
                continue;
            }
            try {
                ImportLine.at(line.line(), () -> {
                    step.accept(line.command());
                    return null;
                });
                outcomes.add(new Outcome(line.line(), line.id(), null));
            } catch (ProblemException e) {
                outcomes.add(new Outcome(line.line(), line.id(), e.problem()));
            }
        }
        QuarkusTransaction.setRollbackOnly();
        return outcomes;
    }
}

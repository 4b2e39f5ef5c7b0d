package org.w4r.cases.service;

import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.util.function.Supplier;

/** One row of an imported file as a command, with its line number, so a refusal names the line (all rows or none). */
public record ImportLine<T>(long line, T command) {

    /** Runs one row's step; a refusal of it names its line ({@code line} in the problem and its detail). */
    public static <R> R at(long line, Supplier<R> step) {
        try {
            return step.get();
        } catch (ProblemException e) {
            Problem p = e.problem();
            Problem withLine = new Problem(p.type(), p.title(), p.status(), "line " + line + ": " + p.detail(),
                    p.instance(), p.extensions());
            throw new ProblemException(withLine.with("line", line));
        }
    }
}

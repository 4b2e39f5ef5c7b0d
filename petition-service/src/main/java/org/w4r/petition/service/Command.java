package org.w4r.petition.service;

import java.sql.SQLException;

/**
 * A write that passed every check that can be made before it (made only by a service's {@code check}), applied by
 * the {@link Committer} in its transaction. A refusal only the database can tell (a correction below zero) is thrown
 * as a {@link org.w4r.kit.problem.ProblemException} before the command writes anything.
 */
@FunctionalInterface
public interface Command<R> {
    R apply(UnitOfWork work) throws SQLException;
}

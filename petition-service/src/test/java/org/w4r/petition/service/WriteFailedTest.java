package org.w4r.petition.service;

import org.junit.jupiter.api.Test;
import org.w4r.kit.problem.DatabaseProblems;
import org.w4r.kit.problem.Problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a caller is told when the database failed a write. A deadlock or a serialization failure on every try was a 500
 * "internal" (read-only review, 6 December 2026): PostgreSQL rolled the transaction back, so nothing was stored and
 * the same request again may pass, which the docs promise as 503 database-conflict.
 */
class WriteFailedTest {
    @Test
    void aTransactionEndedForAConcurrentOneOnEveryTryIsA503ToSendAgain() {
        for (String state : new String[]{"40P01", "40001"}) {
            for (WriteFailed.Subject subject : WriteFailed.Subject.values()) {
                WriteFailed failed = new WriteFailed(new DatabaseProblems.Failure(state), false);
                assertEquals(false, failed.worthRetrying(3), "three tries, then the answer");
                Problem answer = failed.problem(subject, true).problem();
                assertEquals(503, answer.status(), state + " " + subject);
                assertTrue(answer.type().endsWith("/database-conflict"), answer.type());
                assertEquals(1L, answer.any().get("retryAfterSeconds"));
            }
        }
    }

    @Test
    void inTheCommitItIsStillOutcomeUnknownAndABugIsStillA500() {
        Problem inCommit = new WriteFailed(new DatabaseProblems.Failure("40001"), true).problem(WriteFailed.Subject.REQUEST, true).problem();
        assertTrue(inCommit.type().endsWith("/outcome-unknown"), inCommit.type());
        assertEquals(500, new WriteFailed(new DatabaseProblems.Failure("42601"), false)
                .problem(WriteFailed.Subject.REQUEST, true).problem().status());
    }
}

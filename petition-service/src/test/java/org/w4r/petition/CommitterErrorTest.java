package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.petition.service.Answer;
import org.w4r.petition.service.Committer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An Error inside a write (a stack overflow, out of memory) ends its transaction: the transaction stayed on the thread,
 * so every later write of that thread (the one signature writer of an instance) failed at its begin() until a restart
 * (read-only review, 6 December 2026).
 */
@QuarkusTest
class CommitterErrorTest {
    @Inject
    Committer committer;

    @Test
    void aWriteAfterAnErrorOnTheSameThreadIsWritten() {
        assertThrows(StackOverflowError.class, () -> committer.commit(null, 200, work -> {
            throw new StackOverflowError("thrown by the test");
        }, r -> r));
        Answer next = committer.commit(null, 200, work -> "written", r -> r);
        assertEquals(200, next.status());
        assertEquals("\"written\"", next.body());
    }
}

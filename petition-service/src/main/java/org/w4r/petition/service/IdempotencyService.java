package org.w4r.petition.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.kit.problem.DatabaseProblems;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.repository.IdempotencyRepository;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Safe retries: a POST with an {@code Idempotency-Key} runs once. Its answer is stored under the key in the same
 * transaction as its effect (by the {@link Committer}), so a retry gets the original answer and changes nothing; the
 * same key with another body is refused. A request the rules refuse keeps its refusal under its key too ({@link
 * #earlierOr}): the first try of that key may still be on its way to its commit.
 */
@ApplicationScoped
public class IdempotencyService {
    private static final Logger LOG = Logger.getLogger(IdempotencyService.class);

    /** How long a key and its answer are kept: a retry after that runs again. */
    @ConfigMapping(prefix = "w4r.idempotency")
    public interface Settings {
        @WithDefault("P2D")
        Duration retention();
    }

    @Inject
    IdempotencyRepository keys;

    @Inject
    Settings settings;

    /** The JSON of the HTTP layer, so a kept refusal is what the problem mapper would have written. */
    @Inject
    ObjectMapper json;

    /**
     * A request its checks refuse may be the retry of one that passed them (the case closed since): it gets the answer
     * stored under its key, else the refusal. Looked up only then: a request that passes its checks learns of an
     * earlier answer when the commit stores its key, so the common path costs no extra round trip (a lookup before
     * every keyed request was one query in four of a signature's).
     * <p>
     * Nothing stored yet does not mean nothing will be: the first try may have passed its checks and still be on its
     * way to its commit (a signature queued for the group commit at 23:59:59.9 on the campaign's last day, retried by
     * its sender after midnight). So a refusal (a 4xx) is kept under the key before it is answered, as any answer:
     * that first try then finds the key held, writes nothing and gives this answer too; or, if it committed first,
     * this waits for it and gives its answer. Answering the refusal from a lookup alone told a retry "not stored" of
     * an action counted a moment later (a read-only review, 6 December 2026). A 5xx is never kept: it asks for a retry;
     * nor is a refusal that says when to send it again ({@code Retry-After}: an invalidation while another commits),
     * which kept would answer that retry, and every later one, for as long as the key is kept.
     */
    public Answer earlierOr(IdempotencyKey key, ProblemException refused) {
        if (key == null) {
            throw refused;
        }
        Optional<Answer> earlier = earlier(key);
        if (earlier.isPresent() || refused.problem().status() >= 500 || asksForRetry(refused.problem())) {
            return earlier.orElseThrow(() -> refused);
        }
        boolean held;
        try {
            held = keys.keep(List.of(new IdempotencyRepository.Kept(key.principal(), key.key(), key.fingerprint(),
                    refused.problem().status(), json.writeValueAsString(refused.problem()))))[0];
        } catch (SQLException e) {
            throw unavailable(e, "cannot keep the answer under the Idempotency-Key now; " + WriteFailed.THIS_ATTEMPT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a refusal as JSON", e);
        }
        if (!held) {
            throw refused;
        }
        return earlier(key).orElseThrow(() -> new IllegalStateException("no answer stored under a key that was taken"));
    }

    /** Said in the body as {@code retryAfterSeconds} ({@link Problem#retryAfter}), and as the Retry-After header. */
    private static boolean asksForRetry(Problem problem) {
        return problem.any().containsKey("retryAfterSeconds");
    }

    /** The answer stored under the key, as a replay; empty if there is none yet. */
    private Optional<Answer> earlier(IdempotencyKey key) {
        try {
            return keys.find(key.principal(), key.key()).map(stored -> replay(stored, key));
        } catch (SQLException e) {
            throw unavailable(e, "cannot look up the Idempotency-Key now; " + WriteFailed.THIS_ATTEMPT);
        }
    }

    /**
     * After a commit in which another request held the key: that request's answer (it is committed), or why it cannot
     * be had now.
     */
    Outcome heldAnswer(IdempotencyKey key) {
        try {
            return new Outcome(keys.find(key.principal(), key.key()).map(stored -> replay(stored, key))
                    .orElseThrow(() -> new IllegalStateException("no answer stored under a key that was taken")), null);
        } catch (ProblemException e) {
            return new Outcome(null, e);
        } catch (SQLException | RuntimeException e) {
            // the key is held by a committed request: whatever this read met, that request is stored. This was 503
            // database-unavailable, which says nothing was stored, and without Retry-After (a read-only review,
            // 6 December 2026): outcome-unknown, settled by the retry with the same key
            LOG.errorf("cannot read the answer stored under an Idempotency-Key (%s, SQLSTATE %s)",
                    e.getClass().getSimpleName(), DatabaseProblems.failure(e) == null ? "none" : DatabaseProblems.failure(e).sqlState());
            return new Outcome(null, WriteFailed.heldAnswerUnread());
        }
    }

    private static Answer replay(IdempotencyRepository.Stored stored, IdempotencyKey key) {
        if (!stored.fingerprint().equals(key.fingerprint())) {
            throw new ProblemException(Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused",
                    "the Idempotency-Key '" + key.key() + "' was already used for a different request").with("key", key.key()));
        }
        return new Answer(stored.status(), stored.response(), true);
    }

    private static RuntimeException unavailable(SQLException e, String detail) {
        DatabaseProblems.Failure failure = DatabaseProblems.failure(e);
        if (!failure.unavailable()) {
            return new IllegalStateException("cannot read an Idempotency-Key", e); // a bug, logged as one
        }
        LOG.warnf("database unavailable (SQLSTATE %s): cannot read an Idempotency-Key", failure.sqlState());
        return new ProblemException(Problem.of(503, "database-unavailable", "Database unavailable", detail)
                .retryAfter(1));
    }

    /** Keys are kept for at least a day (two by default), then forgotten. */
    @Scheduled(every = "1h", delayed = "1m")
    void forgetOldKeys() {
        try {
            keys.forgetBefore(Instant.now().minus(settings.retention()));
        } catch (SQLException e) {
            LOG.warnf("old Idempotency-Keys not forgotten this hour (SQLSTATE %s)", e.getSQLState());
        }
    }
}

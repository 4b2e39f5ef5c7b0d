package org.w4r.petition.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.events.Events;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Safe retries: a POST with an {@code Idempotency-Key} runs once. Its answer is stored under the key in the same
 * transaction as its effect, so a retry gets the original answer and changes nothing; the same key with another
 * body is refused. Only successful answers are kept: a refused request changed nothing and may be sent again.
 */
@ApplicationScoped
public class Idempotency {
    private static final Logger LOG = Logger.getLogger(Idempotency.class);
    public static final String HEADER = "Idempotency-Key";
    static final int MAX_KEY = 200;

    @Inject
    EntityManager em;

    @ConfigProperty(name = "w4r.idempotency.retention", defaultValue = "P2D")
    Duration retention;

    /** What an action answers: its status and the body to send (and to replay). */
    public record Answer(int status, Object body) {
    }

    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }

    public Response run(String principal, String key, String method, String path, Object request,
                        Supplier<Answer> action) {
        if (key == null) {
            Answer answer;
            try {
                answer = action.get();
            } catch (ProblemException e) {
                throw e;
            } catch (RuntimeException e) {
                if (SignatureCommitter.SqlFailure.of(e) == null) {
                    throw e; // not the database: a bug, logged as one
                }
                // where it failed is unknown here (the action commits on its own): never claim "not stored"
                throw databaseFailure(e, true, false);
            }
            return Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(Events.toJson(answer.body())).build();
        }
        String fingerprint = fingerprint(key, method, path, request);
        Stored earlier = find(principal, key);
        if (earlier != null) {
            return replay(earlier, fingerprint, key);
        }
        boolean[] written = {false};
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Answer answer = action.get();
                String body = Events.toJson(answer.body());
                int stored = em.createNativeQuery("""
                                insert into idempotency_key (principal, key, request_hash, status, response)
                                values (?1, ?2, ?3, ?4, ?5) on conflict do nothing""")
                        .setParameter(1, principal).setParameter(2, key).setParameter(3, fingerprint)
                        .setParameter(4, answer.status()).setParameter(5, body).executeUpdate();
                if (stored == 0) {
                    throw new KeyTaken(); // a concurrent request with this key won: undo ours, answer with its answer
                }
                em.flush(); // the request's own rows fail here, not in the commit, so their failure is not ambiguous
                written[0] = true;
                return Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(body).build();
            });
        } catch (KeyTaken e) {
            return replay(find(principal, key), fingerprint, key);
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            throw databaseFailure(e, written[0], true);
        }
    }

    /**
     * What to answer when the database failed under an action. PostgreSQL refusing a statement (a value, a
     * constraint) rolled it all back; a lost connection after the request's rows were written may have lost only the
     * answer to the commit (outcome unknown); before that, nothing was stored. Only SQLSTATEs are logged: an
     * SQLException's message may carry the request's values.
     */
    private static RuntimeException databaseFailure(RuntimeException e, boolean mayBeStored, boolean keyed) {
        SignatureCommitter.SqlFailure failure = SignatureCommitter.SqlFailure.of(e);
        if (failure == null && !mayBeStored) {
            return e; // not the database: a bug, logged as one
        }
        if (failure == null) {
            // the transaction manager's own exception for a failed commit does not always keep the SQLException
            LOG.warnf("the commit of a request failed (%s): outcome unknown", e.getClass().getSimpleName());
            return outcomeUnknown(keyed);
        }
        if (failure.isData()) {
            return new ProblemException(Problem.of(400, "unstorable-value", "Value cannot be stored",
                    "the database refused a value of this request (SQLSTATE " + failure.sqlState()
                            + "); nothing was stored: change it before sending it again").with("sqlState", failure.sqlState()));
        }
        if (failure.isConstraint()) {
            return new ProblemException(Problem.of(422, "refused-by-database", "Request refused",
                    "the database refused this request (SQLSTATE " + failure.sqlState() + "); nothing was stored")
                    .with("sqlState", failure.sqlState()));
        }
        if (failure.isUnavailable() && !mayBeStored) {
            LOG.warnf("database unavailable (SQLSTATE %s): a request was refused, nothing stored", failure.sqlState());
            return unavailable("nothing was stored; it is safe to retry");
        }
        if (failure.isUnavailable()) {
            LOG.warnf("database connection lost during a commit (SQLSTATE %s): outcome unknown", failure.sqlState());
            return outcomeUnknown(keyed);
        }
        LOG.errorf("a request failed in the database (SQLSTATE %s, %s)", failure.sqlState(), e.getClass().getSimpleName());
        return new ProblemException(Problem.of(500, "internal", "Internal error",
                "the request failed in the database; nothing was stored; the error has been logged"));
    }

    private static ProblemException outcomeUnknown(boolean keyed) {
        return new ProblemException(Problem.of(503, "outcome-unknown", "Outcome unknown", keyed
                ? "the connection to the database was lost during the commit: the request may or may not have "
                + "taken effect. Retry with the same Idempotency-Key: you get the stored answer, or it takes effect now"
                : "the connection to the database was lost: the request may or may not have taken effect, and "
                + "sending it again may count it twice. Send an Idempotency-Key to be able to retry safely")
                .with("retryAfterSeconds", 1));
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of(503, "database-unavailable", "Database unavailable", detail)
                .with("retryAfterSeconds", 1));
    }

    /** Checks the key, and returns what identifies the request under it (a retry must have the same). */
    static String fingerprint(String key, String method, String path, Object request) {
        if (key.isBlank() || key.length() > MAX_KEY) {
            throw ProblemException.invalid(HEADER, "the Idempotency-Key header must have 1 to " + MAX_KEY + " characters");
        }
        return Credentials.sha256(method + " " + path + "\n" + Events.toJson(request));
    }

    /** The stored answer under the key, as a replay; null if there is none yet. */
    Response replay(String principal, String key, String fingerprint) {
        Stored earlier = find(principal, key);
        return earlier == null ? null : replay(earlier, fingerprint, key);
    }

    private record Stored(String requestHash, int status, String response) {
    }

    private Stored find(String principal, String key) {
        try {
            return QuarkusTransaction.joiningExisting().call(() -> {
                @SuppressWarnings("unchecked")
                List<Object[]> rows = em.createNativeQuery(
                                "select request_hash, status, response from idempotency_key where principal = ?1 and key = ?2")
                        .setParameter(1, principal).setParameter(2, key).getResultList();
                return rows.isEmpty() ? null
                        : new Stored((String) rows.get(0)[0], ((Number) rows.get(0)[1]).intValue(), (String) rows.get(0)[2]);
            });
        } catch (RuntimeException e) {
            SignatureCommitter.SqlFailure failure = SignatureCommitter.SqlFailure.of(e);
            if (failure == null || !failure.isUnavailable()) {
                throw e;
            }
            LOG.warnf("database unavailable (SQLSTATE %s): cannot look up an Idempotency-Key", failure.sqlState());
            throw unavailable("cannot look up the Idempotency-Key now; nothing was done: retry with the same key");
        }
    }

    private static Response replay(Stored earlier, String fingerprint, String key) {
        if (!earlier.requestHash().equals(fingerprint)) {
            throw new ProblemException(Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused",
                    "the Idempotency-Key '" + key + "' was already used for a different request").with("key", key));
        }
        return Response.status(earlier.status()).type(MediaType.APPLICATION_JSON).entity(earlier.response())
                .header("Idempotent-Replayed", "true").build();
    }

    /** Keys are kept for at least a day (two by default), then forgotten. */
    @Scheduled(every = "1h", delayed = "1m")
    void forgetOldKeys() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from idempotency_key where created_at < ?1")
                .setParameter(1, Instant.now().minus(retention)).executeUpdate());
    }
}

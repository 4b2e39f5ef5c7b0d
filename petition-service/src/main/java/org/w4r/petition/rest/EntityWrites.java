package org.w4r.petition.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.petition.service.Command;
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.RateLimits;
import org.w4r.petition.service.SignerHasher;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way an entity's write (other than a signature, which waits for a group commit) runs: keyed by the calling
 * entity, the path and the body, answered from the key if it was answered before, otherwise checked and committed
 * in a transaction of its own ({@link Committer#submit}).
 */
@ApplicationScoped
class EntityWrites {
    @Inject
    CurrentCaller caller;

    @Inject
    Committer committer;

    @Inject
    RateLimits limits;

    @Inject
    SignerHasher hasher;

    /**
     * What a write costs against the entity's rate limits ({@link RateLimits}), taken once the request is understood
     * and before the key is looked up or anything is written: a 429 stores nothing, and {@code keyed} (the request
     * names an Idempotency-Key) makes it say that an earlier attempt under the key may have.
     */
    @FunctionalInterface
    interface Cost<C> {
        void take(RateLimits limits, String entityId, C command, boolean keyed);
    }

    /** One token of the entity's bucket (a write with no signer's e-mail and one item). */
    static <C> Cost<C> one() {
        return (limits, entityId, command, keyed) -> limits.take(entityId, keyed);
    }

    /**
     * {@code command} turns the request into the service's command (it may refuse it, after the key was read);
     * {@code check} is the service's check of that command for the calling entity.
     */
    <C, R> Response submit(String key, String path, Object request, Supplier<C> command, Cost<? super C> cost, int status,
                           BiFunction<String, C, Command<R>> check, Function<? super R, ?> answer) {
        String entityId = caller.get().entityId();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(entityId, key, "POST", path, request, hasher);
        C checked = command.get();
        cost.take(limits, entityId, checked, key != null);
        return Answers.response(committer.submit(idempotencyKey, status, () -> check.apply(entityId, checked), answer));
    }
}

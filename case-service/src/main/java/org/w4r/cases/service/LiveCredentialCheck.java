package org.w4r.cases.service;

import io.quarkus.arc.Arc;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.w4r.cases.model.Credential;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.TokenIdentityProvider;

/**
 * Re-reads the caller's own credential row in the transaction of its write, locked {@code FOR SHARE}, and refuses the
 * write (401, as an unknown key, rolled back) when this database has it revoked or expired.
 *
 * <p>Why: requests are authenticated from the in-memory token directory, which learns of a revocation only once its
 * tombstone has gone through the outbox, Kafka and back (during a Kafka outage or a relay backlog: not at all). Until
 * then a leaked entity key that a case manager had just revoked could still mint itself a fresh key (the cap of 3
 * counts from the database, without the revoked one), and a revoked case-manager token could issue itself a new token
 * (found reading the code, 4 December 2026). The share lock makes a revocation committing meanwhile either wait for
 * this write's commit (the write came first) or be seen by it (refused). Reads still trust the directory.
 *
 * <p>The locked read comes after the write, not before: every writer takes campaign, entity and case rows before
 * credential rows, the order in which the start-up snapshot takes the tables ({@code ReferencePublisher}); a
 * credential row locked first could deadlock with a starting instance. Inside {@code @Transactional} (a later
 * priority), so in its transaction.
 *
 * <p>Checked after the write only, a revoked credential was told what its refusals tell: a hold's start (409
 * already-on-hold), a record's current version (412), which ids exist (409 duplicate-id), an entity's count of local
 * cases, and it took the rows' locks meanwhile (a read-only review, 6 December 2026). So the row is read first too,
 * unlocked (a plain read takes no row lock and waits for none: the lock order stays), and read again, locked, before
 * any refusal the write makes leaves: a revocation that committed meanwhile is answered 401 rather than the refusal.
 */
@LiveCredential
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class LiveCredentialCheck {
    @Inject
    SecurityIdentity identity;

    @AroundInvoke
    Object aroundTheWrite(InvocationContext invocation) throws Exception {
        String own = ownKey(identity);
        requireLive(own, false);
        Object result;
        try {
            result = invocation.proceed();
        } catch (ProblemException refused) {
            try {
                requireLive(own);
            } catch (UnauthorizedException revoked) {
                throw revoked;
            } catch (RuntimeException unreadable) {
                refused.addSuppressed(unreadable); // read unlocked before the write: its refusal stands
            }
            throw refused;
        }
        requireLive(own);
        return result;
    }

    /**
     * The key id of the current request's credential of ours; null for the service's own work (no request, no
     * caller) and for staff signed in through the IdP (nothing of ours to look up).
     */
    static String ownKey(SecurityIdentity identity) {
        if (!Arc.container().requestContext().isActive() || identity.isAnonymous()) {
            return null;
        }
        return ownKey((Caller) identity.getAttribute(TokenIdentityProvider.CALLER));
    }

    static String ownKey(Caller caller) {
        return caller == null || caller.signedIn() ? null : caller.keyId();
    }

    /** In the active transaction: the row locked {@code FOR SHARE}; 401 unless it is there, unrevoked, unexpired. */
    static void requireLive(String keyId) {
        requireLive(keyId, true);
    }

    private static void requireLive(String keyId, boolean locked) {
        if (keyId == null) {
            return;
        }
        Object live = Credential.getEntityManager().createNativeQuery("""
                        select revoked_at is null and (expires_at is null or expires_at > now())
                          from credential where key_id = ?1""" + (locked ? " for share" : ""))
                .setParameter(1, keyId).getResultStream().findFirst().orElse(Boolean.FALSE);
        if (!Boolean.TRUE.equals(live)) {
            throw new UnauthorizedException("credential revoked or expired here");
        }
    }
}

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
 * <p>After the write, not before: every writer takes campaign, entity and case rows before credential rows, the
 * order in which the start-up snapshot takes the tables ({@code ReferencePublisher}); a credential row locked first
 * could deadlock with a starting instance. Inside {@code @Transactional} (a later priority), so in its transaction.
 */
@LiveCredential
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class LiveCredentialCheck {
    @Inject
    SecurityIdentity identity;

    @AroundInvoke
    Object afterTheWrite(InvocationContext invocation) throws Exception {
        Object result = invocation.proceed();
        requireLive(ownKey(identity));
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
        if (keyId == null) {
            return;
        }
        Object live = Credential.getEntityManager().createNativeQuery("""
                        select revoked_at is null and (expires_at is null or expires_at > now())
                          from credential where key_id = ?1 for share""")
                .setParameter(1, keyId).getResultStream().findFirst().orElse(Boolean.FALSE);
        if (!Boolean.TRUE.equals(live)) {
            throw new UnauthorizedException("credential revoked or expired here");
        }
    }
}

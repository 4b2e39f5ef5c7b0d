package org.w4r.delivery;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test-only: tells a test when a request of a watched principal was authenticated, from the token directory as it was
 * then. With the reference reader held at a {@link StreamGate}, that is how a test knows a request got in before the
 * revocation queued behind the gate was applied.
 */
@ApplicationScoped
public class Authenticated implements SecurityIdentityAugmentor {
    static final ConcurrentHashMap<String, CountDownLatch> WATCHED = new ConcurrentHashMap<>();

    static void watch(String principal) {
        WATCHED.put(principal, new CountDownLatch(1));
    }

    static boolean await(String principal) throws InterruptedException {
        return WATCHED.get(principal).await(30, TimeUnit.SECONDS);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        CountDownLatch watched = identity.isAnonymous() ? null : WATCHED.get(identity.getPrincipal().getName());
        if (watched != null) {
            watched.countDown();
        }
        return Uni.createFrom().item(identity);
    }
}

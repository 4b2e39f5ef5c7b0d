package org.w4r.delivery.service;

import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Credentials;
import org.w4r.kit.security.TokenDirectory;

import java.util.Optional;

/**
 * Whether the caller's API key or staff token is still what authenticated the request, asked once the reference
 * barrier ({@link HoldGuard#awaitCaseStream}) has applied every credential change published before it.
 *
 * <p>Why: a request is authenticated from the in-memory token directory, then may wait at the barrier while the
 * credential's tombstone, published a moment before, is applied behind it. Until a read-only review (6 December 2026)
 * nothing asked again, so a staff token revoked by then still planned, recorded a handover, cancelled or took a pack.
 * This service keeps no credential rows (case-service re-reads its own, LiveCredentialCheck); the directory just
 * brought up to date is the kit's answer, asked as authentication asks it: by the SHA-256 of the token sent.
 */
@ApplicationScoped
public class LiveCaller {
    private static final String BEARER = "bearer ";

    @Inject
    TokenDirectory tokens;

    @Inject
    CurrentCaller caller;

    /**
     * 401 (problem+json, kit ProblemMappers) unless the token in {@code authorization} still names the caller the
     * request was authenticated as: revoked, expired or replaced by a new secret meanwhile, it does not.
     */
    public void requireLive(String authorization) {
        Caller authenticated = caller.get();
        if (authenticated.signedIn()) {
            return; // signed in at the organisation's IdP: nothing of ours to look up again (quarkus-oidc checks it)
        }
        String token = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim() : null;
        if (token == null || token.isEmpty()
                || !tokens.findBySha256(Credentials.sha256(token)).equals(Optional.of(authenticated))) {
            throw new UnauthorizedException("the credential was revoked while the request waited");
        }
    }
}

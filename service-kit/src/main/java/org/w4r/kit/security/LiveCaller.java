package org.w4r.kit.security;

import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Whether the caller's API key or staff token is still what authenticated the request, asked once a service has waited
 * for its reference data (the {@code credentials} topic among it) before handing out or changing what a handover needs.
 *
 * <p>Why: a request is authenticated from the in-memory {@link TokenDirectory}, then may wait at such a barrier while
 * the credential's tombstone, published a moment before, is applied behind it. Until read-only reviews (6 December
 * 2026) nothing asked again: a staff token revoked by then still planned or recorded a handover in delivery-service,
 * and was still handed a case's signer list or its approved messages in petition-service. Both asked it in copies of
 * one class; this is the one. The directory just brought up to date is asked as authentication asks it: by the
 * SHA-256 of the token sent. case-service keeps the credential rows and re-reads them itself (LiveCredentialCheck).
 */
@ApplicationScoped
public class LiveCaller {
    private static final String BEARER = "bearer ";

    @Inject
    TokenDirectory tokens;

    @Inject
    CurrentCaller caller;

    /**
     * 401 (problem+json, the kit's ProblemMappers) unless the token in {@code authorization} (the request's header)
     * still names the caller the request was authenticated as: revoked, expired or replaced by a new secret meanwhile,
     * it does not. Nothing is read, recorded or audited then.
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

package org.w4r.kit.security;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * An API key or staff token to look up in the token directory. A type of its own, not Quarkus'
 * {@code TokenAuthenticationRequest}: quarkus-oidc's identity provider takes that one, and each provider must see only
 * the tokens {@link BearerTokenMechanism} routed to it.
 */
public final class CredentialRequest extends BaseAuthenticationRequest {
    private final TokenCredential token;

    public CredentialRequest(String secret) {
        this.token = new TokenCredential(secret, "bearer");
    }

    public TokenCredential getToken() {
        return token;
    }
}

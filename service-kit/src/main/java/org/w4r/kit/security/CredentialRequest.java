package org.w4r.kit.security;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * An API key or staff token ({@code w4r_...}) to look up in the token directory. A type of its own, not Quarkus'
 * {@code TokenAuthenticationRequest}: quarkus-oidc's identity provider takes that one, and each provider must see only
 * the tokens it can judge (a JWT is never hashed and looked up; a {@code w4r_} secret never goes to the IdP).
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

package org.w4r.kit.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>}: our own API keys and staff tokens. A missing header leaves the caller
 * anonymous.
 * <p>
 * quarkus-oidc reads the same header for staff who sign in through the organisation's identity provider. Quarkus asks
 * the mechanisms in turn, highest priority first, until one answers with an identity; a failure ends the turn. So
 * this one goes first and routes: when OIDC is enabled, a token with a '.' in it (a JWT: header.payload.signature) is
 * left to OIDC, which verifies it against the IdP's keys; everything else is looked up in the token directory, as
 * before OIDC existed. Our secrets never hold a '.' ({@link Credentials#newSecret()} is base64url), so a key or staff
 * token never reaches the IdP and a JWT is never hashed and looked up. When OIDC is off, every token goes to the
 * directory and an unknown one is a 401, exactly as without it.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {
    private static final String PREFIX = "bearer ";
    /** Above quarkus-oidc's default ({@code quarkus.oidc.priority}, DEFAULT_PRIORITY + 1). */
    static final int PRIORITY = DEFAULT_PRIORITY + 2;

    @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false")
    boolean oidcEnabled;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null || header.length() <= PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        String token = header.substring(PREFIX.length()).trim();
        if (oidcEnabled && token.indexOf('.') >= 0) {
            return Uni.createFrom().optional(java.util.Optional.empty()); // quarkus-oidc's
        }
        return identityProviderManager.authenticate(new CredentialRequest(token));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(CredentialRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}

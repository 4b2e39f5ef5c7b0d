package org.w4r.kit.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Reads {@code Authorization: Bearer w4r_...}: our own API keys and staff tokens. A missing header leaves the caller
 * anonymous.
 * <p>
 * quarkus-oidc reads the same header for staff who sign in through the organisation's identity provider. Quarkus asks
 * the mechanisms in turn, highest priority first, until one answers with an identity; a failure ends the turn. So
 * this one goes first and takes only what is ours by its prefix (every secret we issue starts with {@code w4r_},
 * {@link Credentials#newSecret()}): an unknown or revoked {@code w4r_} secret is refused here, anything else is left to
 * OIDC, which verifies it as a JWT when it is enabled and leaves the caller anonymous (so 401) when it is not. One
 * router, no guessing at JWT syntax, and a key never reaches the IdP nor a JWT the token directory.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {
    private static final String PREFIX = "bearer ";
    private static final String OURS = "w4r_";
    /** Above quarkus-oidc's default ({@code quarkus.oidc.priority}, DEFAULT_PRIORITY + 1). */
    static final int PRIORITY = DEFAULT_PRIORITY + 2;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null || header.length() <= PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        String token = header.substring(PREFIX.length()).trim();
        if (!token.startsWith(OURS)) {
            return Uni.createFrom().optional(java.util.Optional.empty());
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

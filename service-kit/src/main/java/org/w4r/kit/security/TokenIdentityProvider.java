package org.w4r.kit.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns an API key or staff token into an identity with one role; the lookup is in memory, so it never blocks. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<CredentialRequest> {
    public static final String CALLER = "w4r.caller";

    @Inject
    TokenDirectory directory;

    @Override
    public Class<CredentialRequest> getRequestType() {
        return CredentialRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CredentialRequest request, AuthenticationRequestContext context) {
        String hash = Credentials.sha256(request.getToken().getToken());
        return directory.findBySha256(hash)
                .map(caller -> Uni.createFrom().item((SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(caller.principal()))
                        .addRole(caller.role())
                        .addAttribute(CALLER, caller)
                        .build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("unknown or revoked token")));
    }
}

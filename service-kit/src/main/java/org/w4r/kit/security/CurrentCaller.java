package org.w4r.kit.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** The authenticated caller of the current request. */
@RequestScoped
public class CurrentCaller {
    @Inject
    SecurityIdentity identity;

    public Caller get() {
        Caller caller = identity.getAttribute(TokenIdentityProvider.CALLER);
        if (caller == null) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        return caller;
    }
}

package org.w4r.ui.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the page signs staff in: through the organisation's IdP when OIDC is on, else by pasting a staff token. Public:
 * the page needs it before anyone signs in, and it holds no secret (the page is a public client).
 */
@ApplicationScoped
public class StaffSignIn {
    public record Oidc(String issuer, String clientId, String scope) {
    }

    @Inject
    UiConfig config;

    /** Empty when staff sign in with a staff token. */
    public Optional<Oidc> oidc() {
        UiConfig.SignIn signIn = config.oidc();
        if (!signIn.enabled()) {
            return Optional.empty();
        }
        return signIn.issuer().filter(issuer -> !issuer.isBlank())
                .map(issuer -> new Oidc(issuer.trim().replaceAll("/+$", ""), signIn.clientId(), signIn.scope()));
    }

    /** What the page must reach besides the APIs: the issuer (discovery, token endpoint) and any other origin. */
    public List<String> connectOrigins() {
        List<String> origins = new ArrayList<>();
        oidc().ifPresent(o -> origins.add(o.issuer()));
        if (config.oidc().enabled()) {
            config.oidc().connectOrigins().ifPresent(origins::addAll);
        }
        return origins;
    }
}

package org.w4r.tally.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the dashboard signs staff in: through the organisation's IdP when OIDC is enabled (the same switch the services
 * use to accept its tokens), else by pasting a staff token. Public: the page needs it before anyone signs in, and it
 * holds no secret (the dashboard is a public client).
 */
@ApplicationScoped
public class DashboardSignIn {
    /** Nullable as a schema: OpenAPI 3.0 cannot make one reference to an object nullable, and it is null without OIDC. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true)
    public record Oidc(String issuer, String clientId, String scope) {
    }

    @ConfigProperty(name = "quarkus.oidc.tenant-enabled")
    boolean oidcEnabled;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    Optional<String> authServerUrl;

    @Inject
    DashboardConfig config;

    /** Empty when staff sign in with a staff token. */
    public Optional<Oidc> oidc() {
        if (!oidcEnabled) {
            return Optional.empty();
        }
        return config.oidc().issuer().or(() -> authServerUrl)
                .map(issuer -> new Oidc(issuer.replaceAll("/+$", ""), config.oidc().clientId(), config.oidc().scope()));
    }

    /** What the page must reach besides the services: the issuer (discovery, token endpoint) and any other origin. */
    public List<String> connectOrigins() {
        List<String> origins = new ArrayList<>();
        oidc().ifPresent(o -> origins.add(o.issuer()));
        if (oidcEnabled) {
            config.oidc().connectOrigins().ifPresent(origins::addAll);
        }
        return origins;
    }
}

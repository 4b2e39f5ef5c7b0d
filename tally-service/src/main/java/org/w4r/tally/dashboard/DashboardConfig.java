package org.w4r.tally.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Where the page finds the other services (their origins are also allowed in the Content-Security-Policy). */
@ConfigMapping(prefix = "w4r.dashboard")
public interface DashboardConfig {
    @WithDefault("http://localhost:8082")
    String caseServiceUrl();

    @WithDefault("http://localhost:8081")
    String petitionServiceUrl();

    @WithDefault("http://localhost:8083")
    String deliveryServiceUrl();

    /** Staff sign-in through the organisation's identity provider, used when OIDC is enabled. */
    SignIn oidc();

    interface SignIn {
        /**
         * The issuer as the browser reaches it (discovery at {@code <issuer>/.well-known/openid-configuration}); the
         * services' {@code quarkus.oidc.auth-server-url} unless the IdP has another address inside the cluster.
         */
        Optional<String> issuer();

        /** The public client registered at the IdP for the dashboard: code flow with PKCE, no secret. */
        @WithDefault("w4r-dashboard")
        String clientId();

        @WithDefault("openid")
        String scope();

        /** Origins the page must also reach besides the issuer's, e.g. a token endpoint on another host. */
        Optional<List<String>> connectOrigins();
    }
}

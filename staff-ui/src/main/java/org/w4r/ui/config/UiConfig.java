package org.w4r.ui.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/**
 * Where the page finds the four APIs, as the staff's browsers reach them (their origins are the page's only
 * connect-src besides the identity provider), and how staff sign in.
 */
@ConfigMapping(prefix = "w4r.ui")
public interface UiConfig {
    @WithDefault("http://localhost:8082")
    String caseServiceUrl();

    @WithDefault("http://localhost:8081")
    String petitionServiceUrl();

    @WithDefault("http://localhost:8080")
    String tallyServiceUrl();

    @WithDefault("http://localhost:8083")
    String deliveryServiceUrl();

    /** Staff sign-in through the organisation's identity provider. */
    SignIn oidc();

    interface SignIn {
        /**
         * On when the APIs accept the IdP's tokens: application.properties ties it to the services' own switch
         * ({@code quarkus.oidc.tenant-enabled}, set for all of them in one place), so the page never offers a sign-in
         * the APIs would refuse.
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * The issuer as the browser reaches it (discovery at {@code <issuer>/.well-known/openid-configuration}); by
         * default the services' {@code quarkus.oidc.auth-server-url}.
         */
        Optional<String> issuer();

        /** The public client registered at the IdP for the staff UI: code flow with PKCE, no secret. */
        @WithDefault("w4r-dashboard")
        String clientId();

        @WithDefault("openid")
        String scope();

        /** Origins the page must also reach besides the issuer's, e.g. a token endpoint on another host. */
        Optional<List<String>> connectOrigins();
    }
}

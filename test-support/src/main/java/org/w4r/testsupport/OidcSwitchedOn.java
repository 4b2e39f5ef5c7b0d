package org.w4r.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.Map;

/**
 * The services' one OIDC switch on (docs/security.md): the same two settings turn it on for the APIs and the staff
 * UI, so a test of either signs in the way the other is configured. A module's profile names its identity provider
 * and whatever else its own side needs.
 */
public abstract class OidcSwitchedOn implements QuarkusTestProfile {
    private final String authServerUrl;
    private final Map<String, String> more;

    protected OidcSwitchedOn(String authServerUrl, Map<String, String> more) {
        this.authServerUrl = authServerUrl;
        this.more = more;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(more);
        config.put("quarkus.oidc.tenant-enabled", "true");
        config.put("quarkus.oidc.auth-server-url", authServerUrl);
        return config;
    }
}

package org.w4r.ui;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.OidcSwitchedOn;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * With the services' OIDC switch on (one setting for the APIs and the UI), the page is told how to sign in at the
 * identity provider and may reach it; the issuer is the services' auth-server-url.
 */
@QuarkusTest
@TestProfile(OidcSignInTest.SignedIn.class)
class OidcSignInTest {
    public static class SignedIn extends OidcSwitchedOn {
        public SignedIn() {
            super("https://idp.example.org:8443/realms/w4r/", Map.of("w4r.ui.oidc.client-id", "w4r-dashboard-test"));
        }
    }

    @Test
    void thePageIsToldHowToSignInAndMayReachTheIdentityProvider() {
        given().get("/config").then().statusCode(200)
                .body("oidc.issuer", equalTo("https://idp.example.org:8443/realms/w4r"))
                .body("oidc.clientId", equalTo("w4r-dashboard-test"))
                .body("oidc.scope", equalTo("openid"))
                .body("caseService", equalTo("http://localhost:8082"));
        given().get("/").then().statusCode(200).header("Content-Security-Policy",
                containsString("connect-src 'self' http://localhost:8082 http://localhost:8081 http://localhost:8080 "
                        + "http://localhost:8083 https://idp.example.org:8443;"));
    }
}

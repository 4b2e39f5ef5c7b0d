package org.w4r.tally;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.tally.service.LiveStreams;
import org.w4r.tally.service.StreamTicketService;
import org.w4r.testsupport.OidcSwitchedOn;
import org.w4r.testsupport.WithPlatformResources;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * tally-service with OIDC on: a staff member signed in at the IdP (through the staff UI, whose own OidcSignInTest
 * shows the page is told how) is a caller here too, live stream included (ended once the access token expires, as a revoked key ends it).
 */
@QuarkusTest
@TestProfile(OidcSignInTest.SignedIn.class)
@WithPlatformResources
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OidcSignInTest {
    public static class SignedIn extends OidcSwitchedOn {
        public SignedIn() {
            super("${keycloak.url}/realms/quarkus/", Map.of("quarkus.oidc.token.audience", "w4r"));
        }
    }

    @TestHTTPResource("/api/v1/totals/stream")
    URL stream;

    @Inject
    LiveStreams streams;

    @Inject
    StreamTicketService tickets;

    private static String signedIn(String sub, String role, Instant expiresAt) {
        return Jwt.issuer("https://server.example.com").audience("w4r").subject(sub)
                .preferredUserName("alice.rights@example.org").claim("roles", List.of(role))
                .expiresAt(expiresAt).jws().keyId("1").sign("privateKey.jwk");
    }

    @Test
    void aSignedInStaffMemberIsACallerHereAndStaffTokensStillAre() {
        String sub = "sub-" + UUID.randomUUID();
        String body = given().auth().oauth2(signedIn(sub, "delivery", Instant.now().plusSeconds(300)))
                .get("/api/v1/me").then().statusCode(200)
                .body("principal", equalTo(sub)).body("role", equalTo("delivery")).extract().asString();
        assertFalse(body.contains("alice"), body);
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/me").then().statusCode(200)
                .body("role", equalTo("coordinator"));
        given().auth().oauth2(signedIn(sub, "delivery", Instant.now().plusSeconds(300)))
                .post("/api/v1/tally/reconcile").then().statusCode(403);
    }

    @Test
    void aSignedInStaffMemberOpensTheLiveStreamUntilTheirAccessTokenExpires() throws Exception {
        String sub = "sub-" + UUID.randomUUID();
        String token = signedIn(sub, "moderator", Instant.now().plusSeconds(300));
        String ticket = given().auth().oauth2(token).post("/api/v1/totals/stream-tickets").then().statusCode(200)
                .extract().path("ticket");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            AtomicBoolean ended = new AtomicBoolean();
            List<LiveStreamTest.Event> events = LiveStreamTest.listen(
                    HttpRequest.newBuilder(URI.create(stream + "?ticket=" + ticket)), open, ended);
            await().until(() -> !events.isEmpty());
            assertEquals("totals", events.get(0).name());
            assertFalse(ended.get(), "open while the access token is valid");
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
        // what the recheck asks of every open stream (LiveStreamTest proves a failed recheck ends it): a sign-in
        // counts until its token's expiry and not after; nothing of it is looked up in the token directory
        Instant now = Instant.now();
        assertTrue(streams.allowed(StreamTicketService.Grant.signedIn(sub, "moderator", now.plusSeconds(60))));
        assertFalse(streams.allowed(StreamTicketService.Grant.signedIn(sub, "moderator", now.minusSeconds(1))));
        assertFalse(streams.allowed(StreamTicketService.Grant.signedIn(sub, null, now.plusSeconds(60))));
        String expiredTicket = tickets.issue(StreamTicketService.Grant.signedIn(sub, "moderator", now.minusSeconds(1)))
                .ticket();
        given().get("/api/v1/totals/stream?ticket=" + expiredTicket).then().statusCode(401);
    }
}

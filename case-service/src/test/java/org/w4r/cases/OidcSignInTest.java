package org.w4r.cases;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.kit.security.Roles;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;

import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Staff signed in through an OIDC identity provider (a WireMock one from quarkus-test-oidc-server, publishing its keys
 * as a real IdP does) get exactly what a staff token of the same role gets, while keys and staff tokens keep working
 * in the same run.
 * <p>
 * The tokens are signed here with the WireMock server's key. Each carries its staff role in {@code roles} (the claim the
 * services read) and a different role in {@code groups} (Quarkus' default claim), so reading the wrong claim fails.
 */
@QuarkusTest
@TestProfile(OidcSignInTest.SignedIn.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OidcSignInTest {
    private static final String ISSUER = "https://server.example.com";
    private static final String AUDIENCE = "w4r";

    /** OIDC on, as an operator turns it on: the two settings docs/operations.md names, and the audience. */
    public static class SignedIn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus/",
                    "quarkus.oidc.token.audience", AUDIENCE);
        }
    }

    @Inject
    AgroalDataSource db;

    /** A person at the IdP: an opaque {@code sub}, a name and email the platform must never use, some roles. */
    private static JwtClaimsBuilder person(String sub, List<String> roles) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(sub)
                .preferredUserName("alice.rights@example.org").claim("email", "alice.rights@example.org")
                .claim("roles", roles)
                .groups(Roles.STAFF.stream().filter(r -> !roles.contains(r)).findFirst().orElse("user"))
                .expiresAt(Instant.now().plusSeconds(300));
    }

    private static String signed(JwtClaimsBuilder claims) {
        return claims.jws().keyId("1").sign("privateKey.jwk");
    }

    private static String signedIn(String role) {
        return signed(person("sub-" + role + "-" + UUID.randomUUID(), List.of(role)));
    }

    /** One endpoint of each kind for each role: allowed to all staff, to one role only, to an entity key's own entity. */
    private static final List<String[]> ENDPOINTS = List.of(
            new String[]{"GET", "/api/v1/campaigns"},
            new String[]{"GET", "/api/v1/cases/paing-phyo-min/holds"},
            new String[]{"POST", "/api/v1/campaigns"},
            new String[]{"GET", "/api/v1/staff"},
            new String[]{"GET", "/api/v1/outbox/dead-letters"},
            new String[]{"GET", "/api/v1/entities/ai-iceland/keys"});

    /** docs/security.md's rows for {@link #ENDPOINTS}; POST /campaigns with an empty body is a 400 once allowed. */
    private static final Map<String, List<Integer>> MATRIX = Map.of(
            Roles.COORDINATOR, List.of(200, 200, 403, 403, 200, 403),
            Roles.CASE_MANAGER, List.of(200, 200, 400, 200, 403, 200),
            Roles.DELIVERY, List.of(200, 200, 403, 403, 403, 403),
            Roles.MODERATOR, List.of(200, 200, 403, 403, 403, 403));

    private static List<Integer> walk(String bearer) {
        List<Integer> statuses = new ArrayList<>();
        for (String[] e : ENDPOINTS) {
            var request = given().auth().oauth2(bearer).contentType(ContentType.JSON);
            Response r = "GET".equals(e[0]) ? request.get(e[1]) : request.body("{}").post(e[1]);
            statuses.add(r.statusCode());
        }
        return statuses;
    }

    @Test
    void aSignedInStaffMemberGetsExactlyWhatAStaffTokenOfTheSameRoleGets() {
        Map<String, List<Integer>> signedIn = new LinkedHashMap<>(), staffTokens = new LinkedHashMap<>();
        for (String role : MATRIX.keySet()) {
            signedIn.put(role, walk(signedIn(role)));
            staffTokens.put(role, walk(DemoCredentials.token("demo-" + role)));
        }
        assertEquals(MATRIX, staffTokens, "staff tokens, as docs/security.md says");
        assertEquals(MATRIX, signedIn, "signed in through the IdP: the same matrix");
    }

    @Test
    void keysAndStaffTokensKeepWorkingBesideIt() {
        given().auth().oauth2(DemoCredentials.token("ai-iceland")).get("/api/v1/entities/ai-iceland/keys")
                .then().statusCode(200);
        given().auth().oauth2(DemoCredentials.token("ai-iceland")).get("/api/v1/entities/ai-malta/keys")
                .then().statusCode(403);
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases").then().statusCode(200);
        given().auth().oauth2("w4r_not-a-key").get("/api/v1/cases").then().statusCode(401);
    }

    @Test
    void anExpiredForeignOrMalformedTokenIsA401() throws Exception {
        String expired = signed(person("sub-expired", List.of(Roles.COORDINATOR))
                .issuedAt(Instant.now().minusSeconds(1200)).expiresAt(Instant.now().minusSeconds(600)));
        var otherKey = KeyPairGenerator.getInstance("RSA");
        otherKey.initialize(2048);
        String forged = person("sub-forged", List.of(Roles.COORDINATOR)).jws().keyId("1")
                .sign(otherKey.generateKeyPair().getPrivate());
        String otherIssuer = signed(person("sub-other", List.of(Roles.COORDINATOR)).issuer("https://elsewhere.example"));
        String otherAudience = signed(person("sub-other", List.of(Roles.COORDINATOR)).audience("another-app"));
        for (String token : List.of(expired, forged, otherIssuer, otherAudience, "not-a-token")) {
            given().auth().oauth2(token).get("/api/v1/campaigns").then().statusCode(401)
                    .contentType("application/problem+json");
        }
        // the same claims, properly signed, pass: the refusals above are about the token, not the person
        given().auth().oauth2(signedIn(Roles.COORDINATOR)).get("/api/v1/campaigns").then().statusCode(200);
    }

    @Test
    void noStaffRoleOrSeveralIsA403AndAnEntityRoleIsNoKey() {
        String none = signed(person("sub-none", List.of("user", "offline_access")));
        String several = signed(person("sub-several", List.of(Roles.COORDINATOR, Roles.CASE_MANAGER)));
        String entity = signed(person("ai-iceland", List.of(Roles.ENTITY)).claim("entityId", "ai-iceland"));
        for (String token : List.of(none, several, entity)) {
            given().auth().oauth2(token).get("/api/v1/campaigns").then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(token).get("/api/v1/staff").then().statusCode(403);
            given().auth().oauth2(token).get("/api/v1/entities/ai-iceland/keys").then().statusCode(403);
        }
        given().auth().oauth2(none).get("/public/v1/cases").then().statusCode(200);
    }

    @Test
    void whatASignedInCaseManagerDoesIsRecordedUnderTheTokensSubject() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        String sub = "f3c1e2d4-" + UUID.randomUUID();
        String manager = signed(person(sub, List.of(Roles.CASE_MANAGER)));
        String placed = given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"reason\":\"protect the family\"}").put("/api/v1/cases/" + caseId + "/hold")
                .then().statusCode(200).body("hold.placedBy", equalTo(sub)).extract().asString();
        assertFalse(placed.contains("alice"), "neither the name nor the email the IdP sent");
        assertEquals(sub, Effects.row(db, "select * from case_hold where case_id = ?", caseId).get("placed_by"));
        long holdId = Long.parseLong(io.restassured.path.json.JsonPath.from(placed).getString("hold.holdId"));
        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + holdId).then().statusCode(200);
        assertEquals(sub, Effects.row(db, "select * from case_hold where case_id = ?", caseId).get("lifted_by"));
    }
}

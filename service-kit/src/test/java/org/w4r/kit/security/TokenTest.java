package org.w4r.kit.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.events.CredentialChanged;
import org.w4r.events.Topics;
import org.w4r.kit.reference.ReferenceDataFixture;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.ReferenceFixtures;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bearer token from the HTTP header to a caller with one role: the kit's mechanism and identity provider on a real
 * Vert.x server, the directory being the read model of the credentials topic on a real broker.
 */
class TokenTest {
    private static String bootstrap;
    private static ReferenceDataFixture.Started reference;
    private static Vertx vertx;
    private static HttpServer server;
    private static BearerTokenMechanism mechanism;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void serve() throws Exception {
        bootstrap = KafkaBroker.bootstrapServers();
        ReferenceFixtures.createTopics(bootstrap);
        reference = ReferenceDataFixture.started(bootstrap);
        TokenIdentityProvider provider = new TokenIdentityProvider();
        provider.directory = reference.directory();
        IdentityProviderManager manager = new IdentityProviderManager() {
            @Override
            public Uni<SecurityIdentity> authenticate(AuthenticationRequest request) {
                return provider.authenticate((CredentialRequest) request, null);
            }

            @Override
            public SecurityIdentity authenticateBlocking(AuthenticationRequest request) {
                return authenticate(request).await().indefinitely();
            }
        };
        mechanism = new BearerTokenMechanism();
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(context -> mechanism.authenticate(context, manager).subscribe().with(
                identity -> context.response().end(describe(identity)),
                failure -> context.response().setStatusCode(401).end(failure.getClass().getSimpleName())));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        ReferenceDataFixture.stop(reference);
    }

    /** Who the request was let in as: "anonymous", or principal, roles, entity and key. */
    private static String describe(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return "anonymous";
        }
        Caller caller = identity.getAttribute(TokenIdentityProvider.CALLER);
        return identity.getPrincipal().getName() + " " + new TreeSet<>(identity.getRoles()) + " " + caller.entityId()
                + " " + caller.keyId();
    }

    private static HttpResponse<String> call(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void publish(String keyId, CredentialChanged credential) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            if (credential == null) {
                producer.send(new ProducerRecord<>(Topics.CREDENTIALS, keyId, null)).get(); // revoked
            } else {
                ReferenceFixtures.send(producer, Topics.CREDENTIALS, keyId, credential);
            }
        }
        assertTrue(reference.stream().awaitUpToDate(Duration.ofSeconds(60)));
    }

    private static CredentialChanged staff(String keyId, String role, String secret, Instant expiresAt) {
        return new CredentialChanged(UUID.randomUUID(), keyId, Credentials.sha256(secret), role, null, "test-" + role,
                expiresAt, Instant.now());
    }

    @Test
    void aValidTokenIsOneCallerWithOneRoleHoweverTheSchemeIsWritten() throws Exception {
        String secret = Credentials.newSecret(), keyId = Credentials.newKeyId();
        publish(keyId, staff(keyId, Roles.CASE_MANAGER, secret, Instant.now().plus(Duration.ofDays(1))));
        String expected = "test-case-manager [case-manager] null " + keyId;
        assertEquals(expected, call("Bearer " + secret).body());
        assertEquals(expected, call("bearer " + secret).body());
        assertEquals(expected, call("BEARER   " + secret + "  ").body());
        assertNotEquals("coordinator", call("Bearer " + secret).body().split(" ")[1], "one role, not every staff role");

        String entitySecret = Credentials.newSecret(), entityKey = Credentials.newKeyId();
        publish(entityKey, new CredentialChanged(UUID.randomUUID(), entityKey, Credentials.sha256(entitySecret),
                Roles.ENTITY, "ai-malta", null, null, Instant.now()));
        assertEquals("ai-malta [entity] ai-malta " + entityKey, call("Bearer " + entitySecret).body(),
                "an entity key acts for its entity only, never as staff");
    }

    @Test
    void noOrAnotherSchemeIsAnonymousAndAnUnknownTokenIsRefused() throws Exception {
        assertEquals("anonymous", call(null).body());
        assertEquals("anonymous", call("Basic dXNlcjpwYXNz").body());
        assertEquals("anonymous", call("Bearer").body());
        assertEquals("anonymous", call("Bearer ").body());
        assertEquals("anonymous", call("Bearerw4r_x").body());
        assertEquals(401, call("Bearer not-a-token").statusCode());
        HttpResponse<String> unknown = call("Bearer " + Credentials.newSecret());
        assertEquals(401, unknown.statusCode());
        assertEquals(401, call("Bearer " + "w4r_" + "x".repeat(5000)).statusCode());
        // the hash is what is stored and published: presenting it instead of the secret proves nothing
        String secret = Credentials.newSecret(), keyId = Credentials.newKeyId();
        publish(keyId, staff(keyId, Roles.COORDINATOR, secret, null));
        assertEquals(200, call("Bearer " + secret).statusCode());
        assertEquals(401, call("Bearer " + Credentials.sha256(secret)).statusCode());
    }

    @Test
    void withOidcOnAJwtIsLeftToOidcAndEverythingElseStillGoesToTheDirectory() throws Exception {
        String jwt = "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
        assertEquals(401, call(jwt).statusCode(), "OIDC off: the directory refuses it, as it always did");
        mechanism.oidcEnabled = true;
        try {
            assertEquals("anonymous", call(jwt).body(), "left to quarkus-oidc, the next mechanism");
            assertEquals(401, call("Bearer not-a-token").statusCode());
            String secret = Credentials.newSecret(), keyId = Credentials.newKeyId();
            publish(keyId, staff(keyId, Roles.MODERATOR, secret, null));
            assertEquals("test-moderator [moderator] null " + keyId, call("Bearer " + secret).body());
        } finally {
            mechanism.oidcEnabled = false;
        }
    }

    @Test
    void anExpiredTokenIsRefusedAndOneThatHasNotExpiredIsNot() throws Exception {
        String expired = Credentials.newSecret(), expiredKey = Credentials.newKeyId();
        publish(expiredKey, staff(expiredKey, Roles.COORDINATOR, expired, Instant.now().minus(Duration.ofMinutes(1))));
        assertEquals(401, call("Bearer " + expired).statusCode());
        String valid = Credentials.newSecret(), validKey = Credentials.newKeyId();
        publish(validKey, staff(validKey, Roles.COORDINATOR, valid, Instant.now().plus(Duration.ofHours(1))));
        assertEquals(200, call("Bearer " + valid).statusCode());
    }

    @Test
    void aRevokedOrReplacedKeyIsRefusedAtOnce() throws Exception {
        String secret = Credentials.newSecret(), keyId = Credentials.newKeyId();
        publish(keyId, staff(keyId, Roles.DELIVERY, secret, null));
        assertEquals(200, call("Bearer " + secret).statusCode());
        String rotated = Credentials.newSecret();
        publish(keyId, staff(keyId, Roles.DELIVERY, rotated, null)); // the same key, a new secret
        assertEquals(401, call("Bearer " + secret).statusCode(), "the replaced secret no longer opens anything");
        assertEquals(200, call("Bearer " + rotated).statusCode());
        publish(keyId, null); // tombstone
        assertEquals(401, call("Bearer " + rotated).statusCode());
    }
}

package org.w4r.kit.security;

import org.junit.jupiter.api.Test;
import org.w4r.events.CredentialChanged;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The credential index alone: what a token's hash opens, as credentials are issued, rotated, revoked and expire. */
class TokenDirectoryTest {
    private final TokenDirectory directory = new TokenDirectory();

    private static CredentialChanged staff(String keyId, String role, String secret, Instant expiresAt) {
        return new CredentialChanged(UUID.randomUUID(), keyId, Credentials.sha256(secret), role, null, "staff-" + role,
                expiresAt, Instant.now());
    }

    @Test
    void anEntityKeyActsForItsEntityAndAStaffTokenForItsPrincipal() {
        directory.put("key_e", new CredentialChanged(UUID.randomUUID(), "key_e", Credentials.sha256("entity-secret"),
                Roles.ENTITY, "ai-malta", null, null, Instant.now()));
        directory.put("key_s", staff("key_s", Roles.MODERATOR, "staff-secret", null));
        assertEquals(Optional.of(new Caller("ai-malta", Roles.ENTITY, "ai-malta", "key_e")),
                directory.findBySha256(Credentials.sha256("entity-secret")));
        assertEquals(Optional.of(new Caller("staff-moderator", Roles.MODERATOR, null, "key_s")),
                directory.findBySha256(Credentials.sha256("staff-secret")));
        assertEquals(Optional.empty(), directory.findBySha256(Credentials.sha256("unknown")));
        assertEquals(2, directory.size());
    }

    @Test
    void aNewSecretForTheSameKeyReplacesTheOldAndATombstoneRevokes() {
        directory.put("key_1", staff("key_1", Roles.DELIVERY, "old", null));
        directory.put("key_1", staff("key_1", Roles.DELIVERY, "new", null));
        assertEquals(Optional.empty(), directory.findBySha256(Credentials.sha256("old")), "the replaced secret");
        assertEquals("key_1", directory.findBySha256(Credentials.sha256("new")).orElseThrow().keyId());
        assertEquals(1, directory.size());
        directory.put("key_1", null);
        assertEquals(Optional.empty(), directory.findBySha256(Credentials.sha256("new")));
        assertEquals(0, directory.size());
        directory.put("key_never_seen", null); // a tombstone for a key this instance never held
        assertEquals(0, directory.size());
    }

    @Test
    void aCredentialPastItsExpiryOpensNothing() {
        directory.put("key_x", staff("key_x", Roles.COORDINATOR, "expired", Instant.now().minus(Duration.ofSeconds(1))));
        directory.put("key_y", staff("key_y", Roles.COORDINATOR, "valid", Instant.now().plus(Duration.ofHours(1))));
        assertEquals(Optional.empty(), directory.findBySha256(Credentials.sha256("expired")));
        assertEquals("key_y", directory.findBySha256(Credentials.sha256("valid")).orElseThrow().keyId());
    }
}

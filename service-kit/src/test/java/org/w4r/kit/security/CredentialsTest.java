package org.w4r.kit.security;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialsTest {
    @Test
    void theStoredFormIsTheSha256OfTheSecret() {
        // FIPS 180-2's test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Credentials.sha256("abc"));
        assertEquals(64, Credentials.sha256("w4r_é").length());
    }

    @Test
    void secretsAndKeyIdsAreRandomUrlSafeAndPrefixed() {
        Set<String> secrets = new HashSet<>(), keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = Credentials.newSecret(), key = Credentials.newKeyId();
            assertTrue(secret.matches("w4r_[A-Za-z0-9_-]{43}"), secret); // 256 bits, no padding
            assertTrue(key.matches("key_[A-Za-z0-9_-]{12}"), key);
            assertTrue(secrets.add(secret) && keys.add(key));
        }
    }
}

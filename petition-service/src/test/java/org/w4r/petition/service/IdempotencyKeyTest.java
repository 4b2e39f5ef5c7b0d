package org.w4r.petition.service;

import org.junit.jupiter.api.Test;
import org.w4r.events.Events;
import org.w4r.kit.security.Credentials;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The fingerprint kept beside an Idempotency-Key's answer is keyed: without the service's secret, knowing a person's
 * name and email does not let anyone holding the database match it to their request.
 */
class IdempotencyKeyTest {
    static final Map<String, Object> REQUEST = Map.of("caseIds", new String[]{"nassima-al-sada"},
            "signer", Map.of("name", "Ada Lovelace", "email", "ada@example.org"));

    @Test
    void theFingerprintOfARequestIsKeyedByTheServicesSecret() {
        SignerHasher ours = new SignerHasher("our-secret-0123456789abcdefghijk");
        String fingerprint = IdempotencyKey.of("ai-france", "k-1", "POST", "/api/v1/signatures", REQUEST, ours).fingerprint();
        // the same request fingerprints the same (a retry is recognised)...
        assertEquals(fingerprint, IdempotencyKey.of("ai-france", "k-1", "POST", "/api/v1/signatures", REQUEST, ours)
                .fingerprint());
        // ...but not as a plain hash of the request anyone can compute, nor under another secret
        assertNotEquals(Credentials.sha256("POST /api/v1/signatures\n" + Events.toJson(REQUEST)), fingerprint);
        assertNotEquals(IdempotencyKey.of("ai-france", "k-1", "POST", "/api/v1/signatures", REQUEST,
                new SignerHasher("another-secret-0123456789abcdefgh")).fingerprint(), fingerprint);
        // and never as the email's own hash, which signatures keep
        assertNotEquals(ours.hash("POST /api/v1/signatures\n" + Events.toJson(REQUEST)), fingerprint);
    }
}

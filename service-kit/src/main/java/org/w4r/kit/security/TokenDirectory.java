package org.w4r.kit.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.w4r.events.CredentialChanged;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credential index: every active API key and staff token, by the SHA-256 of its secret, as the compacted
 * {@code credentials} topic holds them (one credential per key id; a tombstone revokes). Filled by the reference
 * stream ({@code org.w4r.kit.reference.ReferenceStream}); read on every request, in memory, so authentication never
 * calls another service.
 */
@ApplicationScoped
public class TokenDirectory {
    /** Written by the stream's one thread only, under this object's lock. */
    private final Map<String, CredentialChanged> byKeyId = new HashMap<>();
    private final Map<String, CredentialChanged> byHash = new ConcurrentHashMap<>();

    /**
     * The credential now held under {@code keyId}; null revokes it. A new secret for the same key replaces the old
     * one, which opens nothing from then on.
     */
    public synchronized void put(String keyId, CredentialChanged credential) {
        CredentialChanged old = credential == null ? byKeyId.remove(keyId) : byKeyId.put(keyId, credential);
        if (old != null) {
            byHash.remove(old.sha256());
        }
        if (credential != null) {
            byHash.put(credential.sha256(), credential);
        }
    }

    /** Who the token with this hash belongs to: empty when unknown, revoked or past its {@code expiresAt}. */
    public Optional<Caller> findBySha256(String sha256) {
        CredentialChanged c = byHash.get(sha256);
        if (c == null || (c.expiresAt() != null && !c.expiresAt().isAfter(Instant.now()))) {
            return Optional.empty();
        }
        return Optional.of(Roles.ENTITY.equals(c.role())
                ? new Caller(c.entityId(), Roles.ENTITY, c.entityId(), c.keyId())
                : new Caller(c.principal(), c.role(), null, c.keyId()));
    }

    public synchronized int size() {
        return byKeyId.size();
    }
}

package org.w4r.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One active credential (an entity's API key or a staff token) on compacted topic {@link Topics#CREDENTIALS},
 * keyed by {@code keyId}: its SHA-256 (hex), never its secret. A revoked credential is a tombstone (null value) on
 * the same key. One credential per event, so no event grows with the number of keys an entity holds (an event
 * past the producer's size limit could never be sent, and would stop every later change behind it).
 * {@code entityId} is set for an entity key ({@code role} "entity"), {@code principal} for a staff token.
 * Past {@code expiresAt} (when set) no service accepts it.
 */
public record CredentialChanged(
        UUID eventId,
        String keyId,
        String sha256,
        String role,
        String entityId,
        String principal,
        Instant expiresAt,
        Instant changedAt) {
    /** What the schema requires (a read-only review, 6 December 2026: nothing was checked, not even the eventId). */
    public CredentialChanged {
        Events.require("CredentialChanged", "eventId", eventId);
        Events.require("CredentialChanged", "keyId", keyId);
        Events.require("CredentialChanged", "sha256", sha256);
        Events.require("CredentialChanged", "role", role);
        Events.require("CredentialChanged", "changedAt", changedAt);
    }
}

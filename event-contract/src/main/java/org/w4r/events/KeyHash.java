package org.w4r.events;

/** A credential as the stream carries it: its public id and the SHA-256 (hex) of its secret, never the secret. */
public record KeyHash(String keyId, String sha256) {
}

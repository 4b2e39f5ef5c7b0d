package org.w4r.kit.security;

/**
 * Who a request comes from: an entity ({@code entityId} set) or a staff principal with its role, by a key or staff
 * token of ours ({@code keyId} set), or a staff member signed in through the organisation's identity provider (no
 * {@code keyId}; the principal is the token's {@code sub}; {@code role} null without exactly one staff role).
 */
public record Caller(String principal, String role, String entityId, String keyId) {
    /** Signed in through the IdP: nothing of ours to look up again or revoke. */
    public boolean signedIn() {
        return keyId == null;
    }
}

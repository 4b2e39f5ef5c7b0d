package org.w4r.kit.security;

/** Who a bearer token belongs to: a staff principal with its role, or an entity ({@code entityId} set). */
public record Caller(String principal, String role, String entityId, String keyId) {
}

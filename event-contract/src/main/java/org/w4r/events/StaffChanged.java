package org.w4r.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A staff principal, its role and the hashes of its active tokens; no tokens means it can no longer sign in. */
public record StaffChanged(
        UUID eventId,
        String principal,
        String role,
        List<KeyHash> tokens,
        Instant changedAt) {
}

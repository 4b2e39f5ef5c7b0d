package org.w4r.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The full current state of an entity with the hashes of its active API keys. */
public record EntityChanged(
        UUID eventId,
        String entityId,
        String name,
        String country,
        String kind,
        List<KeyHash> apiKeys,
        Instant changedAt) {
}

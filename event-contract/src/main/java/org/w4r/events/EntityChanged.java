package org.w4r.events;

import java.time.Instant;
import java.util.UUID;

/** The full current state of an entity. Its API keys travel one per event on {@link Topics#CREDENTIALS}. */
public record EntityChanged(
        UUID eventId,
        String entityId,
        String name,
        String country,
        String kind,
        Instant changedAt) {
}

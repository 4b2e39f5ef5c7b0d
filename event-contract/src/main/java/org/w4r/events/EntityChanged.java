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
    /** What the schema requires (a read-only review, 6 December 2026: nothing was checked, not even the eventId). */
    public EntityChanged {
        Events.require("EntityChanged", "eventId", eventId);
        Events.require("EntityChanged", "entityId", entityId);
        Events.require("EntityChanged", "name", name);
        Events.require("EntityChanged", "kind", kind);
        Events.require("EntityChanged", "changedAt", changedAt);
    }
}

package org.w4r.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A supporter's personal data was erased (on topic {@link Topics#ERASURES}, keyed by {@code erasureId}): the ids of
 * the signatures and messages that lost their names, and their cases, so every service drops what it derived from
 * them. Ids only: the person is never named, not even by a hash of their email. {@code entityId} is the entity the
 * request came through, or null for an erasure across entities.
 *
 * <p>Checked when built: every field the schema requires, the lists without a null item. Its consumers skip an
 * {@code eventId} they have applied, so an event without one made every later one without one look applied (a
 * read-only review, 6 December 2026).
 */
public record SignerErased(
        UUID eventId,
        UUID erasureId,
        String entityId,
        List<String> caseIds,
        List<UUID> actionIds,
        Instant erasedAt) {
    public SignerErased {
        Events.require("SignerErased", "eventId", eventId);
        Events.require("SignerErased", "erasureId", erasureId);
        Events.requireItems("SignerErased", "caseIds", caseIds);
        Events.requireItems("SignerErased", "actionIds", actionIds);
        Events.require("SignerErased", "erasedAt", erasedAt);
    }
}

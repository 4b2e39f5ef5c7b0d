package org.w4r.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A supporter's personal data was erased (on topic {@link Topics#ERASURES}, keyed by {@code erasureId}): the cases of
 * the signatures and messages that lost their names, so every service drops what it derived from them (delivery-service
 * marks the packs of those cases). The person is never named, not even by a hash of their email. {@code entityId} is
 * the entity the request came through, or null for an erasure across entities.
 *
 * <p>Not the actions' ids: until a read-only review of 7 December 2026 it listed them, and the topic is kept for good,
 * so every erasure left a record tying one person's actions together (each with its case, entity, time and country on
 * {@code actions}), which no one had before it and which no consumer read. Events written before still carry
 * {@code actionIds}; a reader ignores it.
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
        Instant erasedAt) {
    public SignerErased {
        Events.require("SignerErased", "eventId", eventId);
        Events.require("SignerErased", "erasureId", erasureId);
        Events.requireItems("SignerErased", "caseIds", caseIds);
        Events.require("SignerErased", "erasedAt", erasedAt);
    }
}

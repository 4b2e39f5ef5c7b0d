package org.w4r.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The full current state of a campaign (an edition), published on every change. Checked when built (a read-only
 * review, 6 December 2026, found nothing was): every field the schema requires, which readers dereference (the
 * window an action must fall in, {@code changedAt} to choose the current campaign), and each extension whole.
 */
public record CampaignChanged(
        UUID eventId,
        String campaignId,
        String name,
        Instant opensAt,
        Instant closesAt,
        boolean current,
        List<Extension> extensions,
        Instant changedAt) {

    public CampaignChanged {
        String event = "CampaignChanged";
        Events.require(event, "eventId", eventId);
        Events.require(event, "campaignId", campaignId);
        Events.require(event, "name", name);
        Events.require(event, "opensAt", opensAt);
        Events.require(event, "closesAt", closesAt);
        Events.requireItems(event, "extensions", extensions);
        for (Extension extension : extensions) {
            Events.require(event, "extensions.entityId", extension.entityId());
            Events.require(event, "extensions.closesAt", extension.closesAt());
        }
        Events.require(event, "changedAt", changedAt);
    }

    /** One entity allowed to take actions until a later date (France ran 2020 to April). */
    public record Extension(String entityId, Instant closesAt) {
    }
}

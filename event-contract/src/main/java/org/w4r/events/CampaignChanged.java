package org.w4r.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The full current state of a campaign (an edition), published on every change. */
public record CampaignChanged(
        UUID eventId,
        String campaignId,
        String name,
        Instant opensAt,
        Instant closesAt,
        boolean current,
        List<Extension> extensions,
        Instant changedAt) {

    /** One entity allowed to take actions until a later date (France ran 2020 to April). */
    public record Extension(String entityId, Instant closesAt) {
    }
}

package org.w4r.tally.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** {@code w4r.stream.*}: the staff's live streams and the tickets that open them (docs/tally-service.md). */
@ConfigMapping(prefix = "w4r.stream")
public interface StreamSettings {
    /** Open streams per staff principal: each holds a connection and a listener. */
    @WithDefault("5")
    int maxPerPrincipal();

    /** How soon a stream ends once the credential that opened it is revoked, expired or no longer staff. */
    @WithDefault("PT0.5S")
    Duration recheckInterval();

    /**
     * The key that seals tickets, shared by every instance; without it, one per instance. Set, it must be 32 characters
     * or more, not the examples' {@code change-me-…} placeholder nor plainly patterned, or the service does not start.
     */
    Optional<String> ticketKey();

    @WithDefault("PT30S")
    Duration ticketTtl();

    /**
     * The longest a signed-in staff member's stream runs on one ticket: their access token's expiry, but no more than
     * this after the ticket is redeemed (the longest access token an IdP is expected to issue; a longer one just means
     * the page opens the stream again with a new ticket).
     */
    @WithDefault("PT2H")
    Duration signInMax();
}

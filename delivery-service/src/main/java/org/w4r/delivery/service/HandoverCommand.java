package org.w4r.delivery.service;

import java.time.Instant;
import java.util.List;

/** A handover to record; {@code cutoff} null means at {@code deliveredAt}; {@code notes} may be null. */
public record HandoverCommand(Instant deliveredAt, Instant cutoff, String deliveredBy, String notes,
                              List<String> evidence) {
}

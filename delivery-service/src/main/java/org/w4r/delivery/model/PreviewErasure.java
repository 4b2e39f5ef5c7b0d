package org.w4r.delivery.model;

import java.time.Instant;

/**
 * On a delivery whose pack previews were taken before signers or authors of its case were erased: those {@code
 * previews} copies hold erased names and must be destroyed ({@code destroyPreviewsTakenBefore}); a preview taken after
 * the last erasure does not. Whatever the delivery's status: a plan handed over or cancelled since left its previews
 * with whoever saved them.
 */
public record PreviewErasure(long erasures, Instant lastErasedAt, Instant destroyPreviewsTakenBefore, long previews) {
}

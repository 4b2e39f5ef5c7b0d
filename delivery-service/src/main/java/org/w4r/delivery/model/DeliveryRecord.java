package org.w4r.delivery.model;

/**
 * A delivery with what was recorded of it: {@code handover} and {@code counts} once delivered (else null),
 * {@code erasure} when copies of its pack issued before an erasure must be destroyed, and {@code previewErasure} when
 * previews taken before one must (else null).
 */
public record DeliveryRecord(Delivery delivery, Handover handover, FrozenCounts counts, PackErasure erasure,
                             PreviewErasure previewErasure) {
}

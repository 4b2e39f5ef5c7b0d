package org.w4r.delivery.model;

import java.time.Instant;

/**
 * On a handover whose pack copies were issued before signers or authors of its case were erased: those copies must
 * be destroyed ({@code destroyCopiesIssuedBefore}) and a new pack issued ({@code newPackIssued} once one was).
 */
public record PackErasure(long erasures, Instant lastErasedAt, Instant destroyCopiesIssuedBefore, boolean newPackIssued) {
}

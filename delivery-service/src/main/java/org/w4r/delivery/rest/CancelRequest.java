package org.w4r.delivery.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.validation.OneLine;

/** Optional body of {@code POST /api/v1/deliveries/{id}/cancel}. */
public record CancelRequest(@OneLine(max = 500) @Schema(nullable = true, maxLength = 500, example = "postponed to next year") String reason) {
}

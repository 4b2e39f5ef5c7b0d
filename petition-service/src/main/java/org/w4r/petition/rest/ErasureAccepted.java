package org.w4r.petition.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.openapi.RequiredUnlessNullable;

import java.util.UUID;

/**
 * The same for everyone: whether the person signed, how often and through whom is not the caller's to learn
 * (an entity key could otherwise probe any email).
 */
@RequiredUnlessNullable
@Schema(description = "The same answer whether or not the person ever signed")
public record ErasureAccepted(UUID erasureId,
                              @Schema(enumeration = "accepted") String status) {
    static ErasureAccepted of(UUID erasureId) {
        return new ErasureAccepted(erasureId, "accepted");
    }
}

package org.w4r.petition.rest;

import java.util.UUID;

/**
 * The same for everyone: whether the person signed, how often and through whom is not the caller's to learn
 * (an entity key could otherwise probe any email).
 */
public record ErasureAccepted(UUID erasureId, String status) {
    static ErasureAccepted of(UUID erasureId) {
        return new ErasureAccepted(erasureId, "accepted");
    }
}

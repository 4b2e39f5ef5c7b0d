package org.w4r.petition.rest;

/** What the write endpoints say alike in the OpenAPI document. */
final class Api {
    static final String KEY_DESCRIPTION = "Makes a retry safe: the first answer is stored under (entity, key) with its "
            + "effect, and the same request with the same key gets it again (Idempotent-Replayed: true) and changes "
            + "nothing; the same key with another body is refused (422). Kept two days.";
    static final String REPLAYED_DESCRIPTION = "'true' when this is the answer stored under the Idempotency-Key";
    static final String JSON = "application/json";
    static final String RATE_LIMITED_DESCRIPTION = "Over a rate limit of the entity or of one signer email domain in it "
            + "('scope', 'limit'; a batch: 'requested' and 'available' tokens): nothing was stored and the "
            + "Idempotency-Key is unused; send it again after Retry-After seconds";
    static final String RETRY_AFTER_DESCRIPTION = "Whole seconds to wait before sending it again";

    private Api() {
    }
}

package org.w4r.petition.rest;

/** What the endpoints say alike in the OpenAPI document; what every idempotent write says is {@link IdempotentWrites}'. */
final class Api {
    static final String JSON = "application/json";
    static final String RATE_LIMITED_DESCRIPTION = "Over a rate limit of the entity or of one signer email domain in it "
            + "('scope', 'limit'; a batch: 'requested' and 'available' tokens): nothing was stored and the "
            + "Idempotency-Key is unused; send it again after Retry-After seconds";
    static final String RETRY_AFTER_DESCRIPTION = "Whole seconds to wait before sending it again";

    private Api() {
    }
}

package org.w4r.petition.rest;

/** What the write endpoints say alike in the OpenAPI document. */
final class Api {
    static final String KEY_DESCRIPTION = "Makes a retry safe: the first answer is stored under (entity, key) with its "
            + "effect, and the same request with the same key gets it again (Idempotent-Replayed: true) and changes "
            + "nothing; the same key with another body is refused (422). Kept two days.";
    static final String REPLAYED_DESCRIPTION = "'true' when this is the answer stored under the Idempotency-Key";
    static final String JSON = "application/json";

    private Api() {
    }
}

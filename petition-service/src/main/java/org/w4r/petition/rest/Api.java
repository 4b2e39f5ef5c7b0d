package org.w4r.petition.rest;

/** What the endpoints say alike in the OpenAPI document; what every idempotent write says is {@link IdempotentWrites}'. */
final class Api {
    static final String JSON = "application/json";

    private Api() {
    }
}

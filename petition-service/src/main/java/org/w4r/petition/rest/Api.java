package org.w4r.petition.rest;

/** What the endpoints say alike in the OpenAPI document; what every idempotent write says is {@link IdempotentWrites}'. */
final class Api {
    static final String JSON = "application/json";
    static final String RATE_LIMITED_DESCRIPTION = "Over a rate limit of the entity or of one signer email domain in it "
            + "('scope', 'limit'; a batch: 'requested' and 'available' tokens): nothing was stored and the "
            + "Idempotency-Key is unused; send it again after Retry-After seconds";
    static final String RETRY_AFTER_DESCRIPTION = "Whole seconds to wait before sending it again";
    /** The 404 of an action that may name a campaign instead of a case (online actions, offline counts). */
    static final String CASE_OR_CAMPAIGN_UNKNOWN = "The case or campaign does not exist ('id' names it), or the "
            + "case is not yours to know of (a draft, a case closed without ever being active, another entity's local "
            + "case): the same answer for all";
    /**
     * The 404 of a case: what an unknown id, a draft, a case closed without ever being active and another entity's
     * local case are all answered, alike (a read-only security review, 6 December 2026: each was a 422 of its own, so an
     * entity key told which slugs of people's names were cases being prepared).
     */
    static final String CASE_UNKNOWN = "The case does not exist ('id' names it), or is not yours to know of (a draft, a "
            + "case closed without ever being active, another entity's local case): the same answer for all";
    /** What the rules refuse an action for that may name a campaign instead of a case, before its date is looked at. */
    static final String CASE_OR_CAMPAIGN_REFUSED = "The case was closed after being active, the case is "
            + "not of the campaign named, no campaign is current";
    /**
     * How the 422 of an entity's write stored on its own ends, after what its own rules refuse: what the committer
     * refuses for any such write ({@code EntityWrites}, and a signature's group commit).
     */
    static final String KEY_OR_VALUE_REFUSED = "the Idempotency-Key was used for another request, or the database "
            + "refused a value";

    /** The 409 of a new count (or a correction of one) for a campaign anonymised under the retention schedule. */
    static final String CAMPAIGN_RETIRED = "campaign-retired: the campaign was anonymised under the retention schedule; "
            + "its counts are final";

    private Api() {
    }
}

package org.w4r.replay;

/**
 * What an answer tells an entity site about its action. Outcome unknown: the problem type says so, or any 503 (the
 * action may or may not be stored, or nothing was done and it may be sent again: either way the site retries with
 * the same Idempotency-Key). 429 is counted apart from other 4xx: it is load, not a mistake of the caller.
 */
enum AnswerClass {
    OK("2xx"),
    OUTCOME_UNKNOWN("outcome unknown"),
    TOO_MANY("429"),
    OTHER_4XX("other 4xx"),
    OTHER_5XX("other 5xx"),
    UNANSWERED("unanswered");

    final String label;

    AnswerClass(String label) {
        this.label = label;
    }

    /** {@code status} -1: no answer (connection failed, timed out, or never sent because the run fell behind). */
    static AnswerClass of(int status, String problemType) {
        if (status < 100) {
            return UNANSWERED;
        }
        if (status / 100 == 2) {
            return OK;
        }
        if (status == 503 || (problemType != null && problemType.endsWith("outcome-unknown"))) {
            return OUTCOME_UNKNOWN;
        }
        if (status == 429) {
            return TOO_MANY;
        }
        return status >= 500 ? OTHER_5XX : OTHER_4XX; // a 1xx or 3xx final answer (the API sends none) is not done either
    }

    /** Worth sending again with the same key: the first answer did not say what happened. */
    boolean retried() {
        return this == OUTCOME_UNKNOWN;
    }
}

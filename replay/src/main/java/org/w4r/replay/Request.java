package org.w4r.replay;

/**
 * One HTTP request of the replay: who sends it, where, its body and Idempotency-Key, whether it is sent a second
 * time with the same key (a retry that must change nothing), and what its answer must say. {@code itemActions}: the
 * actions of each item in order (a batch's items are ids "i0", "i1"…; one entry for a request on its own), so that
 * only what was acknowledged is counted as such.
 */
record Request(String entityId, String path, String body, String idempotencyKey, boolean retry, boolean batch,
               int accepted, int duplicates, long actions, long[] itemActions) {
}

package org.w4r.petition.service;

/**
 * What a write answers: its status and its JSON body, exactly as stored under its Idempotency-Key (a replay sends
 * these bytes again); {@code replayed} when it is that stored answer.
 */
public record Answer(int status, String body, boolean replayed) {
}

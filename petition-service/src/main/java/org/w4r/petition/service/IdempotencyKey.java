package org.w4r.petition.service;

import org.w4r.events.Events;
import org.w4r.kit.problem.ProblemException;

/**
 * A request's {@code Idempotency-Key} under its principal, with the fingerprint of the request sent with it: a retry
 * must send the same request to get its stored answer. The fingerprint is keyed ({@link SignerHasher#fingerprint}):
 * a request holds a signer's name and email, and a plain SHA-256 of it, kept beside the action ids of the answer, let
 * anyone holding the database (or a backup) confirm that a named person signed, by trying the few forms of their
 * request, even after their erasure (a read-only audit, 4 December 2026).
 */
public record IdempotencyKey(String principal, String key, String fingerprint) {
    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_LENGTH = 200;

    /** Null without a key; a key the service cannot keep is refused before anything happens. */
    public static IdempotencyKey of(String principal, String key, String method, String path, Object request,
                                    SignerHasher hasher) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > MAX_LENGTH) {
            throw ProblemException.invalid(HEADER, "the Idempotency-Key header must have 1 to " + MAX_LENGTH + " characters");
        }
        return new IdempotencyKey(principal, key, hasher.fingerprint(method + " " + path + "\n" + Events.toJson(request)));
    }
}

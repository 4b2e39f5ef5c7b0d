package org.w4r.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One thing an entity website reports (a signature, message, online action or offline count), as the body of its
 * own endpoint or of a batch item, with what it must do to the counts: how many results "accepted" and "duplicate"
 * it must get and how many actions it adds.
 */
record Item(String kind, ObjectNode body, int accepted, int duplicates, long actions) {
    static final String SIGNATURE = "signature";
    static final String MESSAGE = "message";
    static final String ACTION = "action";
    static final String OFFLINE_COUNT = "offline-count";

    /** The endpoint that takes this item on its own. */
    String path() {
        return switch (kind) {
            case SIGNATURE -> "/api/v1/signatures";
            case MESSAGE -> "/api/v1/messages";
            case ACTION -> "/api/v1/actions";
            case OFFLINE_COUNT -> "/api/v1/offline-counts";
            default -> throw new IllegalStateException(kind);
        };
    }
}

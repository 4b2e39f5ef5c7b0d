package org.w4r.petition.model;

import java.time.Instant;
import java.util.List;

/**
 * What waits for a moderator: how many messages and since when the oldest was received, in all and by case, entity and
 * language ({@code key} null in a language group: messages with no language).
 */
public record WaitingMessages(Group all, List<Group> cases, List<Group> entities, List<Group> languages) {

    /** {@code oldestReceivedAt} null when nothing waits. */
    public record Group(String key, long waiting, Instant oldestReceivedAt) {
    }
}

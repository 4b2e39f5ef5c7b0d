package org.w4r.kit.outbox;

import org.w4r.events.Events;

import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive events of one topic that share an outbox row (issue 20: a row per event was a third of the rows
 * PostgreSQL wrote per signature; {@code V0_6__outbox_grouped_rows.sql}). A row stays small enough to be stored on
 * its page as it is, and holds no more events than a relay batch, so a batch (and a re-send after a crash) stays
 * within {@code w4r.outbox.batch-size} events, which the consumers' dedupe window counts on.
 */
final class Group {
    /** The most events in one row. */
    static final int MOST_EVENTS = 100;

    /**
     * The most characters of keys, payloads and trace contexts in one row: with the row's own overhead it stays under
     * the partitions' {@code toast_tuple_target} (8,160 bytes), so it is neither compressed nor moved out of line.
     * Events carry ids and counts (ASCII), so a character is a byte. An event larger than this has a row of its own.
     */
    static final int MOST_CHARS = 7_000;

    private Group() {
    }

    /** A row to write, its payload serialized once (null: a tombstone). */
    record Event(Outbox.Row row, String payload) {
        static Event of(Outbox.Row row) {
            return new Event(row, row.event() == null ? null : Events.toJson(row.event()));
        }

        int chars() {
            int chars = 8 + length(row.key()) + length(payload);
            if (row.trace() != null) {
                chars += length(row.trace().traceparent()) + length(row.trace().tracestate());
            }
            return chars;
        }

        private static int length(String text) {
            return text == null ? 0 : text.length();
        }
    }

    /** {@code rows} in order, cut into groups of one topic, each at most {@code mostEvents} and {@link #MOST_CHARS}. */
    static List<List<Event>> of(List<Outbox.Row> rows, int mostEvents) {
        List<List<Event>> groups = new ArrayList<>();
        List<Event> group = new ArrayList<>();
        int chars = 0;
        for (Outbox.Row row : rows) {
            Event event = Event.of(row);
            boolean fits = !group.isEmpty() && group.get(0).row().topic().equals(row.topic())
                    && group.size() < mostEvents && chars + event.chars() <= MOST_CHARS;
            if (!fits && !group.isEmpty()) {
                groups.add(group);
                group = new ArrayList<>();
                chars = 0;
            }
            group.add(event);
            chars += event.chars();
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }
}

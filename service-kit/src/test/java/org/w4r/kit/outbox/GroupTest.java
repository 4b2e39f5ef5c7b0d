package org.w4r.kit.outbox;

import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link Outbox#addAll}'s events are cut into outbox rows: order kept, one topic a row, bounded rows. */
class GroupTest {
    private static Outbox.Row row(String topic, int i) {
        return new Outbox.Row(topic, "key-" + i, Map.of("n", i), null);
    }

    private static List<Outbox.Row> flatten(List<List<Group.Event>> groups) {
        List<Outbox.Row> rows = new ArrayList<>();
        groups.forEach(group -> group.forEach(event -> rows.add(event.row())));
        return rows;
    }

    @Test
    void consecutiveEventsOfOneTopicShareARowAndTheOrderIsKept() {
        List<Outbox.Row> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(row(Topics.ACTIONS, i));
        }
        rows.add(row(Topics.ERASURES, 5));
        rows.add(row(Topics.ACTIONS, 6));
        rows.add(row(Topics.ACTIONS, 7));

        List<List<Group.Event>> groups = Group.of(rows, 100);

        assertEquals(List.of(5, 1, 2), groups.stream().map(List::size).toList());
        assertEquals(rows, flatten(groups), "every event, in the order given");
        for (List<Group.Event> group : groups) {
            assertEquals(1, group.stream().map(event -> event.row().topic()).distinct().count(), "one topic a row");
        }
        assertEquals("{\"n\":0}", groups.get(0).get(0).payload(), "the payload serialized once, for the row");
    }

    @Test
    void aRowHoldsAtMostTheEventsAndCharactersItMay() {
        List<Outbox.Row> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rows.add(row(Topics.ACTIONS, i));
        }
        assertEquals(List.of(10, 10, 5), Group.of(rows.subList(0, 25), 10).stream().map(List::size).toList());

        List<List<Group.Event>> bySize = Group.of(rows, Group.MOST_EVENTS);
        assertEquals(rows, flatten(bySize));
        for (List<Group.Event> group : bySize) {
            int chars = group.stream().mapToInt(Group.Event::chars).sum();
            assertTrue(chars <= Group.MOST_CHARS, chars + " characters in one row");
            assertTrue(group.size() <= Group.MOST_EVENTS, group.size() + " events in one row");
        }
        assertEquals(3, bySize.size(), "250 small events: 100 a row");
    }

    @Test
    void anEventLargerThanARowHasARowOfItsOwn() {
        Outbox.Row large = new Outbox.Row(Topics.ACTIONS, "key-big", Map.of("pad", "x".repeat(Group.MOST_CHARS)), null);
        List<Outbox.Row> rows = List.of(row(Topics.ACTIONS, 0), large, row(Topics.ACTIONS, 1), row(Topics.ACTIONS, 2));

        List<List<Group.Event>> groups = Group.of(rows, 100);

        assertEquals(List.of(1, 1, 2), groups.stream().map(List::size).toList());
        assertEquals(large, groups.get(1).get(0).row());
    }

    @Test
    void aTombstoneKeepsItsPlaceWithANullPayload() {
        List<Outbox.Row> rows = List.of(row(Topics.CREDENTIALS, 0), new Outbox.Row(Topics.CREDENTIALS, "key-1", null, null),
                row(Topics.CREDENTIALS, 2));

        List<List<Group.Event>> groups = Group.of(rows, 100);

        assertEquals(1, groups.size());
        assertEquals(null, groups.get(0).get(1).payload());
    }
}

package org.w4r.delivery.model;

import org.w4r.events.ActionType;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts up to a cut-off, at the grain entity x type; the totals by entity and by type are sums of the cells. */
public record FrozenCounts(List<Cell> cells) {
    public record Cell(String entityId, String type, long count) {
    }

    /** The counts of the messages a solidarity handover counts: one cell per entity, of type message. */
    public static FrozenCounts ofMessages(List<CountedMessage> messages) {
        Map<String, Long> byEntity = new TreeMap<>();
        messages.forEach(m -> byEntity.merge(m.entityId(), 1L, Long::sum));
        return new FrozenCounts(byEntity.entrySet().stream()
                .map(e -> new Cell(e.getKey(), ActionType.MESSAGE.code(), e.getValue())).toList());
    }

    public long total() {
        return cells.stream().mapToLong(Cell::count).sum();
    }

    public Map<String, Long> byEntity() {
        Map<String, Long> totals = new TreeMap<>();
        cells.forEach(c -> totals.merge(c.entityId(), c.count(), Long::sum));
        return totals;
    }

    public Map<String, Long> byType() {
        Map<String, Long> totals = new TreeMap<>();
        cells.forEach(c -> totals.merge(c.type(), c.count(), Long::sum));
        return totals;
    }
}

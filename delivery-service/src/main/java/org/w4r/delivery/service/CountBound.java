package org.w4r.delivery.service;

import org.jboss.logging.Logger;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.events.Events;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The event contract's bound on a frozen figure ({@link Events#MAX_FROZEN_COUNT}, and never below 0), checked before a
 * handover writes anything. An entity may report offline counts of up to 1,000,000 each, as many as it likes, and
 * corrections below what it reported; the ledger sums them as they come. Past the bound the handover row was inserted,
 * then {@code HandoverRecorded} refused to be built: rolled back and answered 500 (a bug), on every retry alike (found
 * by a review, 6 Dec 2026). No retry can mend it, only staff correcting the reports, so it is a 422 naming the
 * figures, and a warning for an operator: it means a mistake or abuse.
 */
final class CountBound {
    private static final Logger LOG = Logger.getLogger(CountBound.class);

    private CountBound() {
    }

    /** Refuses {@code counts} (422 counts-out-of-range) when a figure the event would carry is out of the bound. */
    static void check(Delivery delivery, FrozenCounts counts, String what) {
        List<String> figures = outOfRange(counts);
        if (figures.isEmpty()) {
            return;
        }
        // ids and figures only: the entity and type ids name organisations and kinds of action, never a person
        LOG.warnf("%s of delivery %s (case %s) refused: %s outside [0, %d] (total %d, by entity %s, by type %s); "
                        + "the entity's reports need correcting", what, delivery.id(), delivery.caseId(), figures,
                Events.MAX_FROZEN_COUNT, counts.total(), counts.byEntity(), counts.byType());
        throw new ProblemException(Problem.of(422, "counts-out-of-range", "Counts out of range", "the counts of "
                        + "this case up to the cut-off are outside what a handover can record (0 to "
                        + Events.MAX_FROZEN_COUNT + " in each figure): " + String.join(", ", figures)
                        + "; nothing was recorded: the reports behind them need correcting, sending it again will not help")
                .with("figures", figures).with("max", Events.MAX_FROZEN_COUNT));
    }

    /** The figures outside the bound, named as the event's fields are: total, byEntity.{entity}, byType.{type}. */
    static List<String> outOfRange(FrozenCounts counts) {
        List<String> figures = new ArrayList<>();
        if (outside(counts.total())) {
            figures.add("total");
        }
        add(figures, "byEntity.", counts.byEntity());
        add(figures, "byType.", counts.byType());
        return figures;
    }

    private static void add(List<String> figures, String prefix, Map<String, Long> breakdown) {
        breakdown.forEach((key, value) -> {
            if (outside(value)) {
                figures.add(prefix + key);
            }
        });
    }

    private static boolean outside(long value) {
        return value < 0 || value > Events.MAX_FROZEN_COUNT;
    }
}

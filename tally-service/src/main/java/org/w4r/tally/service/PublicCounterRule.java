package org.w4r.tally.service;

import org.w4r.events.CaseChanged;

/**
 * Whether a case's figures may be shown to the public: its public counter is switched on, it is past draft and it is
 * not on safety hold. The one place that decides it, for the public counter ({@link LiveTotalsService#counter}) and
 * the open data ({@link OpenDataService}) alike; whichever reason hides a case, both answer alike, so the public
 * cannot tell a hold or a draft from a switched-off counter.
 *
 * <p>Drafts: the counter checked only the switch and the hold, so it answered 200 with the count and goal of a case
 * still being prepared (new cases have the counter on by default), and case ids are slugs of a person's name: anyone
 * could probe whether a case was being prepared for a named person. Found by a read-only audit, 4 December 2026.
 */
public final class PublicCounterRule {
    private PublicCounterRule() {
    }

    /**
     * {@code counted}: the actions counted for the case. A closed case with none is hidden as a draft is: case-service
     * lets a draft be closed (there is no delete), and a draft dropped because publicity would endanger the person was
     * then shown, by name, in the open data and to every entity, and its counter answered 200 (a read-only review, 6
     * December 2026). No action can be taken for a case that was never active, so "closed with nothing counted" holds
     * every such case; one that was active and closed with nothing counted has nothing to show either.
     */
    public static boolean shows(CaseChanged c, long counted) {
        return showsOnceReleased(c) && c.hold() == null && !neverCounted(c, counted);
    }

    /** Closed with nothing counted: possibly a draft dropped, which no one outside case-service may learn of. */
    public static boolean neverCounted(CaseChanged c, long counted) {
        return "closed".equals(c.status()) && counted <= 0;
    }

    /** Whether it shows once a hold, if any, is lifted: what a milestone, which waits out a hold, is told under. */
    public static boolean showsOnceReleased(CaseChanged c) {
        return c.publicCounter() && !"draft".equals(c.status());
    }
}

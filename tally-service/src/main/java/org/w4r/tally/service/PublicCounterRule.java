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

    public static boolean shows(CaseChanged c) {
        return showsOnceReleased(c) && c.hold() == null;
    }

    /** Whether it shows once a hold, if any, is lifted: what a milestone, which waits out a hold, is told under. */
    public static boolean showsOnceReleased(CaseChanged c) {
        return c.publicCounter() && !"draft".equals(c.status());
    }
}

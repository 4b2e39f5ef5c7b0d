package org.w4r.petition.service;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An offline count is dated noon UTC of its event's day; on the window's first or last day that noon may fall outside
 * the window (it opens after noon, or an extension closes before it: midnight in Auckland is 11:00 UTC), and such an
 * event was refused outside-campaign-window (a read-only review, 8 December 2026). It is dated inside the window, on
 * its own day; a day wholly outside the window keeps its noon and is refused.
 */
class OfflineCountDateTest {
    static final ActionRules.Window WINDOW = new ActionRules.Window(null, Instant.parse("2026-11-20T15:00:00Z"),
            Instant.parse("2027-01-31T11:00:00Z"));
    static final Instant LATER = Instant.parse("2027-02-02T09:00:00Z");

    static Instant dated(String day, Instant now) {
        LocalDate d = LocalDate.parse(day);
        return OfflineCountService.onItsDayInTheWindow(WINDOW, d, Instant.parse(day + "T12:00:00Z"), now);
    }

    @Test
    void anEventOnTheWindowsEdgeDayIsDatedInsideItOnThatDay() {
        assertEquals(Instant.parse("2027-01-31T10:59:59.999999Z"), dated("2027-01-31", LATER), "the last day");
        assertEquals(Instant.parse("2026-11-20T15:00:00Z"), dated("2026-11-20", LATER), "the first day");
        assertEquals(Instant.parse("2026-12-10T12:00:00Z"), dated("2026-12-10", LATER), "a day inside: noon");
        assertEquals(Instant.parse("2027-02-01T12:00:00Z"), dated("2027-02-01", LATER), "a day outside: refused later");
        assertEquals(Instant.parse("2026-11-19T12:00:00Z"), dated("2026-11-19", LATER), "the day before: refused later");
    }

    @Test
    void neverAfterNow() {
        // reported at 10:00 UTC on the last day (dated now, inside): kept
        Instant now = Instant.parse("2027-01-31T10:00:00Z");
        assertEquals(now, OfflineCountService.onItsDayInTheWindow(WINDOW, LocalDate.parse("2027-01-31"), now, now));
    }
}

package org.w4r.replay;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineTest {
    private final Timeline timeline = new Timeline();

    @Test
    void everyInstantIsInsideThe2020WindowAndTheTenthOfDecemberIsThePeak() {
        SplittableRandom random = new SplittableRandom(2020);
        Map<LocalDate, Integer> perDay = new TreeMap<>();
        for (int i = 0; i < 200_000; i++) {
            Instant t = timeline.instant(random);
            assertTrue(!t.isBefore(Instant.parse("2020-10-01T00:00:00Z")) && t.isBefore(Instant.parse("2021-02-01T00:00:00Z")), t.toString());
            perDay.merge(t.atZone(ZoneOffset.UTC).toLocalDate(), 1, Integer::sum);
        }
        LocalDate busiest = perDay.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals(LocalDate.of(2020, 12, 10), busiest);
        assertEquals(123, perDay.size(), "every day of the window has actions");
        assertEquals(LocalDate.of(2020, 10, 1), ((TreeMap<LocalDate, Integer>) perDay).firstKey());
        assertEquals(LocalDate.of(2021, 1, 31), ((TreeMap<LocalDate, Integer>) perDay).lastKey());
        // December carries most of the campaign, October little of it
        int december = perDay.entrySet().stream().filter(e -> e.getKey().getMonthValue() == 12).mapToInt(Map.Entry::getValue).sum();
        int october = perDay.entrySet().stream().filter(e -> e.getKey().getMonthValue() == 10).mapToInt(Map.Entry::getValue).sum();
        assertTrue(december > 3 * october, december + " vs " + october);
    }

    @Test
    void aMovedCalendarKeepsTheShapeAndClosesOnTheDayGiven() {
        Timeline moved = Timeline.endingOn(LocalDate.of(2026, 12, 7));
        assertEquals(Instant.parse("2026-12-07T00:00:00Z"), moved.closesAt());
        assertEquals(Instant.parse("2026-08-06T00:00:00Z"), moved.opensAt(), "the 2020 window's 123 days");
        SplittableRandom a = new SplittableRandom(5), b = new SplittableRandom(5);
        long shift = java.time.temporal.ChronoUnit.DAYS.between(Timeline.CLOSES, LocalDate.of(2026, 12, 7));
        for (int i = 0; i < 10_000; i++) {
            Instant t = moved.instant(a);
            assertTrue(!t.isBefore(moved.opensAt()) && t.isBefore(moved.closesAt()), t.toString());
            assertEquals(timeline.instant(b).plus(java.time.Duration.ofDays(shift)), t, "the same draw, moved by whole days");
        }
        assertEquals(timeline.opensAt(), Timeline.OPENS_AT);
        assertEquals(timeline.closesAt(), Timeline.CLOSES_AT);
    }

    @Test
    void theSameSeedGivesTheSameTimes() {
        SplittableRandom a = new SplittableRandom(9), b = new SplittableRandom(9);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(timeline.instant(a), timeline.instant(b));
        }
    }
}

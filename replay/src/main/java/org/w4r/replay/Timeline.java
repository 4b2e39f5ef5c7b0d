package org.w4r.replay;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

/**
 * When the 2020 actions happened: 1 October 2020 to 31 January 2021, quiet in October and most of November, rising
 * from the global launch (late November) to the peak on 10 December (Human Rights Day), falling off before
 * Christmas, and a long tail in January. The report gives only the window and the peak day; this shape around them
 * is our assumption, and it is the same for every run.
 *
 * <p>The same shape may be moved to a later calendar ({@link #endingOn}): a campaign that closed more than
 * {@code w4r.retention.after} (six months) ago is due for anonymisation, and petition-service's retention schedule,
 * hourly from five minutes after its start, anonymises it and refuses its further actions with 409 campaign-retired.
 * A replay on the 2020 dates that spans one of those passes failed from it on (7 December 2026: a tenth of the
 * campaign, 40 % sent, every later request refused). {@code ./platform replay} therefore moves the campaign so that
 * it closed at the start of the run's day; the demo's edition keeps 2020, its handovers are at the report's dates.
 */
public final class Timeline {
    public static final LocalDate OPENS = LocalDate.of(2020, 10, 1);
    /** Exclusive: the campaign window closes at the start of 1 February 2021. */
    public static final LocalDate CLOSES = LocalDate.of(2021, 2, 1);
    public static final LocalDate PEAK = LocalDate.of(2020, 12, 10);
    public static final Instant OPENS_AT = OPENS.atStartOfDay(ZoneOffset.UTC).toInstant();
    public static final Instant CLOSES_AT = CLOSES.atStartOfDay(ZoneOffset.UTC).toInstant();

    private final double[] cumulative;
    /** Days from the 2020 calendar to this one's. */
    private final long shiftDays;

    /** The 2020 calendar. */
    public Timeline() {
        this(0);
    }

    /** The 2020 shape moved by whole days, so that the window closes (exclusive) at the start of {@code closes}. */
    public static Timeline endingOn(LocalDate closes) {
        return new Timeline(ChronoUnit.DAYS.between(CLOSES, closes));
    }

    private Timeline(long shiftDays) {
        this.shiftDays = shiftDays;
        int days = (int) ChronoUnit.DAYS.between(OPENS, CLOSES);
        cumulative = new double[days];
        double sum = 0;
        for (int d = 0; d < days; d++) {
            sum += weight(OPENS.plusDays(d));
            cumulative[d] = sum;
        }
        for (int d = 0; d < days; d++) {
            cumulative[d] /= sum;
        }
    }

    /** Relative activity of a day. */
    static double weight(LocalDate day) {
        long toPeak = ChronoUnit.DAYS.between(day, PEAK);
        if (toPeak == 0) {
            return 14;
        }
        if (toPeak > 0 && toPeak <= 20) { // from the launch (20 November) up to the peak
            return 2 + 6.0 * (20 - toPeak) / 20;
        }
        if (toPeak < 0 && toPeak >= -14) { // the fortnight after it
            return 2 + 5.0 * (14 + toPeak) / 14;
        }
        return toPeak > 0 ? 0.6 : 0.9; // before the launch; January follow-ups
    }

    /** A day of the window, drawn with the shape above. */
    public LocalDate day(SplittableRandom random) {
        double u = random.nextDouble();
        int lo = 0, hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return OPENS.plusDays(lo + shiftDays);
    }

    /** The first instant of the window. */
    public Instant opensAt() {
        return OPENS_AT.plus(shiftDays, ChronoUnit.DAYS);
    }

    /** The end of the window, exclusive. */
    public Instant closesAt() {
        return CLOSES_AT.plus(shiftDays, ChronoUnit.DAYS);
    }

    /** An instant of the window: a day drawn as above, a second of that day uniformly. */
    public Instant instant(SplittableRandom random) {
        return day(random).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_400));
    }
}

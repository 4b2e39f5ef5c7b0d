package org.w4r.petition.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.events.CampaignChanged;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.petition.repository.AnomalyRepository;
import org.w4r.petition.repository.AnomalyRepository.Count;
import org.w4r.petition.repository.AnomalyRepository.Dimension;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What trends: actions per minute by entity, signer email domain (its keyed hash, never the domain) and signer country
 * in a recent window, each against its own rate in the baseline before the window (issue 15 point 2; e-petitions
 * learned in 2016 and 2019 that a flood shows first as one domain or country running far over its usual rate).
 *
 * <p>A value trends when it runs at least {@code min-per-minute} and at least {@code factor} times its baseline rate
 * (a baseline under one a minute counts as one: a new domain at 40 a minute trends, one at 2 does not). The baseline
 * starts no earlier than the campaign opened, so the first day is not read as a flood against empty hours.
 *
 * <p>Every minute the current campaign is scanned and {@code w4r.anomalies.trending} (per dimension, never per value:
 * an entity or a domain hash as a label would be a series per value) is set for the alert rule; every instance scans
 * the same shared database, so instances agree and the rule takes the max.
 */
@ApplicationScoped
public class AnomalyWatch {
    private static final Logger LOG = Logger.getLogger(AnomalyWatch.class);
    /** Values listed per dimension: the trending ones first, then the fastest. */
    public static final int LISTED = 25;
    private static final Comparator<Trend> ORDER = Comparator.comparing(Trend::trending, Comparator.reverseOrder())
            .thenComparing(Trend::perMinute, Comparator.reverseOrder()).thenComparing(Trend::value);

    @Inject
    AnomalyRepository counts;

    @Inject
    ReferenceData reference;

    @Inject
    MeterRegistry registry;

    @Inject
    Configured configured;

    private final Map<Dimension, AtomicInteger> trending = new EnumMap<>(Dimension.class);

    /** The service's own figures ({@code w4r.anomalies.*}): the scheduled scan's, and where a coordinator's starts. */
    @ConfigMapping(prefix = "w4r.anomalies")
    public interface Configured {
        @WithDefault("10m")
        Duration window();

        @WithDefault("24h")
        Duration baseline();

        @WithDefault("5")
        double factor();

        @WithDefault("30")
        double minPerMinute();

        /** The schedule of the scan of the current campaign (its {@code @Scheduled} reads it); {@code off} in tests. */
        @WithDefault("60s")
        String every();

        /**
         * How long the scheduled scan keeps the baseline it read ({@link #scanScheduled}): it moves by a minute a
         * minute in 24 hours, and reading it was reading the day's actions once a minute on every instance.
         */
        @WithDefault("10m")
        Duration baselineEvery();
    }

    /** What a scan compares: the window, the baseline before it, the thresholds. */
    public record Settings(Duration window, Duration baseline, double factor, double minPerMinute) {
    }

    /** One value of a dimension: its rate in the window and in its baseline. */
    public record Trend(Dimension dimension, String value, long recent, double perMinute, double baselinePerMinute,
                        double ratio, boolean trending) {
    }

    /**
     * A scan of one campaign at {@code at}: the window is {@code [at - window, at)}. {@code truncated}: a dimension
     * had more values at the threshold than a scan reads ({@link AnomalyRepository#MAX_PER_DIMENSION});
     * {@code trending} then counts those read.
     */
    public record Report(String campaignId, Instant at, Instant windowFrom, Instant baselineFrom, Settings settings,
                         int trending, List<Trend> trends, boolean truncated) {
        public long trending(Dimension dimension) {
            return trends.stream().filter(t -> t.dimension() == dimension && t.trending()).count();
        }
    }

    @PostConstruct
    void gauges() {
        for (Dimension d : Dimension.values()) {
            AtomicInteger n = new AtomicInteger();
            trending.put(d, n);
            Gauge.builder("w4r.anomalies.trending", n, AtomicInteger::get)
                    .description("Entities, email domains or countries of the current campaign running over their baseline")
                    .tag("dimension", tag(d)).register(registry);
        }
    }

    public Settings defaults() {
        return new Settings(configured.window(), configured.baseline(), configured.factor(), configured.minPerMinute());
    }

    /** Scans {@code campaign} at {@code at}: the window and the baseline, both read now. */
    public Report scan(CampaignChanged campaign, Instant at, Settings settings) throws SQLException {
        Period p = Period.of(campaign, at, settings);
        AnomalyRepository.Counts read = counts.scan(campaign.campaignId(), p.baselineFrom(), p.windowFrom(), at, LISTED,
                minRecent(settings.minPerMinute(), p.windowMinutes()));
        return report(campaign, at, p, settings, read.counts(), read.truncated());
    }

    /**
     * What a scan compares: {@code [windowFrom, at)} against {@code [baselineFrom, windowFrom)}, the baseline starting
     * no earlier than the campaign opened.
     */
    record Period(Instant windowFrom, Instant baselineFrom, double windowMinutes, double baselineMinutes) {
        static Period of(CampaignChanged campaign, Instant at, Settings settings) {
            Instant windowFrom = at.minus(settings.window());
            Instant baselineFrom = windowFrom.minus(settings.baseline());
            if (campaign.opensAt() != null && campaign.opensAt().isAfter(baselineFrom)) {
                baselineFrom = campaign.opensAt().isBefore(windowFrom) ? campaign.opensAt() : windowFrom;
            }
            return new Period(windowFrom, baselineFrom, settings.window().toMillis() / 60_000.0,
                    Duration.between(baselineFrom, windowFrom).toMillis() / 60_000.0);
        }
    }

    /**
     * The scheduled scan's baseline as last read: the values that ran at least once a minute over it (a slower one
     * counts as once a minute, {@link #trend}, so it needs no figure of its own), or, a young campaign's, every value;
     * {@code counts} null when more than {@link #MOST_STEADY} did, and the baseline is read with the window until the
     * next reading.
     */
    record SteadyBaseline(String campaignId, Instant opensAt, Settings settings, Instant readAt, Period period,
                          Map<Dimension, Map<String, Long>> counts) {
    }

    /**
     * How much longer than the one read a young campaign's baseline may grow before it is read again: 5 %. A campaign
     * younger than its baseline (opened less than {@code baseline} before the window) has a baseline that grows a
     * minute a minute from its opening. Read every time (7 December 2026, morning), the scan of a launch day read every
     * action since the opening once a minute on every instance, a cost that grew through the day (issue 20); kept ten
     * minutes from the launch, a baseline read seconds after the opening made everything at the threshold trend against
     * empty minutes (a review, the same morning). Read again once it has grown by a twentieth, it is read every minute
     * while it is under twenty minutes long; the minutes since are read with the window ({@link #scanScheduled}).
     */
    static final double YOUNG_GROWTH = 0.05;

    /** Whether the baseline now runs more than {@link #YOUNG_GROWTH} longer than the one read (a young campaign's). */
    static boolean grown(Period read, Period now) {
        return now.baselineMinutes() > read.baselineMinutes() * (1 + YOUNG_GROWTH);
    }

    /** The most values a steady baseline holds (in all); more, and the scheduled scan reads its baseline every time. */
    static final int MOST_STEADY = 30_000;

    /** Touched by the scheduled scan only, which never runs twice at once. */
    private SteadyBaseline steady;

    /**
     * The scan of the schedule (issue 20, 7 December 2026): the window read every time, the baseline only once per
     * {@code baseline-every}, or sooner while the campaign is younger than the baseline ({@link #YOUNG_GROWTH}).
     * Until then every instance read every action of the last 24 hours once a minute, a cost that grew with the day
     * (1.25 s of PostgreSQL a minute with 2 million actions in the day, docs/benchmarks.md). The minutes from the end
     * of the baseline read to this window's start are read with the window and added to it, so what trends is what
     * {@link #scan} finds over a baseline from the last reading's start to this window, but for an invalidation, an
     * erasure or a late action inside the part read before (shown at the next reading), and, in a campaign older than
     * its baseline, the values that ran slower than once a minute in that part, taken as 0 there (the rule counts such
     * a rate as once a minute; only a value that ran faster since is compared with a baseline up to once a minute
     * low). The figures of the report are for the gauges; the API's scan ({@link #scan}) reads both periods every time.
     */
    public Report scanScheduled(CampaignChanged campaign, Instant at, Settings settings) throws SQLException {
        Period now = Period.of(campaign, at, settings);
        SteadyBaseline last = steady;
        if (last == null || !last.campaignId().equals(campaign.campaignId())
                || !java.util.Objects.equals(last.opensAt(), campaign.opensAt()) || !last.settings().equals(settings)
                || at.isBefore(last.readAt()) || !at.isBefore(last.readAt().plus(configured.baselineEvery()))
                || grown(last.period(), now)) {
            // a young campaign's every value is kept: its baseline is short, so the minutes added to it below weigh
            // much, and a value left out for running slower than once a minute would count as 0 there
            boolean young = !now.baselineFrom().equals(now.windowFrom().minus(settings.baseline()));
            last = new SteadyBaseline(campaign.campaignId(), campaign.opensAt(), settings, at, now,
                    counts.steady(campaign.campaignId(), now.baselineFrom(), now.windowFrom(),
                            young ? 1 : (long) Math.ceil(now.baselineMinutes()), MOST_STEADY).orElse(null));
            steady = last;
        }
        if (last.counts() == null) {
            return scan(campaign, at, settings); // too many values run that fast to keep: read as the API's scan does
        }
        // the window, and as baseline the minutes between the kept baseline's end and the window's start: otherwise in
        // neither period, and on a launch day they hold what just left the window, heavier than the short baseline it
        // is compared with (a review, 7 December 2026: a value paged while the API's scan showed it as usual)
        Instant keptEnd = last.period().windowFrom();
        AnomalyRepository.Counts window = counts.scan(campaign.campaignId(), keptEnd, now.windowFrom(), at,
                LISTED, minRecent(settings.minPerMinute(), now.windowMinutes()));
        Map<Dimension, Map<String, Long>> baseline = last.counts();
        List<Count> read = window.counts().stream().map(c -> new Count(c.dimension(), c.value(), c.recent(),
                baseline.getOrDefault(c.dimension(), Map.of()).getOrDefault(c.value(), 0L) + c.baseline())).toList();
        Period compared = new Period(now.windowFrom(), last.period().baselineFrom(), now.windowMinutes(),
                last.period().baselineMinutes() + Duration.between(keptEnd, now.windowFrom()).toMillis() / 60_000.0);
        return report(campaign, at, compared, settings, read, window.truncated());
    }

    private Report report(CampaignChanged campaign, Instant at, Period p, Settings settings, List<Count> counted,
                          boolean truncated) {
        List<Trend> all = counted.stream().map(c -> trend(c, p.windowMinutes(), p.baselineMinutes(), settings)).toList();
        List<Trend> listed = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            List<Trend> of = all.stream().filter(t -> t.dimension() == d).sorted(ORDER).toList();
            long hot = of.stream().filter(Trend::trending).count();
            listed.addAll(of.subList(0, (int) Math.min(of.size(), Math.max(hot, LISTED)))); // every trending one
        }
        int n = (int) all.stream().filter(Trend::trending).count();
        return new Report(campaign.campaignId(), at, p.windowFrom(), p.baselineFrom(), settings, n, List.copyOf(listed),
                truncated);
    }

    /**
     * The fewest actions in the window of a value that can trend: it must run at least {@code minPerMinute}. Rounded
     * up, and never 0: floor made it 0 for 0.5 a minute over one minute, and every value of the baseline was read
     * (a read-only review, 6 December 2026). The product is taken a hair low, so 0.1 x 30 (3.0000000000000004 in
     * doubles) asks for 3, which runs at exactly 0.1 a minute and trends.
     */
    static long minRecent(double minPerMinute, double windowMinutes) {
        return Math.max(1, (long) Math.ceil(minPerMinute * windowMinutes - 1e-9));
    }

    static Trend trend(Count c, double windowMinutes, double baselineMinutes, Settings settings) {
        double perMinute = c.recent() / windowMinutes;
        double baselinePerMinute = baselineMinutes <= 0 ? 0 : c.baseline() / baselineMinutes;
        double ratio = perMinute / Math.max(baselinePerMinute, 1.0);
        boolean trending = perMinute >= settings.minPerMinute() && ratio >= settings.factor();
        return new Trend(c.dimension(), c.value(), c.recent(), round(perMinute), round(baselinePerMinute), round(ratio),
                trending);
    }

    /** The current campaign now, for the alert rule; a failed scan keeps the last figures (and says so). */
    @Scheduled(every = "${w4r.anomalies.every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scanCurrent() {
        CampaignChanged campaign = reference.currentCampaign().orElse(null);
        if (campaign == null) {
            publish(null);
            return;
        }
        try {
            publish(scanScheduled(campaign, Instant.now(), defaults()));
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("anomaly scan failed (%s); the trending gauges keep their last values", Failures.describe(e));
        }
    }

    /** Sets the gauges from {@code report} (none: nothing trends). */
    public void publish(Report report) {
        for (Dimension d : Dimension.values()) {
            trending.get(d).set(report == null ? 0 : (int) report.trending(d));
        }
        if (report != null && report.trending() > 0) {
            // counts per dimension only: the values are on the dashboard's Anomalies page for coordinators
            LOG.warnf("anomaly scan of %s: %d entities, %d email domains, %d countries run over their baseline",
                    report.campaignId(), report.trending(Dimension.ENTITY), report.trending(Dimension.EMAIL_DOMAIN),
                    report.trending(Dimension.COUNTRY));
        }
    }

    public static String tag(Dimension d) {
        return switch (d) {
            case ENTITY -> "entity";
            case EMAIL_DOMAIN -> "emailDomain";
            case COUNTRY -> "country";
        };
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

package org.w4r.replay;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The load mode: for each offered rate, the same open-model schedule first against the ceiling endpoint, then
 * against petition-service (one signature per request, a new signer and Idempotency-Key each, entity keys in turn,
 * into a campaign of its own, one case per run so the live stream tells each run's actions apart). Reports
 * throughput, answers by class (outcome-unknown ones retried as a good entity site would), latency percentiles
 * (corrected for coordinated omission), freshness in the live stream, the ratio to the ceiling, and what each run
 * cost: CPU per process, rows written and bytes grown per acknowledged action ({@link Costs}). With
 * {@code --find-max}, searches each side's maximum sustainable rate instead ({@link MaxRate}).
 */
final class Bench {
    static final String DATABASES = "w4r_case,w4r_petition,w4r_tally,w4r_delivery";
    /** A side's maximum is searched at most this far above the first rate. */
    private static final double MAX_RATE_FACTOR = 64;

    private Bench() {
    }

    static int run(List<String> argv, PrintStream out) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("rates", "2500,5000", "duration", "60",
                "warmup", "10", "profile", "constant", "connections", "256", "kafka", "localhost:9092",
                "credentials", ".platform/credentials.csv", "run-id", Main.runId(), "petition", Endpoints.local().petition(),
                "tally", Endpoints.local().tally()));
        options.put("cases", Endpoints.local().cases()); // the campaign is made there, as --petition and --tally say
        options.putAll(Costs.options());
        options.putAll(Map.of("retries", "3", "retry-backoff-ms", "1000", "report-dir", ".platform/bench",
                "max-p99-ms", "1000"));
        options.put("resolution", "0.05");
        Args a = new Args(argv, options, Set.of("find-max"));
        Map<String, String> tokens = Credentials.read(Path.of(a.get("credentials")));
        Endpoints endpoints = new Endpoints(a.get("petition"), a.get("tally"), a.get("cases"));
        double[] rates = Arrays.stream(a.get("rates").split(",")).mapToDouble(Double::parseDouble).toArray();
        boolean findMax = a.flag("find-max");
        RetryPolicy retry = new RetryPolicy(a.integer("retries"), TimeUnit.MILLISECONDS.toNanos(a.number("retry-backoff-ms")));
        String runId = a.get("run-id");
        out.println("bench: " + machine());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ReplayCampaign campaign = ReplayCampaign.create("bench-" + runId, "b" + runId + "-", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(2)), new Api(), endpoints, tokens, out);
        List<String> caseIds = Report2020.cases().stream().map(c -> campaign.caseId(c[0])).toList();
        if (!findMax && rates.length + 1 > caseIds.size()) {
            throw new IllegalArgumentException("at most " + (caseIds.size() - 1) + " rates in one run");
        }
        List<String> entityTokens = Report2020.columns().stream().map(c -> tokens.get(c.id())).filter(t -> t != null).toList();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // the live stream only
        List<BenchReport.Step> steps = new ArrayList<>();
        BenchReport.MaxRates maxRates = null;
        List<PlatformCpu.Tracked> counted;
        List<String> notes;
        try (CeilingServer ceiling = new CeilingServer(a.get("kafka"));
             LiveStream stream = new LiveStream(client, endpoints.tally(), campaign.campaignId, tokens.get("demo-coordinator"));
             Costs costs = Costs.open(a, "bench", out)) {
            counted = costs.cpu().tracked();
            notes = costs.cpu().notes();
            Runs runs = new Runs(ceiling, stream, costs, endpoints.petition(), entityTokens, a.integer("connections"),
                    retry, a.get("profile"), a.decimal("duration"), out);
            Signatures warm = new Signatures(endpoints.petition(), caseIds.get(0), entityTokens, runId + "w");
            Schedule warmup = Schedule.of("constant", rates[0], a.decimal("warmup"));
            out.printf("bench: warming up both endpoints, %s s at %,.0f/s%n", a.get("warmup"), rates[0]);
            OpenLoad.run("ceiling", warm.uri(ceiling.url()), warmup, runs.connections, warm.to(ceiling.url()), retry);
            OpenLoad.run("platform", warm.uri(null), warmup, runs.connections, warm.to(null), retry);
            costs.awaitQuiet(); // none of the warm-up's writes in the first step's rows
            if (findMax) {
                maxRates = findMax(runs, a, rates[0], caseIds, runId, steps);
            } else {
                for (int i = 0; i < rates.length; i++) {
                    Signatures load = new Signatures(endpoints.petition(), caseIds.get(i + 1), entityTokens, runId + "r" + i);
                    out.printf("bench: %s, %,.0f/s for %s s (%,d requests): ceiling…%n", a.get("profile"), rates[i],
                            a.get("duration"), Schedule.of(a.get("profile"), rates[i], a.decimal("duration")).size());
                    BenchReport.Step top = runs.ceiling(rates[i], load, null);
                    out.println("bench: … platform…");
                    BenchReport.Step ours = runs.platform(rates[i], load, caseIds.get(i + 1), null);
                    steps.add(top);
                    steps.add(new BenchReport.Step(ours.load(), ours.fresh(), ours.load().throughput() / top.load().throughput(),
                            ours.costs(), null));
                    for (BenchReport.Step r : List.of(top, ours)) {
                        if (r.load().firstError() != null) {
                            out.println("bench: " + r.target() + " first error: " + r.load().firstError());
                        }
                    }
                }
            }
        }
        BenchReport report = new BenchReport(runId, "bench " + String.join(" ", argv), List.of(machine()), steps, counted, notes, maxRates);
        out.print(report.console());
        Path dir = Path.of(a.get("report-dir"));
        Files.createDirectories(dir);
        for (Map.Entry<String, String> file : report.files().entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
            out.println("bench: report written to " + dir.resolve(file.getKey()));
        }
        return 0;
    }

    /** Each side's highest rate with p99 within the limit and every request answered 2xx; each run is a step. */
    private static BenchReport.MaxRates findMax(Runs runs, Args a, double from, List<String> caseIds, String runId,
                                                List<BenchReport.Step> steps) throws Exception {
        long maxP99 = TimeUnit.MILLISECONDS.toNanos(a.number("max-p99-ms"));
        double resolution = a.decimal("resolution");
        runs.out.printf("bench: searching each side's maximum sustainable rate (p99 <= %s ms, every request answered "
                + "2xx), %s s per run, from %,.0f/s%n", a.get("max-p99-ms"), a.get("duration"), from);
        int[] n = {0};
        MaxRate.Result ceiling = MaxRate.find(from, from * MAX_RATE_FACTOR, resolution, rate -> {
            Signatures load = new Signatures(runs.petitionUrl, caseIds.get(1), runs.entityTokens, runId + "c" + n[0]++);
            BenchReport.Step s = runs.ceiling(rate, load, maxP99);
            steps.add(s);
            return s.shortfall().isEmpty();
        });
        MaxRate.Result platform = MaxRate.find(from, from * MAX_RATE_FACTOR, resolution, rate -> {
            // more runs than cases: a case is used again, its earlier total taken as the run's baseline
            String caseId = caseIds.get(1 + n[0] % (caseIds.size() - 1));
            Signatures load = new Signatures(runs.petitionUrl, caseId, runs.entityTokens, runId + "p" + n[0]++);
            BenchReport.Step s = runs.platform(rate, load, caseId, maxP99);
            steps.add(s);
            return s.shortfall().isEmpty();
        });
        return new BenchReport.MaxRates(ceiling, platform, a.decimal("max-p99-ms"));
    }

    /** One measured run against either side, with its costs counted from just before to after its work. */
    private record Runs(CeilingServer ceilingServer, LiveStream stream, Costs costs, String petitionUrl,
                        List<String> entityTokens, int connections, RetryPolicy retry, String profile, double duration,
                        PrintStream out) {
        /** {@code maxP99Nanos} null: not a max-rate run, nothing to judge. */
        BenchReport.Step ceiling(double rate, Signatures load, Long maxP99Nanos) throws Exception {
            Schedule schedule = Schedule.of(profile, rate, duration);
            Costs.Start start = costs.start();
            String url = ceilingServer.url();
            OpenLoad.Result r = OpenLoad.run("ceiling", load.uri(url), schedule, connections, load.to(url), retry);
            return judged(new BenchReport.Step(r, null, Double.NaN, costs.afterCeiling(start), null), maxP99Nanos);
        }

        BenchReport.Step platform(double rate, Signatures load, String caseId, Long maxP99Nanos) throws Exception {
            Schedule schedule = Schedule.of(profile, rate, duration);
            long baseline = stream.total(caseId);
            Costs.Start start = costs.start();
            OpenLoad.Result r = OpenLoad.run("platform", load.uri(null), schedule, connections, load.to(null), retry);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (stream.total(caseId) < baseline + r.acknowledged() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Freshness.Result fresh = Freshness.of(r.ackNanos(), stream.points(caseId), baseline);
            Costs.Step c = costs.afterPlatform(start);
            return judged(new BenchReport.Step(r, fresh, Double.NaN, c, null), maxP99Nanos);
        }

        private BenchReport.Step judged(BenchReport.Step s, Long maxP99Nanos) {
            if (maxP99Nanos == null) {
                return s;
            }
            String why = MaxRate.shortfall(s.load(), maxP99Nanos);
            out.printf("bench: %s at %,.0f/s: %s%n", s.target(), s.load().schedule().rate(), why == null ? "sustained" : "not sustained (" + why + ")");
            return new BenchReport.Step(s.load(), s.fresh(), s.ratio(), s.costs(), why == null ? "" : why);
        }
    }

    /**
     * One signature per request, a new signer each time, entity keys in turn (every entity website at once), each
     * with its own Idempotency-Key so an answer that leaves the outcome unknown can be retried safely.
     */
    private record Signatures(String petitionUrl, String caseId, List<String> tokens, String prefix) {
        URI uri(String ceilingUrl) {
            return URI.create(ceilingUrl != null ? ceilingUrl : petitionUrl + "/api/v1/signatures");
        }

        IntFunction<byte[]> to(String ceilingUrl) {
            URI uri = uri(ceilingUrl);
            return i -> HttpConnection.post(uri, tokens.get(i % tokens.size()), prefix + "-" + i, "{\"caseIds\":[\""
                    + caseId + "\"],\"signer\":{\"name\":\"Bench " + i + "\",\"email\":\"b" + i + "@" + prefix
                    + ".bench.example.org\",\"country\":\"FR\"}}");
        }
    }

    /** Cores, memory and load as the OS reports them, printed with the results. */
    static String machine() {
        String memory = "?";
        try {
            memory = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        } catch (Exception ignored) {
            // not Linux: leave it out
        }
        return String.format("%d cores, %s, load average %.2f, load generator's own CPU so far %.1f s, %s",
                Runtime.getRuntime().availableProcessors(), memory,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), ownCpuSeconds(), Instant.now());
    }

    /** CPU time of this JVM: the load generator shares the machine with what it measures. */
    static double ownCpuSeconds() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9 : Double.NaN;
    }
}

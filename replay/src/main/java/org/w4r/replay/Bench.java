package org.w4r.replay;

import org.HdrHistogram.Histogram;

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
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The load mode: for each offered rate, the same open-model schedule first against the ceiling endpoint, then
 * against petition-service (one signature per request, a new signer each, entity keys in turn, into a campaign of
 * its own, one case per run so the live stream tells each run's actions apart). Reports throughput, errors,
 * latency percentiles (corrected for coordinated omission), freshness in the live stream, and the ratio to the
 * ceiling.
 */
final class Bench {
    private Bench() {
    }

    static int run(List<String> argv, PrintStream out) throws Exception {
        Map<String, String> options = new java.util.HashMap<>(Map.of("rates", "2500,5000", "duration", "60",
                "warmup", "10", "profile", "constant", "connections", "256", "kafka", "localhost:9092",
                "credentials", ".platform/credentials.csv", "run-id", Main.runId(), "petition", Endpoints.local().petition(),
                "tally", Endpoints.local().tally()));
        options.put("cases", Endpoints.local().cases()); // the campaign is made there, as --petition and --tally say
        Args a = new Args(argv, options);
        Map<String, String> tokens = Credentials.read(Path.of(a.get("credentials")));
        Endpoints endpoints = new Endpoints(a.get("petition"), a.get("tally"), a.get("cases"));
        double[] rates = Arrays.stream(a.get("rates").split(",")).mapToDouble(Double::parseDouble).toArray();
        String runId = a.get("run-id");
        out.println("bench: " + machine());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ReplayCampaign campaign = ReplayCampaign.create("bench-" + runId, "b" + runId + "-", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(2)), new Api(), endpoints, tokens, out);
        List<String> caseIds = Report2020.cases().stream().map(c -> campaign.caseId(c[0])).toList();
        if (rates.length + 1 > caseIds.size()) {
            throw new IllegalArgumentException("at most " + (caseIds.size() - 1) + " rates in one run");
        }
        List<String> entityTokens = Report2020.columns().stream().map(c -> tokens.get(c.id())).filter(t -> t != null).toList();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // the live stream only
        int connections = a.integer("connections");
        List<String> table = new ArrayList<>();
        try (CeilingServer ceiling = new CeilingServer(a.get("kafka"));
             LiveStream stream = new LiveStream(client, endpoints.tally(), campaign.campaignId, tokens.get("demo-coordinator"))) {
            Signatures warm = new Signatures(endpoints.petition(), caseIds.get(0), entityTokens, runId + "w");
            Schedule warmup = Schedule.of("constant", rates[0], a.decimal("warmup"));
            out.printf("bench: warming up both endpoints, %s s at %,.0f/s%n", a.get("warmup"), rates[0]);
            OpenLoad.run("ceiling", warm.uri(ceiling.url()), warmup, connections, warm.to(ceiling.url()));
            OpenLoad.run("platform", warm.uri(null), warmup, connections, warm.to(null));
            for (int i = 0; i < rates.length; i++) {
                Schedule schedule = Schedule.of(a.get("profile"), rates[i], a.decimal("duration"));
                Signatures load = new Signatures(endpoints.petition(), caseIds.get(i + 1), entityTokens, runId + "r" + i);
                out.printf("bench: %s, %,.0f/s for %s s (%,d requests): ceiling…%n", schedule.profile(), rates[i],
                        a.get("duration"), schedule.size());
                OpenLoad.Result top = OpenLoad.run("ceiling", load.uri(ceiling.url()), schedule, connections, load.to(ceiling.url()));
                out.println("bench: … platform…");
                OpenLoad.Result ours = OpenLoad.run("platform", load.uri(null), schedule, connections, load.to(null));
                String caseId = caseIds.get(i + 1);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (stream.total(caseId) < ours.ok() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Freshness.Result fresh = Freshness.of(ours.ackNanos(), stream.points(caseId));
                table.add(row(top, null, Double.NaN));
                table.add(row(ours, fresh, ours.throughput() / top.throughput()));
                for (OpenLoad.Result r : List.of(top, ours)) {
                    if (r.firstError() != null) {
                        out.println("bench: " + r.target() + " first error: " + r.firstError());
                    }
                }
            }
        }
        out.println();
        out.println(header());
        table.forEach(out::println);
        out.println("bench: latency from each request's intended start (open model, corrected for coordinated omission); "
                + "freshness = 2xx to the streamed case total reaching it; ratio = platform throughput / ceiling throughput");
        out.println("bench: " + machine());
        return 0;
    }

    /** One signature per request, a new signer each time, entity keys in turn (every entity website at once). */
    private record Signatures(String petitionUrl, String caseId, List<String> tokens, String prefix) {
        URI uri(String ceilingUrl) {
            return URI.create(ceilingUrl != null ? ceilingUrl : petitionUrl + "/api/v1/signatures");
        }

        IntFunction<byte[]> to(String ceilingUrl) {
            URI uri = uri(ceilingUrl);
            return i -> HttpConnection.post(uri, tokens.get(i % tokens.size()), "{\"caseIds\":[\"" + caseId
                    + "\"],\"signer\":{\"name\":\"Bench " + i + "\",\"email\":\"b" + i + "@" + prefix
                    + ".bench.example.org\",\"country\":\"FR\"}}");
        }
    }

    private static String header() {
        return String.format("%-9s %-8s %8s %9s %9s %7s %11s %8s %8s %8s %8s %9s %9s %6s", "target", "profile", "offered/s",
                "requests", "2xx", "errors", "throughput/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "fresh p50", "fresh p99", "ratio");
    }

    private static String row(OpenLoad.Result r, Freshness.Result fresh, double ratio) {
        Histogram h = r.latencyNanos();
        return String.format("%-9s %-8s %8.0f %9d %9d %7d %11.0f %8.1f %8.1f %8.1f %8.1f %9s %9s %6s", r.target(),
                r.schedule().profile(), r.schedule().rate(), r.schedule().size(), r.ok(), r.errors(), r.throughput(),
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()), fresh == null ? "" : String.format("%.0f ms", ms(fresh.nanos().getValueAtPercentile(50))),
                fresh == null ? "" : String.format("%.0f ms", ms(fresh.nanos().getValueAtPercentile(99)))
                        + (fresh.unseen() > 0 ? " (" + fresh.unseen() + " unseen)" : ""),
                Double.isNaN(ratio) ? "" : String.format("%.2f", ratio));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
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

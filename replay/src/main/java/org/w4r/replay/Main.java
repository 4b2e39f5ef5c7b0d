package org.w4r.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * java -jar replay.jar replay [--scale 0.01] [--seed 2020] …   the 2020 campaign, every figure compared
 * java -jar replay.jar demo     the demo's 2020 edition, once: a small replay and the report's handovers (./platform up)
 * java -jar replay.jar bench [--rates 2500,5000] [--duration 60] …   open-model load, freshness and the ceiling, and
 *                                                                   what each action costs (docs/benchmarks.md)
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        List<String> args = Arrays.asList(argv);
        String command = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.isEmpty() ? args : args.subList(1, args.size());
        int code;
        try {
            code = switch (command) {
                case "replay" -> replay(rest);
                case "bench" -> Bench.run(rest, System.out);
                case "demo" -> demo(rest);
                default -> {
                    System.err.println("usage: demo [--credentials .platform/credentials.csv] [--delivery http://localhost:8083]\n"
                            + "       replay [--scale 0.01] [--seed 2020] [--threads 8] [--batch 1000] "
                            + "[--credentials .platform/credentials.csv]\n              [--calendar recent|2020] "
                            + "[--databases " + Bench.DATABASES + "|none] (and bench's cost options below)\n"
                            + "       bench [--rates 2500,5000] [--duration 60] "
                            + "[--profile constant|spike] [--warmup 10] [--kafka localhost:9092]\n"
                            + "             [--find-max] [--max-p99-ms 1000] [--resolution 0.05] [--retries 3] "
                            + "[--retry-backoff-ms 1000]\n             [--databases " + Bench.DATABASES
                            + "|none] [--pg-url jdbc:postgresql://$PGHOST:$PGPORT/] [--pg-user $PGUSER]\n"
                            + "             [--run-dir .platform/run] [--stats-quiet 12] [--stats-timeout 120] "
                            + "[--report-dir .platform/bench]");
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    /** The bench as {@code bench …} runs it, returning its exit code (the end-to-end suite runs it in-process). */
    public static int bench(List<String> argv, java.io.PrintStream out) throws Exception {
        return Bench.run(argv, out);
    }

    static int demo(List<String> argv) throws Exception {
        Args a = new Args(argv, Map.of("credentials", ".platform/credentials.csv", "petition", Endpoints.local().petition(),
                "tally", Endpoints.local().tally(), "cases", Endpoints.local().cases(), "delivery", "http://localhost:8083"));
        Endpoints endpoints = new Endpoints(a.get("petition"), a.get("tally"), a.get("cases"));
        Map<String, String> tokens = Credentials.read(Path.of(a.get("credentials")));
        System.out.println("the demo's 2020 edition: the campaign at " + DemoEdition.SCALE + " of its size, then the "
                + "report's handovers...");
        DemoEdition.loadOnce(endpoints, a.get("delivery"), tokens, System.out);
        return 0;
    }

    static int replay(List<String> argv) throws Exception {
        Map<String, String> defaults = new java.util.HashMap<>(Map.ofEntries(Map.entry("scale", "0.01"),
                Map.entry("seed", "2020"), Map.entry("threads", "8"), Map.entry("batch", "1000"),
                Map.entry("credentials", ".platform/credentials.csv"), Map.entry("run-id", runId()),
                Map.entry("petition", Endpoints.local().petition()), Map.entry("tally", Endpoints.local().tally()),
                Map.entry("cases", Endpoints.local().cases()), Map.entry("tally-stall", "60"),
                Map.entry("calendar", "recent")));
        defaults.putAll(Costs.options());
        Args a = new Args(argv, defaults);
        Replay.Options options = new Replay.Options(a.decimal("scale"), a.number("seed"), a.integer("threads"),
                a.integer("batch"), a.get("run-id"), calendar(a.get("calendar"), LocalDate.now(ZoneOffset.UTC)),
                new Endpoints(a.get("petition"), a.get("tally"), a.get("cases")),
                Credentials.read(Path.of(a.get("credentials"))), Duration.ofSeconds(a.number("tally-stall")), System.out);
        try (Costs costs = Costs.open(a, "replay", System.out)) {
            Costs.Start start = startOrNull(costs);
            Replay.Result run = Replay.run(options);
            if (start != null) {
                // a reading of the costs that fails says so; it never takes the place of the replay's own result
                try {
                    System.out.printf("replay: reading the costs: waiting until the databases' row counters stop moving "
                            + "(up to %s s)%n", a.get("stats-timeout"));
                    System.out.print(ReplayCosts.table(costs.afterPlatform(start), run.acknowledged()));
                } catch (java.sql.SQLException e) {
                    System.out.println("replay: no cost figures: " + e.getMessage());
                }
            }
            return run.exitCode();
        }
    }

    private static Costs.Start startOrNull(Costs costs) throws InterruptedException {
        try {
            return costs.start();
        } catch (java.sql.SQLException e) {
            System.out.println("replay: no cost figures: " + e.getMessage());
            return null;
        }
    }

    /**
     * {@code recent} (the default): the 2020 campaign's shape moved so that it closed at the start of {@code today},
     * so that petition-service's retention schedule does not find it due for anonymisation in the middle of the run
     * (six months after its close); {@code 2020}: the report's own dates, for a platform whose schedule is off.
     */
    public static Timeline calendar(String name, LocalDate today) {
        return switch (name) {
            case "recent" -> Timeline.endingOn(today);
            case "2020" -> new Timeline();
            default -> throw new IllegalArgumentException("--calendar is recent or 2020, not " + name);
        };
    }

    /** Short, lower-case and unique enough per run: it prefixes the campaign, case ids, signers and keys. */
    public static String runId() {
        return Long.toString(System.currentTimeMillis() / 100, 36);
    }
}

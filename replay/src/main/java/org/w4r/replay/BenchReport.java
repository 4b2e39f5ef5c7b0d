package org.w4r.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bench's results, three ways from the same figures: the console (the latency table as it always was, then
 * answers, costs, rows per table, storage and the maximum rates), a Markdown file and a JSON file.
 */
final class BenchReport {
    /** How resends are counted (review of 6 December 2026: a connection failure used to be resent silently). */
    static final String RESENDS = "stale resent = sent again at once on a new connection because the kept-alive one "
            + "was found closed before any byte of an answer (the server never had it; the new answer is the first "
            + "answer); any other connection failure, a cut answer or a timeout is unanswered and not sent again";
    /**
     * One measured run: its load, its freshness (platform runs), its ratio to the ceiling (NaN: none), what it cost,
     * and in a max-rate search why it was not sustained ("" when it was; null outside a search).
     */
    record Step(OpenLoad.Result load, Freshness.Result fresh, double ratio, Costs.Step costs, String shortfall) {
        String target() {
            return load.target();
        }

        long acknowledged() {
            return load.acknowledged();
        }
    }

    /** What the max-rate search found, or null when it was not asked for. */
    record MaxRates(MaxRate.Result ceiling, MaxRate.Result platform, double maxP99Ms) {
        double ratio() {
            return ceiling.max() == 0 ? Double.NaN : platform.max() / ceiling.max();
        }
    }

    private final String runId;
    private final String command;
    private final List<String> machine;
    private final List<Step> steps;
    private final List<PlatformCpu.Tracked> processes;
    private final List<String> notes;
    private final MaxRates maxRates;

    BenchReport(String runId, String command, List<String> machine, List<Step> steps, List<PlatformCpu.Tracked> processes,
                List<String> notes, MaxRates maxRates) {
        this.runId = runId;
        this.command = command;
        this.machine = machine;
        this.steps = steps;
        this.processes = processes;
        this.notes = notes;
        this.maxRates = maxRates;
    }

    // --- the latency table, as the bench has always printed it -----------------------------------------------

    static String latencyHeader() {
        return String.format("%-9s %-8s %8s %9s %9s %7s %11s %8s %8s %8s %8s %9s %9s %6s", "target", "profile", "offered/s",
                "requests", "2xx", "errors", "throughput/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "fresh p50", "fresh p99", "ratio");
    }

    static String latencyRow(Step s) {
        List<String> c = latencyCells(s);
        return String.format("%-9s %-8s %8s %9s %9s %7s %11s %8s %8s %8s %8s %9s %9s %6s", c.toArray());
    }

    private static List<String> latencyCells(Step s) {
        OpenLoad.Result r = s.load();
        Histogram h = r.latencyNanos();
        Freshness.Result fresh = s.fresh();
        return List.of(r.target(), r.schedule().profile(), String.format("%.0f", r.schedule().rate()),
                String.valueOf(r.schedule().size()), String.valueOf(r.ok()), String.valueOf(r.errors()),
                String.format("%.0f", r.throughput()), ms1(h.getValueAtPercentile(50)), ms1(h.getValueAtPercentile(99)),
                ms1(h.getValueAtPercentile(99.9)), ms1(h.getMaxValue()),
                fresh == null ? "" : String.format("%.0f ms", ms(fresh.nanos().getValueAtPercentile(50))),
                fresh == null ? "" : String.format("%.0f ms", ms(fresh.nanos().getValueAtPercentile(99)))
                        + (fresh.unseen() > 0 ? " (" + fresh.unseen() + " unseen)" : ""),
                Double.isNaN(s.ratio()) ? "" : String.format("%.2f", s.ratio()));
    }

    // --- the new figures ----------------------------------------------------------------------------------------

    Table answers() {
        List<String> head = new ArrayList<>(List.of("offered/s", "target", "requests"));
        for (AnswerClass c : AnswerClass.values()) {
            head.add(c.label);
        }
        head.addAll(List.of("retried", "retries"));
        for (AnswerClass c : AnswerClass.values()) {
            head.add("then " + c.label);
        }
        head.addAll(List.of("replayed", "stale resent", "acknowledged"));
        Table t = new Table(head);
        for (Step s : steps) {
            Answers a = s.load().answers();
            List<String> row = new ArrayList<>(List.of(rate(s), s.target(), String.valueOf(s.load().schedule().size())));
            for (AnswerClass c : AnswerClass.values()) {
                row.add(String.valueOf(a.first(c)));
            }
            row.addAll(List.of(String.valueOf(a.retriedRequests()), String.valueOf(a.retries())));
            for (AnswerClass c : AnswerClass.values()) {
                row.add(String.valueOf(a.afterRetries(c)));
            }
            row.addAll(List.of(String.valueOf(a.replayed()), String.valueOf(a.resentOnStaleConnection()),
                    String.valueOf(s.acknowledged())));
            t.row(row);
        }
        return t;
    }

    /** CPU ms per acknowledged action for each process, their sum, the load generator's own, rows and bytes. */
    Table costs() {
        List<String> names = processNames();
        List<String> head = new ArrayList<>(List.of("offered/s", "target", "acknowledged", "window s"));
        names.forEach(n -> head.add(n + " ms"));
        head.addAll(List.of("platform ms", "bench ms", "rows", "bytes", "settled"));
        Table t = new Table(head);
        for (Step s : steps) {
            Costs.Step c = s.costs();
            long acks = s.acknowledged();
            List<String> row = new ArrayList<>(List.of(rate(s), s.target(), String.valueOf(acks), String.format("%.1f", c.seconds())));
            names.forEach(n -> row.add(c.cpuTicks().containsKey(n) ? per(c.cpuSeconds(n) * 1000, acks, "%.3f") : "-"));
            row.add(per(c.platformCpuSeconds() * 1000, acks, "%.3f"));
            row.add(per(c.benchCpuSeconds() * 1000, acks, "%.3f"));
            row.add(c.hasDatabase() ? per(c.rowsWritten(), acks, "%.2f") : "-");
            row.add(c.hasDatabase() ? per(c.bytesGrown(), acks, "%.0f") : "-");
            row.add(c.hasDatabase() ? (c.settled() ? String.format("after %.0f s", c.settleSeconds()) : "no") : "-");
            t.row(row);
        }
        return t;
    }

    /** Per table written in each platform run: rows per acknowledged action, and what the table keeps. */
    Table tables() {
        Table t = new Table("offered/s", "table", "inserted", "updated", "deleted", "written", "live rows",
                "bytes", "live rows now", "ever deleted", "fate");
        for (Step s : steps) {
            long acks = s.acknowledged();
            for (PgStats.TableDelta d : s.costs().tables()) {
                if (d.written() == 0 && d.bytesDelta() == 0) {
                    continue;
                }
                t.row(rate(s), d.database() + "." + d.table(), per(d.inserted(), acks, "%.2f"), per(d.updated(), acks, "%.2f"),
                        per(d.deleted(), acks, "%.2f"), per(d.written(), acks, "%.2f"), per(d.liveRowsDelta(), acks, "%.2f"),
                        per(d.bytesDelta(), acks, "%.0f"), String.format("%,d", d.liveRowsNow()),
                        String.format("%,d", d.everDeleted()), d.fate());
            }
        }
        return t;
    }

    Table storage() {
        Table t = new Table("offered/s", "database", "grown bytes", "bytes per acknowledged");
        for (Step s : steps) {
            s.costs().databaseBytes().forEach((db, bytes) -> t.row(rate(s), db, String.format("%,d", bytes),
                    per(bytes, s.acknowledged(), "%.0f")));
        }
        return t;
    }

    Table maxRateTable() {
        Table t = new Table("maximum sustained/s", "side", "runs (offered/s: sustained or not)");
        if (maxRates != null) {
            t.row(max(maxRates.ceiling()), "ceiling", tried(maxRates.ceiling()));
            t.row(max(maxRates.platform()), "platform", tried(maxRates.platform()));
        }
        return t;
    }

    private static String max(MaxRate.Result r) {
        return r.max() == 0 ? "none of " + (int) MaxRate.FLOOR + "/s or more" : String.format("%.0f%s", r.max(), r.capped() ? " (the cap)" : "");
    }

    private static String tried(MaxRate.Result r) {
        return String.join(", ", r.tried().stream().map(t -> String.format("%.0f %s", t.rate(), t.held() ? "yes" : "no")).toList());
    }

    private String maxRatioLine() {
        return String.format("maximum sustainable rate (p99 <= %.0f ms, every request answered 2xx): ceiling %s/s, "
                        + "platform %s/s, ratio %s", maxRates.maxP99Ms(), max(maxRates.ceiling()), max(maxRates.platform()),
                Double.isNaN(maxRates.ratio()) ? "-" : String.format("%.2f", maxRates.ratio()));
    }

    // --- the three outputs ----------------------------------------------------------------------------------------

    String console() {
        StringBuilder s = new StringBuilder("\n").append(latencyHeader()).append('\n');
        steps.forEach(step -> s.append(latencyRow(step)).append('\n'));
        s.append("bench: latency from each request's intended start (open model, corrected for coordinated omission); "
                + "freshness = 2xx to the streamed case total reaching it; ratio = platform throughput / ceiling throughput\n");
        s.append("\nanswers (first answers, then how each retried request ended; " + RESENDS + "):\n").append(answers().text());
        s.append("\ncost per acknowledged action (CPU ms of each process over the run until its writes settled; "
                + "rows written and bytes grown in PostgreSQL):\n").append(costs().text());
        if (!tables().isEmpty()) {
            s.append("\nrows per acknowledged action, by table:\n").append(tables().text());
            s.append("\nstorage:\n").append(storage().text());
        }
        if (maxRates != null) {
            s.append('\n').append(maxRateTable().text()).append("bench: ").append(maxRatioLine()).append('\n');
        }
        machine.forEach(m -> s.append("bench: ").append(m).append('\n'));
        return s.toString();
    }

    String markdown() {
        StringBuilder s = new StringBuilder("# Bench run " + runId + "\n\n`" + command + "`\n\n");
        machine.forEach(m -> s.append("- ").append(m).append('\n'));
        processes.forEach(p -> s.append("- counted: ").append(p.name()).append(" (pid ").append(p.pid()).append(")\n"));
        notes.forEach(n -> s.append("- ").append(n).append('\n'));
        Table latency = new Table("target", "profile", "offered/s", "requests", "2xx", "errors", "throughput/s", "p50 ms",
                "p99 ms", "p99.9 ms", "max ms", "fresh p50", "fresh p99", "ratio");
        steps.forEach(step -> latency.row(latencyCells(step)));
        s.append("\n## Latency and freshness\n\n").append(latency.markdown());
        s.append("\n## Answers\n\nFirst answers, then how each retried request ended; " + RESENDS + ".\n\n")
                .append(answers().markdown());
        s.append("\n## Cost per acknowledged action\n\nCPU ms of each process, rows written and bytes grown in PostgreSQL.\n\n")
                .append(costs().markdown());
        if (!tables().isEmpty()) {
            s.append("\n## Rows per acknowledged action, by table\n\n").append(tables().markdown());
            s.append("\n## Storage\n\n").append(storage().markdown());
        }
        if (maxRates != null) {
            s.append("\n## Maximum sustainable rate\n\n").append(maxRateTable().markdown()).append('\n')
                    .append(maxRatioLine()).append('\n');
        }
        return s.toString();
    }

    ObjectNode json() {
        ObjectNode root = Json.object().put("run", runId).put("command", command);
        ArrayNode m = root.putArray("machine");
        machine.forEach(m::add);
        ArrayNode counted = root.putArray("processes");
        processes.forEach(p -> counted.addObject().put("name", p.name()).put("pid", p.pid()));
        ArrayNode n = root.putArray("notes");
        notes.forEach(n::add);
        ArrayNode all = root.putArray("steps");
        steps.forEach(step -> stepJson(step, all.addObject()));
        if (maxRates != null) {
            ObjectNode max = root.putObject("maxRate").put("maxP99Ms", maxRates.maxP99Ms());
            maxJson(maxRates.ceiling(), max.putObject("ceiling"));
            maxJson(maxRates.platform(), max.putObject("platform"));
            if (!Double.isNaN(maxRates.ratio())) {
                max.put("ratio", maxRates.ratio());
            }
        }
        return root;
    }

    private static void stepJson(Step s, ObjectNode o) {
        OpenLoad.Result r = s.load();
        Histogram h = r.latencyNanos();
        o.put("target", r.target()).put("profile", r.schedule().profile()).put("offeredPerSecond", r.schedule().rate())
                .put("requests", r.schedule().size()).put("acknowledged", s.acknowledged())
                .put("throughputPerSecond", r.throughput());
        o.putObject("latencyMs").put("p50", ms(h.getValueAtPercentile(50))).put("p99", ms(h.getValueAtPercentile(99)))
                .put("p999", ms(h.getValueAtPercentile(99.9))).put("max", ms(h.getMaxValue()));
        if (s.fresh() != null) {
            o.putObject("freshnessMs").put("p50", ms(s.fresh().nanos().getValueAtPercentile(50)))
                    .put("p99", ms(s.fresh().nanos().getValueAtPercentile(99))).put("unseen", s.fresh().unseen());
        }
        if (!Double.isNaN(s.ratio())) {
            o.put("ratio", s.ratio());
        }
        if (s.shortfall() != null) {
            o.put("sustained", s.shortfall().isEmpty());
            if (!s.shortfall().isEmpty()) {
                o.put("notSustainedBecause", s.shortfall());
            }
        }
        Answers a = r.answers();
        ObjectNode first = o.putObject("firstAnswers");
        ObjectNode ends = Json.object();
        for (AnswerClass c : AnswerClass.values()) {
            first.put(c.label, a.first(c));
            ends.put(c.label, a.afterRetries(c));
        }
        o.putObject("retried").put("requests", a.retriedRequests()).put("retries", a.retries())
                .put("replayed", a.replayed()).set("endedAs", ends);
        o.put("resentOnStaleConnection", a.resentOnStaleConnection());
        Costs.Step c = s.costs();
        long acks = s.acknowledged();
        ObjectNode cpu = o.putObject("cpu").put("windowSeconds", c.seconds()).put("platformSeconds", c.platformCpuSeconds())
                .put("benchSeconds", c.benchCpuSeconds());
        ObjectNode seconds = cpu.putObject("secondsByProcess");
        ObjectNode perAck = cpu.putObject("msPerAcknowledged");
        c.cpuTicks().keySet().forEach(p -> {
            seconds.put(p, c.cpuSeconds(p));
            perAck.put(p, perValue(c.cpuSeconds(p) * 1000, acks));
        });
        perAck.put("platform", perValue(c.platformCpuSeconds() * 1000, acks));
        perAck.put("bench", perValue(c.benchCpuSeconds() * 1000, acks));
        if (c.hasDatabase()) {
            ObjectNode db = o.putObject("database").put("settled", c.settled()).put("settleSeconds", c.settleSeconds())
                    .put("rowsWritten", c.rowsWritten()).put("rowsPerAcknowledged", perValue(c.rowsWritten(), acks))
                    .put("bytesGrown", c.bytesGrown()).put("bytesPerAcknowledged", perValue(c.bytesGrown(), acks));
            ObjectNode sizes = db.putObject("bytesGrownByDatabase");
            c.databaseBytes().forEach(sizes::put);
            ArrayNode tables = db.putArray("tables");
            for (PgStats.TableDelta d : c.tables()) {
                tables.addObject().put("database", d.database()).put("table", d.table()).put("inserted", d.inserted())
                        .put("updated", d.updated()).put("deleted", d.deleted()).put("liveRowsDelta", d.liveRowsDelta())
                        .put("bytesDelta", d.bytesDelta()).put("liveRowsNow", d.liveRowsNow())
                        .put("everInserted", d.everInserted()).put("everDeleted", d.everDeleted()).put("fate", d.fate())
                        .put("writtenPerAcknowledged", perValue(d.written(), acks));
            }
        }
    }

    private static void maxJson(MaxRate.Result r, ObjectNode o) {
        o.put("max", r.max()).put("capped", r.capped());
        ArrayNode tried = o.putArray("tried");
        r.tried().forEach(t -> tried.addObject().put("rate", t.rate()).put("held", t.held()));
    }

    // --- formatting ----------------------------------------------------------------------------------------------

    private List<String> processNames() {
        Set<String> names = new LinkedHashSet<>();
        processes.forEach(p -> names.add(p.name()));
        steps.forEach(s -> names.addAll(s.costs().cpuTicks().keySet()));
        return new ArrayList<>(names);
    }

    private static String rate(Step s) {
        return String.format("%.0f", s.load().schedule().rate());
    }

    /** {@code amount} per acknowledged action, or "-" when nothing was acknowledged (no division by zero to print). */
    static String per(double amount, long acknowledged, String format) {
        return acknowledged == 0 ? "-" : String.format(format, amount / acknowledged);
    }

    private static Double perValue(double amount, long acknowledged) {
        return acknowledged == 0 ? null : amount / acknowledged;
    }

    private static String ms1(long nanos) {
        return String.format("%.1f", ms(nanos));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    Map<String, String> files() {
        return Map.of("bench-" + runId + ".json", Json.write(json()), "bench-" + runId + ".md", markdown());
    }
}

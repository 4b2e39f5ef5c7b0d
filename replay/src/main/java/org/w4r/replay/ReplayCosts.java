package org.w4r.replay;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay cost, per action acknowledged: CPU of each platform process and of the replay tool itself, and rows
 * written per table, read as the bench reads them ({@link Costs}) over the whole run, its campaign's set-up and the
 * comparison included (seconds of little work beside the sending). Until 7 December 2026 these figures were taken by
 * hand from {@code /proc}; now {@code ./platform replay} prints them.
 */
final class ReplayCosts {
    private ReplayCosts() {
    }

    static String table(Costs.Step step, long acknowledged) {
        StringBuilder s = new StringBuilder(String.format("replay: cost per action acknowledged (%,d actions; CPU over "
                + "%.1f s, %s)%n", acknowledged, step.seconds(), !step.hasDatabase()
                ? "read right after the comparison: no database was watched, so work still under way is not in it"
                : step.settled() ? String.format("until the databases' writes settled, %.0f s after the comparison",
                step.settleSeconds())
                : "the databases' writes had not settled: the figures are what was done by then"));
        Table cpu = new Table("process", "CPU s", "ms per action");
        Map<String, Long> ticks = new TreeMap<>(step.cpuTicks());
        ticks.forEach((process, t) -> cpu.row(process, String.format("%.1f", t / step.ticksPerSecond()),
                BenchReport.per(t / step.ticksPerSecond() * 1000, acknowledged, "%.4f")));
        // only the processes found (named when the run began): none found is not a cost of nothing
        cpu.row("platform", ticks.isEmpty() ? "-" : String.format("%.1f", step.platformCpuSeconds()),
                ticks.isEmpty() ? "-" : BenchReport.per(step.platformCpuSeconds() * 1000, acknowledged, "%.4f"));
        cpu.row("replay tool (this process)", String.format("%.1f", step.benchCpuSeconds()),
                BenchReport.per(step.benchCpuSeconds() * 1000, acknowledged, "%.4f"));
        s.append(cpu.text());
        if (step.hasDatabase()) {
            Table rows = new Table("database", "table", "rows written", "per action");
            step.tables().stream().filter(t -> t.written() > 0)
                    .sorted(Comparator.comparingLong(PgStats.TableDelta::written).reversed())
                    .forEach(t -> rows.row(t.database(), t.table(), String.valueOf(t.written()),
                            BenchReport.per(t.written(), acknowledged, "%.3f")));
            rows.row("all", "", String.valueOf(step.rowsWritten()), BenchReport.per(step.rowsWritten(), acknowledged, "%.3f"));
            s.append(rows.text());
        }
        return s.toString();
    }
}

package org.w4r.replay;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay cost, per action replayed: CPU of each platform process and of the replay tool itself, and rows
 * written per table, read as the bench reads them ({@link Costs}) over the whole run, its campaign's set-up and the
 * comparison included (seconds of little work beside the sending). Until 7 December 2026 these figures were taken by
 * hand from {@code /proc}; now {@code ./platform replay} prints them.
 */
final class ReplayCosts {
    private ReplayCosts() {
    }

    static String table(Costs.Step step, long actions) {
        Table cpu = new Table("process", "CPU s", "ms per action");
        Map<String, Long> ticks = new TreeMap<>(step.cpuTicks());
        ticks.forEach((process, t) -> cpu.row(process, String.format("%.1f", t / step.ticksPerSecond()),
                per(t / step.ticksPerSecond() * 1000, actions, "%.4f")));
        cpu.row("platform", String.format("%.1f", step.platformCpuSeconds()),
                per(step.platformCpuSeconds() * 1000, actions, "%.4f"));
        cpu.row("replay tool (this process)", String.format("%.1f", step.benchCpuSeconds()),
                per(step.benchCpuSeconds() * 1000, actions, "%.4f"));
        StringBuilder s = new StringBuilder(String.format(
                "replay: cost per action replayed (%,d actions; CPU over %.1f s, until the databases' writes settled)%n",
                actions, step.seconds()));
        s.append(cpu.text());
        if (step.hasDatabase()) {
            Table rows = new Table("database", "table", "rows written", "per action");
            step.tables().stream().filter(t -> t.written() > 0)
                    .sorted(Comparator.comparingLong(PgStats.TableDelta::written).reversed())
                    .forEach(t -> rows.row(t.database(), t.table(), String.valueOf(t.written()),
                            per(t.written(), actions, "%.3f")));
            rows.row("all", "", String.valueOf(step.rowsWritten()), per(step.rowsWritten(), actions, "%.3f"));
            s.append(rows.text());
        }
        return s.toString();
    }

    private static String per(double value, long actions, String format) {
        return actions == 0 ? "-" : String.format(format, value / actions);
    }
}

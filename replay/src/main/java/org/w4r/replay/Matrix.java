package org.w4r.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A case × entity matrix whose row and column totals are given exactly. One column label per action is laid out,
 * shuffled with the seed, and cut into consecutive segments as long as the row totals: every row then holds exactly
 * its total, every column exactly its own, and the cells look like a random campaign rather than a block pattern.
 */
public final class Matrix {
    public final List<Marginal> rows;
    public final List<Marginal> columns;
    private final long[][] cells;

    private Matrix(List<Marginal> rows, List<Marginal> columns, long[][] cells) {
        this.rows = rows;
        this.columns = columns;
        this.cells = cells;
    }

    public long cell(int row, int column) {
        return cells[row][column];
    }

    public long rowTotal(int row) {
        return rows.get(row).total();
    }

    public long columnTotal(int column) {
        return columns.get(column).total();
    }

    public long total() {
        return rows.stream().mapToLong(Marginal::total).sum();
    }

    /** The 2020 campaign at a scale (1 = every action), reproducible from the seed. */
    public static Matrix of2020(double scale, long seed) {
        return build(Report2020.rows(), Report2020.columns(), scale, seed);
    }

    public static Matrix build(List<Marginal> rows, List<Marginal> columns, double scale, long seed) {
        long sum = rows.stream().mapToLong(Marginal::total).sum();
        if (sum != columns.stream().mapToLong(Marginal::total).sum()) {
            throw new IllegalArgumentException("row and column totals differ");
        }
        if (!(scale > 0) || scale > 1) {
            throw new IllegalArgumentException("scale must be in (0, 1]: " + scale);
        }
        long total = Math.max(1, Math.round(sum * scale));
        List<Marginal> scaledRows = scale(rows, sum, total);
        List<Marginal> scaledColumns = scale(columns, sum, total);
        int[] labels = new int[Math.toIntExact(total)];
        int at = 0;
        for (int c = 0; c < scaledColumns.size(); c++) {
            for (long i = 0; i < scaledColumns.get(c).total(); i++) {
                labels[at++] = c;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = labels.length - 1; i > 0; i--) { // Fisher–Yates
            int j = random.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        long[][] cells = new long[scaledRows.size()][scaledColumns.size()];
        at = 0;
        for (int r = 0; r < scaledRows.size(); r++) {
            for (long i = 0; i < scaledRows.get(r).total(); i++) {
                cells[r][labels[at++]]++;
            }
        }
        return new Matrix(scaledRows, scaledColumns, cells);
    }

    /**
     * Largest-remainder rounding of every total × target / sum: the scaled totals add up to exactly {@code target},
     * so rows and columns scaled separately still describe the same number of actions. Ties go to the earlier item.
     */
    static List<Marginal> scale(List<Marginal> items, long sum, long target) {
        long[] floors = new long[items.size()];
        long[] remainders = new long[items.size()];
        long assigned = 0;
        for (int i = 0; i < items.size(); i++) {
            long quota = Math.multiplyExact(items.get(i).total(), target);
            floors[i] = quota / sum;
            remainders[i] = quota % sum;
            assigned += floors[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> remainders[a] != remainders[b] ? Long.compare(remainders[b], remainders[a]) : Integer.compare(a, b));
        for (int k = 0; assigned < target; k++, assigned++) {
            floors[order.get(k)]++;
        }
        List<Marginal> scaled = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            scaled.add(new Marginal(items.get(i).id(), items.get(i).name(), floors[i]));
        }
        return scaled;
    }
}

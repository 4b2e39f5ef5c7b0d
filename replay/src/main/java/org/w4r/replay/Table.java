package org.w4r.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One table of the report, printed as aligned columns on the console and as a Markdown table in the report file. */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table(List<String> header) {
        this.header = List.copyOf(header);
    }

    Table row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + header.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    Table row(String... cells) {
        return row(List.of(cells));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The first column left-aligned (a name), the others right-aligned (figures). */
    String text() {
        int[] width = new int[header.size()];
        for (List<String> r : withHeader()) {
            for (int c = 0; c < r.size(); c++) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (List<String> r : withHeader()) {
            for (int c = 0; c < r.size(); c++) {
                String cell = r.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                s.append(c == 0 ? cell + pad : " " + pad + cell);
            }
            s.append('\n');
        }
        return s.toString().replaceAll(" +\n", "\n");
    }

    String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("| ").append(String.join(" | ", header)).append(" |\n|");
        s.append(String.join("|", Collections.nCopies(header.size(), "---"))).append("|\n");
        for (List<String> r : rows) {
            s.append("| ").append(String.join(" | ", r.stream().map(c -> c.isEmpty() ? " " : c.replace("|", "\\|")).toList()))
                    .append(" |\n");
        }
        return s.toString();
    }

    private List<List<String>> withHeader() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}

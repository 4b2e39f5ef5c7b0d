package org.w4r.replay;

import java.util.Map;
import java.util.TreeMap;

/** The figures the tally must show for the replay's campaign, keyed by the 2020 report's ids. */
public final class Expected {
    public long total;
    public long withoutCase;
    public final Map<String, Long> cases = new TreeMap<>();
    public final Map<String, Long> entities = new TreeMap<>();
    public final Map<String, Long> types = new TreeMap<>();
    public final Map<String, Long> modes = new TreeMap<>();
    /** Signatures by signer country; every other action, and a signature without one, is unknown. */
    public final Map<String, Long> countries = new TreeMap<>();

    /** Per case, entity and in total: the matrix's scaled margins. Types and modes are added as traffic is made. */
    static Expected of(Matrix matrix) {
        Expected e = new Expected();
        e.total = matrix.total();
        for (int r = 0; r < matrix.rows.size(); r++) {
            Marginal row = matrix.rows.get(r);
            if (Report2020.NO_CASE.equals(row.id())) {
                e.withoutCase = row.total();
            } else {
                e.cases.put(row.id(), row.total());
            }
        }
        for (Marginal column : matrix.columns) {
            if (column.total() > 0) {
                e.entities.put(column.id(), column.total());
            }
        }
        return e;
    }

    synchronized void add(String type, String mode, long count) {
        types.merge(type, count, Long::sum);
        modes.merge(mode, count, Long::sum);
    }

    synchronized void addCountry(String country, long count) {
        countries.merge(country, count, Long::sum);
    }

    /** The actions no signer country is known for. */
    synchronized long unknownCountry() {
        return total - countries.values().stream().mapToLong(Long::longValue).sum();
    }
}

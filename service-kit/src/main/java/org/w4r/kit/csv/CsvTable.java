package org.w4r.kit.csv;

import java.util.List;

/**
 * A table as an endpoint answers it in CSV: {@code filename} (without ".csv") for Content-Disposition, the header and
 * the rows (strings are neutralised by {@link CsvBodyWriter}, numbers stay numbers, null is an empty cell).
 */
public record CsvTable(String filename, List<String> header, List<List<Object>> rows) {

    /** An answer that can also be read as a table: the resource returns it and {@code @Produces} picks JSON or CSV. */
    public interface Source {
        @com.fasterxml.jackson.annotation.JsonIgnore
        CsvTable csv();
    }
}

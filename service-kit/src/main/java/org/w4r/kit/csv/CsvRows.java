package org.w4r.kit.csv;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading CSV with a header row (RFC 4180 quoting, a UTF-8 BOM tolerated, blank lines skipped but counted): each row as a map
 * from column name to text, with its line number, so a caller can report per-line errors before writing anything.
 */
public final class CsvRows {
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.TRIM_SPACES)
            .build();

    private CsvRows() {
    }

    public record Row(long line, Map<String, String> cells) {
        public String get(String column) {
            String value = cells.get(column);
            return value == null || value.isEmpty() ? null : value;
        }
    }

    public static List<Row> read(Reader in) throws IOException {
        List<Row> rows = new ArrayList<>();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> it = MAPPER.readerForMapOf(String.class).with(schema).readValues(in)) {
            long line = 1; // the header
            while (it.hasNextValue()) {
                // counted here, not taken from the parser, which reads ahead; a line break inside a quoted cell is
                // one record, so lines after it are reported one short (rare in the files staff import)
                line++;
                Map<String, String> cells = it.nextValue();
                if (cells.values().stream().allMatch(v -> v == null || v.isEmpty())) {
                    continue;
                }
                Map<String, String> clean = new LinkedHashMap<>();
                cells.forEach((k, v) -> clean.put(k.replace("\uFEFF", "").trim(), v));
                rows.add(new Row(line, clean));
            }
        }
        return rows;
    }
}

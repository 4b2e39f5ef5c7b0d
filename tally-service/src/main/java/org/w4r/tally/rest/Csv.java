package org.w4r.tally.rest;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Tables as CSV (RFC 4180 quoting by jackson-dataformat-csv), safe to open in a spreadsheet. */
public final class Csv {
    public static final String MEDIA_TYPE = "text/csv";
    private static final CsvMapper MAPPER = new CsvMapper();

    private Csv() {
    }

    public static Response table(String filename, List<String> header, List<List<Object>> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        header.forEach(schema::addColumn);
        StringWriter out = new StringWriter();
        try (SequenceWriter writer = MAPPER.writer(schema.build()).writeValues(out)) {
            for (List<Object> row : rows) {
                List<Object> safe = new ArrayList<>(row.size());
                row.forEach(cell -> safe.add(cell instanceof String s ? defuse(s) : cell));
                writer.write(safe);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.ok(out.toString(), MEDIA_TYPE + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + ".csv\"").build();
    }

    /**
     * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe (OWASP CSV injection).
     * Numbers are written as numbers, so a negative count stays a number.
     */
    static String defuse(String cell) {
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }
}

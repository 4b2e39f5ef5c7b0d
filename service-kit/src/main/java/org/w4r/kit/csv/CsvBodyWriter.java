package org.w4r.kit.csv;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link CsvTable} (or a {@link CsvTable.Source}) as {@code text/csv}: RFC 4180 quoting by
 * jackson-dataformat-csv, cells neutralised, an attachment filename. An endpoint that can answer CSV says so with
 * {@code @Produces({APPLICATION_JSON, Csv.MEDIA_TYPE})} and returns its answer; JAX-RS picks the writer by the
 * caller's Accept (or {@code ?format=csv}, see {@link CsvFormatParameter}).
 */
@Provider
@Produces(CsvBodyWriter.MEDIA_TYPE)
public class CsvBodyWriter implements MessageBodyWriter<Object> {
    public static final String MEDIA_TYPE = "text/csv";
    private static final CsvMapper MAPPER = new CsvMapper();

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return CsvTable.class.isAssignableFrom(type) || CsvTable.Source.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(Object answer, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws java.io.IOException {
        CsvTable table = answer instanceof CsvTable t ? t : ((CsvTable.Source) answer).csv();
        headers.putSingle("Content-Type", MEDIA_TYPE + "; charset=utf-8");
        headers.putSingle("Content-Disposition", "attachment; filename=\"" + table.filename() + ".csv\"");
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        write(table, writer);
        writer.flush();
    }

    /**
     * The table's text, also for code that writes a CSV file rather than an answer. Every text cell is quoted, numbers
     * and empty cells are not: a spreadsheet set to split on ';' (the list separator where ',' is the decimal comma)
     * splits an unquoted cell "Name;=A1/B1" and runs the part after it as a formula, whatever its first character
     * was. Jackson quotes only cells with a ',' or a character below it, so a case name an entity imported reached a
     * coordinator's report that way (read-only review, 6 December 2026); the page's own tables were quoted already
     * (dom.js toCsv). The header is the service's own column names, written as before.
     */
    public static void write(CsvTable table, Writer out) throws java.io.IOException {
        CsvSchema.Builder columns = CsvSchema.builder();
        table.header().forEach(columns::addColumn);
        CsvSchema schema = columns.build();
        try (SequenceWriter header = MAPPER.writer(schema.withHeader())
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValues(out)) {
            // no rows: the header alone, quoted only where it needs it
        }
        try (SequenceWriter rows = MAPPER.writer(schema.withoutHeader())
                .with(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS)
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValues(out)) {
            for (List<Object> row : table.rows()) {
                List<Object> safe = new ArrayList<>(row.size());
                row.forEach(cell -> safe.add(cell instanceof String s ? (s.isEmpty() ? null : SpreadsheetSafe.neutralise(s)) : cell));
                rows.write(safe);
            }
        }
    }
}

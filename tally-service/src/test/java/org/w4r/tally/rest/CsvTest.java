package org.w4r.tally.rest;

import org.junit.jupiter.api.Test;
import org.w4r.kit.csv.CsvBodyWriter;
import org.w4r.kit.csv.CsvTable;

import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tables tally answers are written by the kit's CSV writer: RFC 4180 quoting, formulas defused. */
class CsvTest {
    @Test
    void quotesLikeRfc4180AndDefusesFormulas() throws Exception {
        StringWriter body = new StringWriter();
        CsvBodyWriter.write(new CsvTable("t", List.of("name", "count"), List.of(
                List.of("=HYPERLINK(\"http://x\")", 1L),
                List.of("@SUM(A1)", -2L),
                List.of("a, \"quoted\" name", 3L))), body);
        assertEquals("""
                name,count
                "'=HYPERLINK(""http://x"")",1
                "'@SUM(A1)",-2
                "a, ""quoted"" name",3
                """, body.toString());
    }
}

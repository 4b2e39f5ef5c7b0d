package org.w4r.tally.rest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvTest {
    @Test
    void quotesLikeRfc4180AndDefusesFormulas() {
        String body = (String) Csv.table("t", List.of("name", "count"), List.of(
                List.of("=HYPERLINK(\"http://x\")", 1L),
                List.of("@SUM(A1)", -2L),
                List.of("a, \"quoted\" name", 3L))).getEntity();
        assertEquals("""
                name,count
                "'=HYPERLINK(""http://x"")",1
                "'@SUM(A1)",-2
                "a, ""quoted"" name",3
                """, body);
    }
}

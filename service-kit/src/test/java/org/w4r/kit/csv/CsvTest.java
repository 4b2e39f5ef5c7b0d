package org.w4r.kit.csv;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one CSV: written safe for spreadsheets, read back with its line numbers. */
class CsvTest {
    @Test
    void formulasAreDefusedNumbersStayNumbers() throws Exception {
        StringWriter out = new StringWriter();
        CsvBodyWriter.write(new CsvTable("t", List.of("name", "count"), List.of(
                List.of("=HYPERLINK(\"x\")", -5), List.of("a,b", 7), Arrays.asList("@sum", null), List.of("+1", 0))), out);
        assertEquals("name,count\n\"'=HYPERLINK(\"\"x\"\")\",-5\n\"a,b\",7\n\"'@sum\",\n\"'+1\",0\n", out.toString());
    }

    /**
     * A spreadsheet that splits on ';' (where ',' is the decimal comma) reads an unquoted "Amnesty;=A1/B1" as two
     * cells, the second a formula: every text cell is quoted, so no separator inside one splits it. Numbers and empty
     * cells stay bare; the header is written as before, and a table without rows is its header alone.
     */
    @Test
    void everyTextCellIsQuotedSoNoSeparatorSplitsIt() throws Exception {
        StringWriter out = new StringWriter();
        CsvBodyWriter.write(new CsvTable("t", List.of("name", "INDIVIDUAL OR GROUP", "count"), List.of(
                Arrays.asList("Amnesty;=A1/B1", "plain", 3), Arrays.asList("", null, -1))), out);
        assertEquals("name,\"INDIVIDUAL OR GROUP\",count\n\"Amnesty;=A1/B1\",\"plain\",3\n,,-1\n", out.toString());
        StringWriter empty = new StringWriter();
        CsvBodyWriter.write(new CsvTable("t", List.of("name", "country"), List.of()), empty);
        assertEquals("name,country\n", empty.toString());
    }

    @Test
    void rowsAreReadWithTheirLineNumbers() throws Exception {
        List<CsvRows.Row> rows = CsvRows.read(new StringReader("\uFEFFid, name\nalpha,\"A, the first\"\n\nbeta,\n"));
        assertEquals(2, rows.size());
        assertEquals("A, the first", rows.get(0).get("name"));
        assertEquals(2, rows.get(0).line());
        assertEquals("beta", rows.get(1).get("id"));
        assertEquals(null, rows.get(1).get("name"));
        assertEquals(4, rows.get(1).line());
    }

    @Test
    void onlySpacesAreTrimmedSoAControlCharacterAtACellsEndReachesValidation() throws Exception {
        List<CsvRows.Row> rows = CsvRows.read(new StringReader("id,n\n x-1\u0000 ,\t1\n"));
        assertEquals("x-1\u0000", rows.get(0).get("id"));
        assertEquals("\t1", rows.get(0).get("n"));
    }

    @Test
    void neutraliseLeavesPlainTextAlone() {
        assertEquals("Amnesty", SpreadsheetSafe.neutralise("Amnesty"));
        assertEquals("'-1", SpreadsheetSafe.neutralise("-1"));
        assertEquals("", SpreadsheetSafe.neutralise(""));
        // what a reader that prints the cell gets back: the value as given
        // a formula after spaces or a line break, which some spreadsheets trim on import (a read-only review,
        // 8 December 2026); a name that merely starts with a space is left alone
        assertEquals("' =HYPERLINK(\"x\")", SpreadsheetSafe.neutralise(" =HYPERLINK(\"x\")"));
        assertEquals("'\n@SUM(1)", SpreadsheetSafe.neutralise("\n@SUM(1)"));
        assertEquals(" Ana", SpreadsheetSafe.neutralise(" Ana"));
        for (String value : new String[]{"@maria", "-Ana", "+Lee", "=1", "Amnesty", "", "'quoted", "O'Brien", " =1",
                "\n-2", " Ana"}) {
            assertEquals(value, SpreadsheetSafe.restore(SpreadsheetSafe.neutralise(value)));
        }
    }
}

package org.w4r.delivery;

import org.junit.jupiter.api.Test;
import org.w4r.delivery.service.Csv;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The small CSV reader used for the demo file and petition-service's signer list. */
class CsvTest {
    @Test
    void quotedFieldsCommasQuotesAndLineBreaks() {
        assertEquals(List.of(List.of("name", "country"), List.of("Lovelace, Ada", "GB"), List.of("Zoë \"Z\"", ""),
                        List.of("two\nlines", "FR")),
                Csv.parse("name,country\r\n\"Lovelace, Ada\",GB\n\"Zoë \"\"Z\"\"\",\n\"two\nlines\",FR"));
        assertEquals(List.of(), Csv.parse(""));
    }
}

package org.w4r.kit.demo;

import org.w4r.kit.csv.CsvRows;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What one service loads of the demo: the 2020 campaign report as campaign {@value #CAMPAIGN_ID}, for a first look
 * (on with {@code w4r.demo.enabled}; off in production). A bean implementing it is called once at every start by
 * {@link DemoStart} and loads into an empty database only, so a restart neither duplicates nor resets anything.
 */
public interface DemoShare {
    String CAMPAIGN_ID = "w4r-demo";

    void loadDemo();

    /**
     * One file of the report ({@code demo/w4r2020/<file>}, shipped with the service that reads it, beside
     * {@code anchor}). Trusted data: its rows become commands without a request.
     */
    static List<CsvRows.Row> rows(Class<?> anchor, String file) {
        String resource = "/demo/w4r2020/" + file;
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            return CsvRows.read(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

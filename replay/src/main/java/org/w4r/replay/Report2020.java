package org.w4r.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of the 2020 campaign report (copied from shared/data/w4r2020 into this module's resources, so the tool
 * reads nothing outside the project): the ten cases and 59 reporting entities, plus the two totals the report gives
 * without a breakdown.
 */
public final class Report2020 {
    public static final long GLOBAL_TOTAL = 4_496_875;
    /** Actions recorded by entities that could not say which case they were for. */
    public static final long WITHOUT_CASE = 381_816;
    /** Actions from supporters with no reporting entity, recorded under the catch-all entity. */
    public static final long CATCH_ALL = 400_899;
    public static final String CATCH_ALL_ENTITY = "international-members";
    /** The row label of actions without a case. */
    public static final String NO_CASE = "(no case)";

    private Report2020() {
    }

    /** The ten cases then "no case": row totals summing to the global total. */
    public static List<Marginal> rows() {
        List<Marginal> rows = new ArrayList<>();
        for (String[] cells : csv("cases.csv")) {
            rows.add(new Marginal(cells[0], cells[1], Long.parseLong(cells[cells.length - 1])));
        }
        rows.add(new Marginal(NO_CASE, NO_CASE, WITHOUT_CASE));
        return check(rows);
    }

    /** The 59 reporting entities then the catch-all: column totals summing to the global total. */
    public static List<Marginal> columns() {
        List<Marginal> columns = new ArrayList<>();
        for (String[] cells : csv("entities.csv")) {
            columns.add(new Marginal(cells[0], cells[1], Long.parseLong(cells[cells.length - 1])));
        }
        columns.add(new Marginal(CATCH_ALL_ENTITY, "International members", CATCH_ALL));
        return check(columns);
    }

    /**
     * Each reporting entity's country (ISO 3166-1 alpha-2, a column added to the report's file; absent for a regional
     * office), where most of its signers live.
     */
    public static java.util.Map<String, String> entityCountries() {
        java.util.Map<String, String> countries = new java.util.TreeMap<>();
        for (String[] cells : csv("entities.csv")) {
            if (cells.length == 4 && !cells[2].isEmpty()) {
                countries.put(cells[0], cells[2]);
            }
        }
        return countries;
    }

    /** Case names and countries, to create the replay's cases with. */
    public static List<String[]> cases() {
        return csv("cases.csv");
    }

    private static List<Marginal> check(List<Marginal> marginals) {
        long sum = marginals.stream().mapToLong(Marginal::total).sum();
        if (sum != GLOBAL_TOTAL) {
            throw new IllegalStateException("the 2020 figures do not add up: " + sum + " ≠ " + GLOBAL_TOTAL);
        }
        return marginals;
    }

    /** A small CSV without quoted commas in the columns we read (names with commas are not in these files). */
    private static List<String[]> csv(String name) {
        try (InputStream in = Report2020.class.getResourceAsStream("/w4r2020/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource w4r2020/" + name + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> rows = new ArrayList<>();
            reader.readLine();
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.add(line.split(","));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

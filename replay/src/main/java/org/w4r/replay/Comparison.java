package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every figure of the replay's campaign as tally-service shows it (GET /api/v1/totals?campaign=…), side by side
 * with the expected one: the global total, actions without a case, each case, each entity, each type and mode; and
 * each signer country (GET /api/v1/totals/countries?campaign=…), the unknown, and the countries' sum, which must be
 * the total to the unit.
 */
public final class Comparison {
    public record Row(String figure, long expected, long actual) {
        public long diff() {
            return actual - expected;
        }
    }

    public final List<Row> rows = new ArrayList<>();

    public long differences() {
        return rows.stream().filter(r -> r.diff() != 0).count();
    }

    public boolean exact() {
        return differences() == 0;
    }

    static Comparison of(Expected expected, JsonNode totals, JsonNode countries, Function<String, String> reportCaseId) {
        Comparison c = new Comparison();
        c.rows.add(new Row("total", expected.total, totals.path("total").asLong()));
        c.rows.add(new Row("without case", expected.withoutCase, totals.path("withoutCase").asLong()));
        c.section("case ", expected.cases, list(totals.path("cases"), "caseId", reportCaseId));
        c.section("entity ", expected.entities, list(totals.path("entities"), "entityId", Function.identity()));
        c.section("type ", expected.types, map(totals.path("types")));
        c.section("mode ", expected.modes, map(totals.path("modes")));
        c.section("signer country ", expected.countries, list(countries.path("countries"), "country", Function.identity()));
        c.rows.add(new Row("signer country unknown", expected.unknownCountry(), countries.path("unknown").asLong()));
        long sum = countries.path("unknown").asLong();
        for (JsonNode country : countries.path("countries")) {
            sum += country.path("total").asLong();
        }
        c.rows.add(new Row("signer countries summed = total", totals.path("total").asLong(), sum));
        return c;
    }

    private void section(String prefix, Map<String, Long> expected, Map<String, Long> actual) {
        Map<String, long[]> both = new TreeMap<>();
        expected.forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[0] = v);
        actual.forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[1] = v);
        both.forEach((k, v) -> rows.add(new Row(prefix + k, v[0], v[1])));
    }

    private static Map<String, Long> list(JsonNode array, String idField, Function<String, String> id) {
        Map<String, Long> m = new TreeMap<>();
        for (JsonNode n : array) {
            m.merge(id.apply(n.path(idField).asText()), n.path("total").asLong(), Long::sum);
        }
        return m;
    }

    private static Map<String, Long> map(JsonNode object) {
        Map<String, Long> m = new TreeMap<>();
        object.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
        return m;
    }

    public void print(PrintStream out) {
        int width = rows.stream().mapToInt(r -> r.figure().length()).max().orElse(10);
        String format = "%-" + width + "s %12s %12s %9s%n";
        out.printf(format, "figure", "expected", "actual", "diff");
        for (Row r : rows) {
            out.printf(format, r.figure(), String.format("%,d", r.expected()), String.format("%,d", r.actual()),
                    r.diff() == 0 ? "0" : String.format("%+,d  <<<", r.diff()));
        }
        out.println(exact() ? "replay: EXACT, all " + rows.size() + " figures equal the expected ones"
                : "replay: " + differences() + " of " + rows.size() + " figures DIFFER");
    }
}

package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The requests, read back as the platform would count them, reproduce every cell of the matrix. */
class TrafficTest {

    @Test
    void theRequestsAddUpToEveryCellAndRepeatedSignersAddNothing() {
        Matrix m = Matrix.of2020(0.002, 17);
        String[] caseIds = new String[m.rows.size()];
        boolean[] all = new boolean[caseIds.length];
        Map<String, Integer> rowOf = new HashMap<>();
        for (int r = 0; r < caseIds.length; r++) {
            all[r] = true;
            String id = m.rows.get(r).id();
            caseIds[r] = Report2020.NO_CASE.equals(id) ? null : "x-" + id;
            rowOf.put(caseIds[r], r);
        }
        Map<String, Integer> columnOf = new HashMap<>();
        for (int c = 0; c < m.columns.size(); c++) {
            columnOf.put(m.columns.get(c).id(), c);
        }
        Expected expected = Expected.of(m);
        Traffic traffic = new Traffic(m, "c", caseIds, all, Traffic.Settings.defaults(50), expected, "t", new AtomicLong(), 3,
                new Timeline());

        long[][] counted = new long[caseIds.length][m.columns.size()];
        Set<String> signed = new HashSet<>(), keys = new HashSet<>();
        int duplicates = 0, multiCase = 0, retries = 0, individual = 0, offline = 0;
        Map<String, Long> countries = new java.util.TreeMap<>();
        long home = 0;
        Map<String, String> homes = Report2020.entityCountries();
        for (Request r; (r = traffic.next()) != null; ) {
            assertTrue(keys.add(r.idempotencyKey()), "keys are unique");
            retries += r.retry() ? 1 : 0;
            individual += r.batch() ? 0 : 1;
            JsonNode body = Json.read(r.body());
            List<JsonNode> items = new java.util.ArrayList<>();
            if (r.batch()) {
                assertTrue(body.path("items").size() <= 50);
                body.path("items").forEach(i -> items.add(Json.MAPPER.createObjectNode().put("kind", i.path("kind").asText())
                        .set("body", i.path("body"))));
            } else {
                items.add(Json.MAPPER.createObjectNode().put("kind", kindOf(r.path())).set("body", body));
            }
            int column = columnOf.get(r.entityId());
            for (JsonNode item : items) {
                JsonNode b = item.path("body");
                String caseId = b.hasNonNull("caseId") ? b.get("caseId").asText() : null;
                if (caseId == null && !"signature".equals(item.path("kind").asText())) { // no case: the campaign is named
                    assertEquals("c", b.path("campaignId").asText(), b.toString());
                }
                switch (item.path("kind").asText()) {
                    case "signature" -> {
                        multiCase += b.path("caseIds").size() > 1 ? 1 : 0;
                        for (JsonNode id : b.path("caseIds")) {
                            String signer = b.path("signer").path("email").asText().toLowerCase(Locale.ROOT);
                            if (signed.add(id.asText() + " " + signer)) {
                                counted[rowOf.get(id.asText())][column]++;
                                String country = b.path("signer").path("country").asText("").toUpperCase(Locale.ROOT);
                                if (!country.isEmpty()) {
                                    countries.merge(country, 1L, Long::sum);
                                    home += country.equals(homes.get(r.entityId())) ? 1 : 0;
                                }
                            } else {
                                duplicates++;
                            }
                        }
                    }
                    case "offline-count" -> {
                        offline++;
                        counted[rowOf.get(caseId)][column] += b.path("count").asLong();
                    }
                    default -> counted[rowOf.get(caseId)][column]++;
                }
            }
        }
        for (int r = 0; r < caseIds.length; r++) {
            for (int c = 0; c < m.columns.size(); c++) {
                assertEquals(m.cell(r, c), counted[r][c], m.rows.get(r).id() + " × " + m.columns.get(c).id());
            }
        }
        assertTrue(duplicates > 0 && multiCase > 0 && retries > 0 && individual > 0 && offline > 0,
                duplicates + " " + multiCase + " " + retries + " " + individual + " " + offline);
        assertEquals(m.total(), expected.modes.values().stream().mapToLong(Long::longValue).sum());
        assertEquals(m.total(), expected.types.values().stream().mapToLong(Long::longValue).sum());
        assertNull(traffic.next());
        // signer countries: the expected figures are what was sent; most signers live in their entity's country
        assertEquals(countries, expected.countries);
        long withCountry = countries.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(countries.size() > 20 && home > withCountry / 2, countries + " home " + home);
        assertEquals(m.total() - withCountry, expected.unknownCountry());
        assertTrue(expected.unknownCountry() > 0);
    }

    private static String kindOf(String path) {
        return switch (path) {
            case "/api/v1/signatures" -> "signature";
            case "/api/v1/messages" -> "message";
            case "/api/v1/actions" -> "action";
            case "/api/v1/offline-counts" -> "offline-count";
            default -> throw new IllegalStateException(path);
        };
    }
}

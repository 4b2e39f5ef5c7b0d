package org.w4r.it;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The world map (issue 16) in a real headless Chromium against the packaged platform: signatures with signer
 * countries posted through the public API; the map page's two tables equal tally-service's answers to the unit, each
 * map's data equals them too and its canvas is drawn, a signature from a new country shows without a reload, the
 * campaign picker is followed, and the page breaks nothing of the Content-Security-Policy. Screenshot: target/screenshots/map.png (docs/img/map.png).
 */
class WorldMapBrowserIT extends BrowserSupport {
    /**
     * A campaign of this class's own, so every figure is known exactly: on the demo campaign other classes' signatures
     * (from France, from New Zealand) made "at least" the only claim a check could make.
     */
    static final String CAMPAIGN = "map-" + UUID.randomUUID().toString().substring(0, 8);
    static final String CASE = CAMPAIGN + "-case";

    @BeforeAll
    static void browser() throws Exception {
        // its first signature comes from ai-france, signer in FR
        DashboardBrowserIT.openCampaignWithCase(CAMPAIGN, Map.of("caseId", CASE, "name", "Map " + CAMPAIGN, "goal", 1000));
        String[][] signatures = {{"ai-france", "FR"}, {"ai-france", "FR"}, {"ai-france", "fr"}, {"ai-france", "DE"},
                {"ai-germany", "DE"}, {"ai-germany", "DE"}, {"ai-mexico", "MX"}, {"ai-mexico", "MX"},
                {"ai-argentina", "BR"}, {"ai-argentina", null}, {"ai-nepal", "NP"}};
        for (String[] s : signatures) {
            sign(s[0], CASE, s[1]);
        }
        // an offline count has no signer country: unknown on the signers' map, the entity's country on the other
        given().auth().oauth2(platform.tokens.get("ai-mexico")).contentType(ContentType.JSON)
                .body(Map.of("caseId", CASE, "type", "letter", "count", 250, "event", Map.of("name", "School event",
                        "date", LocalDate.now(ZoneOffset.UTC).toString(), "place", "Oaxaca")))
                .post(platform.petitions.url() + "/api/v1/offline-counts").then().statusCode(202);
        startBrowser(Duration.ofSeconds(30));
    }

    static void sign(String entity, String caseId, String country) {
        Map<String, Object> signer = new java.util.HashMap<>(Map.of("name", "Map Signer",
                "email", "map-" + UUID.randomUUID() + "@example.org"));
        if (country != null) {
            signer.put("country", country);
        }
        given().auth().oauth2(platform.tokens.get(entity)).contentType(ContentType.JSON)
                .body(Map.of("caseIds", List.of(caseId), "signer", signer))
                .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(202)
                .body("results[0].status", equalTo("accepted"));
    }

    static JsonPath api(String path) {
        return given().auth().oauth2(platform.tokens.get("demo-coordinator")).get(platform.tally.url() + path
                        + (path.contains("?") ? "" : "?campaign=" + CAMPAIGN)).then().statusCode(200).extract().jsonPath();
    }

    /** tally-service's answer as rows of the page's table: code and total per country, then the unknown. */
    static List<List<Object>> apiRows(String path) {
        JsonPath answer = api(path);
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> c : answer.<Map<String, Object>>getList("countries")) {
            rows.add(List.of(c.get("country"), ((Number) c.get("total")).longValue()));
        }
        rows.add(List.of("", answer.getLong("unknown")));
        return rows;
    }

    /** The API's rows, largest first, then by code, the unknown last: the order the expected figures are written in. */
    static List<List<Object>> sortedRows(String path) {
        List<List<Object>> rows = new ArrayList<>(apiRows(path));
        List<Object> unknown = rows.remove(rows.size() - 1);
        rows.sort(java.util.Comparator.<List<Object>, Long>comparing(r -> (Long) r.get(1)).reversed()
                .thenComparing(r -> (String) r.get(0)));
        rows.add(unknown);
        return rows;
    }

    /** The page's table, code and the number shown per row. */
    @SuppressWarnings("unchecked")
    static List<List<Object>> pageRows(String id) {
        List<List<String>> cells = (List<List<String>>) js("return [...document.querySelectorAll('#' + arguments[0]"
                + " + ' tbody tr')].map((r) => [...r.cells].map((c) => c.textContent))", id);
        return cells.stream().map(r -> List.<Object>of(r.get(1), Long.parseLong(r.get(2).replaceAll("[^0-9-]", ""))))
                .toList();
    }

    /**
     * The map's own data: its value for each ISO code it has a shape for, 0 included (the 1:110m world has no shape
     * for the smallest states, such as Malta).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Long> mapValues(String id) {
        Map<String, Object> values = (Map<String, Object>) js("""
                const chart = Chart.getChart(document.getElementById(arguments[0]));
                return fetch('data/iso3166-numeric.json').then((r) => r.json()).then((iso) => Object.fromEntries(
                  chart.data.datasets[0].data.filter((d) => d.feature.id)
                    .map((d) => [iso.alpha2ByNumeric[d.feature.id], d.value])));""", id);
        Map<String, Long> result = new java.util.TreeMap<>();
        values.forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        return result;
    }

    /** The API's rows as the map would shade them: every country with a shape, 0 where nobody acted. */
    static Map<String, Long> shaded(List<List<Object>> apiRows, java.util.Set<String> shapes) {
        Map<String, Long> expected = new java.util.TreeMap<>();
        shapes.forEach(code -> expected.put(code, 0L));
        apiRows.stream().filter(r -> shapes.contains(r.get(0))).forEach(r -> expected.put((String) r.get(0), (Long) r.get(1)));
        return expected;
    }

    @Test
    void theMapsAndTheirTablesShowTheApiFiguresLiveUnderTheStrictPolicy() throws Exception {
        signIn("demo-coordinator");
        js("sessionStorage.setItem('w4r.campaign', '" + CAMPAIGN + "');");
        driver.navigate().refresh();
        wait.until(d -> !d.findElements(By.cssSelector("#nav a[data-route='world']")).isEmpty());
        driver.findElement(By.cssSelector("#nav a[data-route='world']")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), "World map"));

        // what was posted is counted, exactly: by signer, France 4 (one given in lower case, one the first signature),
        // Germany 3, Mexico 2, Brazil 1, Nepal 1, and unknown the one without a country and the offline count's 250;
        // by entity, France 5 (one signer in Germany), Germany 2, Mexico 252, Argentina 2, Nepal 1
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of(List.of("FR", 4L), List.of("DE", 3L), List.of("MX", 2L), List.of("BR", 1L),
                    List.of("NP", 1L), List.of("", 251L)), sortedRows("/api/v1/totals/countries"));
            assertEquals(List.of(List.of("MX", 252L), List.of("FR", 5L), List.of("AR", 2L), List.of("DE", 2L),
                    List.of("NP", 1L), List.of("", 0L)), sortedRows("/api/v1/totals/entity-countries"));
            assertEquals(api("/api/v1/totals").getLong("total"), api("/api/v1/totals/countries").getLong("total"),
                    "the countries sum to the total");
        });
        for (String id : List.of("signer-countries", "entity-countries")) {
            String path = id.equals("signer-countries") ? "/api/v1/totals/countries" : "/api/v1/totals/entity-countries";
            // the table's and the map's data are the API's, for every country the map has a shape for; awaited
            // together, as the figures may still move between one read and the next
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                List<List<Object>> rows = apiRows(path);
                assertEquals(rows, pageRows(id + "-table"), id);
                Map<String, Long> shown = mapValues(id + "-map");
                assertEquals(shaded(rows, shown.keySet()), shown, id);
            });
            Map<String, Long> drawn = mapValues(id + "-map");
            assertEquals(5, drawn.values().stream().filter(v -> v > 0).count(), id + ": " + drawn);
            // the canvas is drawn: many colours (the countries shaded, the outline, the legend), not a blank box
            long colours = (Long) js("""
                    const c = document.getElementById(arguments[0]);
                    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    const seen = new Set();
                    for (let i = 0; i < d.length; i += 16) { if (d[i + 3] > 0) { seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); } }
                    return seen.size;""", id + "-map");
            assertTrue(colours > 20, id + " draws " + colours + " colours");
            assertTrue(driver.findElement(By.id(id + "-map")).getAttribute("aria-label").contains("table beside it"));
        }
        screenshot("map");

        // live: a signature from New Zealand, a country new to the campaign, shows on the open page without a reload
        assertTrue(pageRows("signer-countries-table").stream().noneMatch(r -> "NZ".equals(r.get(0))));
        js("window.__noReload = true");
        sign("ai-new-zealand", CASE, "NZ");
        wait.until(d -> pageRows("signer-countries-table").contains(List.of("NZ", 1L)));
        assertEquals(Boolean.TRUE, js("return window.__noReload === true"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertEquals(apiRows("/api/v1/totals/countries"), pageRows("signer-countries-table")));
        assertEquals(1L, mapValues("signer-countries-map").get("NZ"));

        // the campaign picker: the demo campaign chosen by name, the page asks for it and shows its figures
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("campaign"))).selectByValue("w4r-demo");
        wait.until(d -> "w4r-demo".equals(js("return sessionStorage.getItem('w4r.campaign')")));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertEquals(apiRows("/api/v1/totals/entity-countries?campaign=w4r-demo"), pageRows("entity-countries-table"));
            assertTrue((Boolean) js("return performance.getEntriesByType('resource').some((e) => "
                    + "e.name.includes('/api/v1/totals/entity-countries?campaign=w4r-demo'))"));
        });
        assertEquals(List.of(), js("return window.__cspViolations"));
    }
}

package org.w4r.it;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bulk invalidation through the four packaged services: a flood from one email domain through two entities, its
 * preview in petition-service, the invalidation, and the tally dropping exactly the preview's number per case and
 * entity (and nothing else); the reversal puts every one back.
 */
class InvalidationIT {
    static TestPlatform platform;
    static String coordinator;

    /** The cells of the case × entity matrix this test writes to. */
    static final List<List<String>> CELLS = List.of(List.of("el-hiblu-3", "ai-france"),
            List.of("nassima-al-sada", "ai-france"), List.of("el-hiblu-3", "ai-germany"));

    @BeforeAll
    static void platform() throws Exception {
        platform = TestPlatform.get();
        coordinator = platform.tokens.get("demo-coordinator");
    }

    static void sign(String entity, List<String> caseIds, String email) {
        given().auth().oauth2(platform.tokens.get(entity)).contentType(ContentType.JSON)
                .body(Map.of("caseIds", caseIds, "signer", Map.of("name", "Flood Bot", "email", email, "country", "FR")))
                .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(202)
                .body("results.status", equalTo(caseIds.stream().map(c -> "accepted").toList()));
    }

    /** The tally's count of each cell now. */
    static Map<List<String>, Long> cells() {
        JsonPath matrix = given().auth().oauth2(coordinator).get(platform.tally.url() + "/api/v1/totals/matrix")
                .then().statusCode(200).extract().jsonPath();
        Map<List<String>, Long> counts = new HashMap<>();
        for (List<String> cell : CELLS) {
            Number n = matrix.get("rows.find { it.entityId == '" + cell.get(1) + "' }.cases.'" + cell.get(0) + "'");
            counts.put(cell, n == null ? 0L : n.longValue());
        }
        return counts;
    }

    static Map<List<String>, Long> plus(Map<List<String>, Long> base, Map<List<String>, Long> delta, int sign) {
        Map<List<String>, Long> sum = new HashMap<>(base);
        delta.forEach((cell, n) -> sum.merge(cell, sign * n, Long::sum));
        return sum;
    }

    @Test
    void theTallyDropsExactlyWhatThePreviewShowedAndTheReversalPutsItBack() {
        Map<List<String>, Long> before = cells();
        String flood = "flood-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        for (int i = 0; i < 3; i++) {
            sign("ai-france", List.of("el-hiblu-3", "nassima-al-sada"), "bot" + i + "@" + flood);
        }
        sign("ai-france", List.of("el-hiblu-3"), "bot3@" + flood);
        for (int i = 0; i < 2; i++) {
            sign("ai-germany", List.of("el-hiblu-3"), "de-bot" + i + "@" + flood);
        }
        // a genuine signer among them stays counted
        sign("ai-france", List.of("el-hiblu-3"), "real-" + UUID.randomUUID() + "@example.org");
        Map<List<String>, Long> posted = Map.of(CELLS.get(0), 5L, CELLS.get(1), 3L, CELLS.get(2), 2L);
        Map<List<String>, Long> withFlood = plus(before, posted, 1);
        await().atMost(Duration.ofSeconds(60)).until(InvalidationIT::cells, withFlood::equals);

        String selection = "{\"campaignId\":\"w4r-demo\",\"emailDomain\":\"" + flood + "\"}";
        JsonPath preview = given().auth().oauth2(coordinator).contentType(ContentType.JSON).body(selection)
                .post(platform.petitions.url() + "/api/v1/invalidations/preview").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(9, preview.getInt("actions"));
        Map<List<String>, Long> previewed = new HashMap<>();
        for (Map<String, Object> row : preview.<Map<String, Object>>getList("byCaseAndEntity")) {
            previewed.put(List.of((String) row.get("caseId"), (String) row.get("entityId")),
                    ((Number) row.get("actions")).longValue());
        }
        assertEquals(Map.of(CELLS.get(0), 4L, CELLS.get(1), 3L, CELLS.get(2), 2L), previewed);

        String id = given().auth().oauth2(coordinator).contentType(ContentType.JSON)
                .body("{\"selection\":" + selection + ",\"reason\":\"flood from one domain\",\"expectedActions\":9}")
                .post(platform.petitions.url() + "/api/v1/invalidations").then().statusCode(201)
                .body("actions", equalTo(9)).extract().path("invalidationId");
        boolean reversed = false;
        try {
            // exactly the preview's number per case and entity, nothing more
            Map<List<String>, Long> dropped = plus(withFlood, previewed, -1);
            await().atMost(Duration.ofSeconds(60)).until(InvalidationIT::cells, dropped::equals);
            assertEquals(plus(before, Map.of(CELLS.get(0), 1L), 1), dropped, "only the genuine signer still counts");

            given().auth().oauth2(coordinator).post(platform.petitions.url() + "/api/v1/invalidations/" + id + "/reversal")
                    .then().statusCode(200);
            reversed = true;
            await().atMost(Duration.ofSeconds(60)).until(InvalidationIT::cells, withFlood::equals);
        } finally {
            if (!reversed) {
                given().auth().oauth2(coordinator).post(platform.petitions.url() + "/api/v1/invalidations/" + id + "/reversal");
            }
        }
    }
}

package org.w4r.it;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.replay.Comparison;
import org.w4r.replay.Endpoints;
import org.w4r.replay.Main;
import org.w4r.replay.Replay;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 2020 campaign at a thousandth of its size, replayed through the packaged services' public API into a
 * campaign of its own on a platform that already holds the demo data: every per-case, per-entity, per-type and
 * global figure read back from the tally is exact, every signer country too, summing to the total; and one action
 * more is reported as a difference.
 */
class CampaignReplayIT {
    static TestPlatform platform;
    static Replay.Options options;
    static Replay.Result run;

    @BeforeAll
    static void replay() throws Exception {
        platform = TestPlatform.get();
        options = new Replay.Options(0.001, 2020, 4, 1000, Main.runId(),
                new Endpoints(platform.petitions.url(), platform.tally.url(), platform.cases.url()), platform.tokens,
                Duration.ofSeconds(60), System.out);
        run = Replay.run(options);
    }

    @Test
    void everyFigureOfTheReplayedCampaignIsExact() {
        assertEquals(0, run.exitCode());
        assertTrue(run.comparison().exact());
        assertEquals(4_497, run.expected().total);
        assertEquals(382, run.expected().withoutCase);
        // total, without case, 10 cases, every entity with an action, types and modes
        assertTrue(run.comparison().rows.size() > 2 + 10 + 55, "rows: " + run.comparison().rows.size());
        // issue 16: every signer country exact, and the countries (with the unknown) sum to the total to the unit
        assertTrue(run.expected().countries.size() > 20, "countries: " + run.expected().countries);
        assertTrue(run.comparison().rows.stream().anyMatch(r -> r.figure().equals("signer countries summed = total")
                && r.expected() == 4_497 && r.diff() == 0), "the countries sum to the total");
        // the replay never touches which campaign is current: its caseless actions name their campaign
        given().auth().oauth2(platform.tokens.get("demo-coordinator")).get(platform.tally.url() + "/api/v1/totals")
                .then().statusCode(200).body("campaignId", equalTo("w4r-demo"));
    }

    @Test
    void oneActionMoreIsReportedAsADifference() throws Exception {
        String caseId = run.caseIds().get("el-hiblu-3");
        given().auth().oauth2(platform.tokens.get("ai-france")).contentType(ContentType.JSON)
                .body("{\"caseId\":\"" + caseId + "\",\"type\":\"letter\",\"occurredAt\":\"2020-12-10T12:00:00Z\"}")
                .post(platform.petitions.url() + "/api/v1/actions").then().statusCode(202);
        Comparison off = await().atMost(Duration.ofSeconds(30))
                .until(() -> Replay.compare(options, run), c -> !c.exact());
        Map<String, Long> differences = off.rows.stream().filter(r -> r.diff() != 0)
                .collect(Collectors.toMap(Comparison.Row::figure, Comparison.Row::diff));
        assertEquals(Map.of("total", 1L, "case el-hiblu-3", 1L, "entity ai-france", 1L, "type letter", 1L,
                "mode online", 1L, "signer country unknown", 1L), differences);
    }
}

package org.w4r.tally;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.CaseChanged;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Issue 16 point 4: the figures as open data, anonymous and cacheable, matching the tally to the unit, with nothing of
 * a case on hold, switched off or in draft, and the year-over-year comparison public too.
 */
@QuarkusTest
@WithPlatformResources
class OpenDataTest {
    static final String BASE = "/public/v1/open-data/campaigns/";

    @Inject
    MeterRegistry registry;

    static ActionRecorded action(String campaign, String caseId, ActionType type, Mode mode, long count, Instant at) {
        return new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign, caseId, "ai-france", type, mode, count,
                at, at, type == ActionType.SIGNATURE ? "FR" : null);
    }

    static void publishCase(String caseId, String campaign, boolean publicCounter, CaseChanged.Hold hold) {
        TallyFixtures.publish(Topics.CASES, List.of(TallyFixtures.caseOf(caseId, campaign, 100, publicCounter, hold)));
    }

    /** Publishes a campaign opened {@code daysAgo} days ago at midnight (UTC), so actions fall on known days of it. */
    static Instant publishCampaignOpened(String campaign, int daysAgo) {
        Instant opens = Instant.now().minus(Duration.ofDays(daysAgo)).truncatedTo(ChronoUnit.DAYS);
        TallyFixtures.publishCampaign(campaign, opens);
        return opens;
    }

    /** A campaign of its own with one public case, for a test that needs nothing more of the reference data. */
    record OneCase(String campaign, String caseId, Instant opens) {
        /** Opened as by {@link OpenDataTest#publishCampaignOpened}; ids {@code <name>-<random>}, {@code <name>-case-<random>}. */
        static OneCase publish(String name, int daysAgo) {
            String s = UUID.randomUUID().toString().substring(0, 8);
            String campaign = name + "-" + s, caseId = name + "-case-" + s;
            Instant opens = publishCampaignOpened(campaign, daysAgo);
            publishCase(caseId, campaign, true, null);
            return new OneCase(campaign, caseId, opens);
        }

        /** {@code count} online signatures on the case, {@code afterOpening} the campaign opened (negative: before). */
        ActionRecorded signatures(long count, Duration afterOpening) {
            return action(campaign, caseId, ActionType.SIGNATURE, Mode.ONLINE, count, opens.plus(afterOpening));
        }

        /** Awaited: the actions reach the counts through the topic, some time after they are published. */
        void awaitOpenDataTotal(int total) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().get(BASE + campaign).then().statusCode(200).body("total", equalTo(total)));
        }
    }

    static JsonPath staff(String path) {
        return given().auth().oauth2(staffToken("coordinator")).get(path).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theFiguresOfOpenCasesArePublicExactAndCacheableAndNothingOfAHeldOne() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String campaign = "open-" + s, last = "open-last-" + s;
        Instant opens = publishCampaignOpened(campaign, 20);
        TallyFixtures.publishCampaign(last, opens.minus(Duration.ofDays(365)));
        String open = "open-a-" + s, other = "open-b-" + s, held = "held-" + s, off = "off-" + s, lastCase = "last-" + s;
        publishCase(open, campaign, true, null);
        publishCase(other, campaign, true, null);
        publishCase(held, campaign, true, new CaseChanged.Hold(9L, Instant.now()));
        publishCase(off, campaign, false, null);
        publishCase(lastCase, last, true, null);
        Instant day1 = opens.plus(Duration.ofDays(2)).plus(Duration.ofHours(10));
        Instant day2 = opens.plus(Duration.ofDays(5)).plus(Duration.ofHours(10));
        List<ActionEvent> events = new ArrayList<>(List.of(
                action(campaign, open, ActionType.SIGNATURE, Mode.ONLINE, 3, day1),
                action(campaign, open, ActionType.LETTER, Mode.OFFLINE, 2, day2),
                action(campaign, other, ActionType.SIGNATURE, Mode.ONLINE, 5, day1),
                action(campaign, held, ActionType.SIGNATURE, Mode.ONLINE, 7, day1),
                action(campaign, off, ActionType.SIGNATURE, Mode.ONLINE, 11, day2),
                action(campaign, null, ActionType.LETTER, Mode.OFFLINE, 4, day2),
                action(last, lastCase, ActionType.SIGNATURE, Mode.ONLINE, 6, opens.minus(Duration.ofDays(365)).plus(Duration.ofHours(1)))));
        events.add(new ActionCorrected(UUID.randomUUID(), UUID.randomUUID(), campaign, open, "ai-france",
                ActionType.SIGNATURE, Mode.ONLINE, -1, day2, day2, "FR"));
        TallyFixtures.publishActions(events);
        // the staff totals have it all: 3 + 2 - 1 + 5 + 7 + 11 + 4
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(31,
                staff("/api/v1/totals?campaign=" + campaign).getLong("total")));
        // last year's one action is on a partition of its own
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(6,
                staff("/api/v1/totals?campaign=" + last).getLong("total")));

        // the campaign: only its open cases, and the actions that name no case (awaited: which cases are held or
        // switched off comes with the reference data, read by another consumer than the counts)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(BASE + campaign).then().statusCode(200)
                .body("total", equalTo(13)).body("withoutCase", equalTo(4))
                .body("cases.caseId", equalTo(List.of(other, open))).body("cases.total", equalTo(List.of(5, 4)))
                .body("byType", equalTo(Map.of("signature", 7, "letter", 6)))
                .body("byMode", equalTo(Map.of("online", 7, "offline", 6)))
                .body("byCountry", equalTo(Map.of("FR", 7))).body("unknownCountry", equalTo(6))
                .body(not(containsString(held))).body(not(containsString(off))));

        // a case matches the tally to the unit, by type, mode and day
        JsonPath tally = staff("/api/v1/totals/cases/" + open + "?campaign=" + campaign);
        given().get(BASE + campaign + "/cases/" + open).then().statusCode(200)
                .body("total", equalTo(tally.getInt("total"))).body("total", equalTo(4))
                .body("byType", equalTo(tally.getMap("byType"))).body("byMode", equalTo(tally.getMap("byMode")))
                .body("name", equalTo("Name of " + open)).body("goal", equalTo(100))
                .body("byCountry", equalTo(Map.of("FR", 2))).body("unknownCountry", equalTo(2));
        JsonPath history = given().get(BASE + campaign + "/cases/" + open + "/days").then().statusCode(200)
                .body("total", equalTo(4)).extract().jsonPath();
        Map<String, Integer> days = new TreeMap<>();
        for (Map<String, Object> d : history.<Map<String, Object>>getList("days")) {
            days.put((String) d.get("day"), (Integer) d.get("count"));
        }
        Map<String, Object> tallyDays = new TreeMap<>(tally.getMap("byDay"));
        assertEquals(tallyDays, new TreeMap<>(days));
        String first = LocalDate.ofInstant(day1, ZoneOffset.UTC).toString(), second = LocalDate.ofInstant(day2, ZoneOffset.UTC).toString();
        assertEquals(Map.of(first, 3, second, 1), days);
        assertEquals(List.of(3, 4), history.getList("days.cumulative"));
        given().get(BASE + campaign + "/cases/" + open + "/days?format=csv").then().statusCode(200)
                .contentType(containsString("text/csv"))
                .body(equalTo("day,count,cumulative\n\"" + first + "\",3,3\n\"" + second + "\",1,4\n"));

        // held, switched off, unknown: the same 404, whatever the reason
        for (String absent : List.of(held, off, "no-such-case", lastCase)) {
            for (String path : List.of("", "/days")) {
                given().get(BASE + campaign + "/cases/" + absent + path).then().statusCode(404)
                        .contentType("application/problem+json").body("type", endsWith("/no-open-data"))
                        .header("Access-Control-Allow-Origin", "*");
            }
        }
        given().get(BASE + "no-such-campaign").then().statusCode(404);

        // cacheable: an ETag per content and representation, 304 on a match, public, any origin
        String etag = given().header("Origin", "https://data.example").get(BASE + campaign + "/cases/" + open + "/days")
                .then().statusCode(200).header("Cache-Control", containsString("public"))
                .header("Cache-Control", containsString("max-age=")).header("Access-Control-Allow-Origin", "*")
                .header("Vary", containsString("Accept")).header("ETag", notNullValue()).extract().header("ETag");
        given().header("If-None-Match", etag).get(BASE + campaign + "/cases/" + open + "/days").then().statusCode(304);
        assertNotEquals(etag, given().get(BASE + campaign + "/cases/" + open + "/days?format=csv").header("ETag"));
        // ... which changes with the figures
        TallyFixtures.publishActions(List.of(action(campaign, open, ActionType.SIGNATURE, Mode.ONLINE, 2, day2)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("If-None-Match", etag)
                .get(BASE + campaign + "/cases/" + open + "/days").then().statusCode(200).body("total", equalTo(6)));

        // a hold takes a case out of the open data at once, its actions out of the campaign's total too
        publishCase(open, campaign, true, new CaseChanged.Hold(10L, Instant.now()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(BASE + campaign + "/cases/" + open)
                .then().statusCode(404));
        given().get(BASE + campaign).then().statusCode(200).body("total", equalTo(9))
                .body("cases.caseId", equalTo(List.of(other)));

        // year over year, public as well
        given().get("/public/v1/open-data/compare?campaign=" + campaign + "&with=" + last).then().statusCode(200)
                .body("campaigns.campaignId", equalTo(List.of(campaign, last))).body("totals", equalTo(List.of(9, 6)))
                .body("rows.findAll { it.dimension == 'day-of-campaign' && it.key == '0' }.totals[0]", equalTo(List.of(0, 6)))
                .body("rows.findAll { it.dimension == 'day-of-campaign' && it.key == '2' }.totals[0]", equalTo(List.of(5, 0)))
                .body("rows.findAll { it.dimension == 'type' && it.key == 'signature' }.totals[0]", equalTo(List.of(5, 6)));
        given().get("/public/v1/open-data/compare?campaign=" + campaign).then().statusCode(400);
        given().get("/public/v1/open-data/campaigns").then().statusCode(200)
                .body("campaignId", hasItem(campaign)).body("campaignId", hasItem(last));
        // every path in both formats, the list of campaigns too (its ?format=csv was refused as an unknown
        // parameter until 6 December 2026)
        for (String accept : List.of("format=csv", "")) {
            var csv = given().header("Accept", accept.isEmpty() ? "text/csv" : "*/*")
                    .get("/public/v1/open-data/campaigns" + (accept.isEmpty() ? "" : "?" + accept)).then().statusCode(200)
                    .contentType(containsString("text/csv")).extract().asString();
            assertTrue(csv.startsWith("campaignId,name,opensAt,closesAt,current\n"), csv);
            assertTrue(csv.contains("\n\"" + campaign + "\","), csv);
        }
    }

    /**
     * Days before a campaign opens (actions counted ahead of the launch) are negative days of the campaign and come
     * before day 0, the furthest first. Until a read-only review (6 December 2026) the keys were zero-padded strings
     * sorted as text, so "-0003" came before "-0010": -3, -10, 2.
     */
    @Test
    void daysBeforeTheCampaignOpensComeInTheirOrder() {
        OneCase early = OneCase.publish("early", 20);
        TallyFixtures.publishActions(List.of(
                early.signatures(1, Duration.ofDays(-3).plusHours(9)),
                early.signatures(2, Duration.ofDays(-10).plusHours(9)),
                early.signatures(4, Duration.ofDays(2).plusHours(9))));
        early.awaitOpenDataTotal(7);
        String campaign = early.campaign();
        JsonPath compare = given().get("/public/v1/open-data/compare?campaign=" + campaign + "&with=" + campaign)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("-10", "-3", "2"),
                compare.getList("rows.findAll { it.dimension == 'day-of-campaign' }.key"));
        assertEquals(List.of(List.of(2, 2), List.of(1, 1), List.of(4, 4)),
                compare.getList("rows.findAll { it.dimension == 'day-of-campaign' }.totals"));
    }

    /**
     * An anonymous flood past the public caches reads a campaign's sums from the database once per fresh-for period
     * (10 s by default), not once per request: 40 requests across every open-data path, and 304s, cost at most one
     * read per period that passed (the bound is computed from the time the requests took, so a slow machine does not
     * fail it; without the cache it would be 40).
     */
    @Test
    void aFloodOfRequestsReadsTheDatabaseOncePerPeriodNotPerRequest() {
        OneCase flood = OneCase.publish("flood", 3);
        TallyFixtures.publishActions(List.of(flood.signatures(3, Duration.ofHours(30))));
        flood.awaitOpenDataTotal(3);
        String campaign = flood.campaign(), caseId = flood.caseId();

        double before = registry.get("w4r.tally.open_data.reads").counter().count();
        long started = System.nanoTime();
        String etag = given().get(BASE + campaign + "/cases/" + caseId).then().statusCode(200).extract().header("ETag");
        for (int i = 0; i < 10; i++) {
            given().get(BASE + campaign).then().statusCode(200).body("total", equalTo(3));
            given().header("If-None-Match", etag).get(BASE + campaign + "/cases/" + caseId).then().statusCode(anyOf(
                    equalTo(304), equalTo(200)));
            given().get(BASE + campaign + "/cases/" + caseId + "/days").then().statusCode(200);
            given().get("/public/v1/open-data/compare?campaign=" + campaign + "&with=" + campaign).then().statusCode(200);
        }
        long periods = 1 + Duration.ofNanos(System.nanoTime() - started).toSeconds() / 10;
        double reads = registry.get("w4r.tally.open_data.reads").counter().count() - before;
        assertTrue(reads <= periods, reads + " reads of the sums for 41 requests in " + periods + " period(s)");
    }

    /**
     * A request for a campaign that does not exist reads nothing: until a read-only review (6 December 2026) each one
     * ran the four grouped statements of its sums (and took a cache entry) before its 404, so an anonymous caller
     * inventing ids was a database load the cache did not bound. A case that does not exist in a campaign that does
     * reads the campaign's sums as a held or switched-off case does, once per fresh-for period: its 404 came at once
     * while theirs came after the statements, so the time of the answer told that a hidden case exists under an id
     * (a security review, 6 December 2026).
     */
    @Test
    void aCampaignThatDoesNotExistCostsNoReadAndAnUnknownCaseCostsWhatAHiddenOneDoes() {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String campaign = "absent-" + s;
        publishCampaignOpened(campaign, 3);
        // known here, read from the list, which reads no sums: the campaign's sums are not cached when the
        // requests for its unknown cases come
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/public/v1/open-data/campaigns")
                .then().statusCode(200).body("campaignId", org.hamcrest.Matchers.hasItem(campaign)));
        double before = registry.get("w4r.tally.open_data.reads").counter().count();
        for (int i = 0; i < 5; i++) {
            for (String path : List.of("no-such-" + s + i + "/cases/x", "no-such-" + s + i + "/cases/x/days")) {
                given().get(BASE + path).then().statusCode(404).contentType("application/problem+json");
            }
        }
        assertEquals(before, registry.get("w4r.tally.open_data.reads").counter().count(),
                "no read of the sums for a campaign that is not there");

        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            for (String path : List.of(campaign + "/cases/no-such-case-" + i, campaign + "/cases/no-such-case-" + i + "/days")) {
                given().get(BASE + path).then().statusCode(404).contentType("application/problem+json")
                        .body("type", endsWith("/no-open-data"));
            }
        }
        long periods = 1 + Duration.ofNanos(System.nanoTime() - started).toSeconds() / 10;
        double reads = registry.get("w4r.tally.open_data.reads").counter().count() - before;
        assertTrue(reads >= 1 && reads <= periods, reads + " reads of the sums for 10 requests for unknown cases in "
                + periods + " period(s): one, as for a hidden case, then the cache");
    }
}

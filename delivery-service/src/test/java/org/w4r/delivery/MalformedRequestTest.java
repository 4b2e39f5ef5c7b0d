package org.w4r.delivery;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated corpus of malformed requests over every endpoint of this service (control characters in every text
 * field, instants outside a sane window, huge and non-integral numbers, duplicate keys, trailing bytes, broken
 * UTF-8, wrong content types, bad query parameters): each is a 4xx problem+json, and nothing is stored or published.
 */
@QuarkusTest
class MalformedRequestTest extends RunningService {
    static final String JSON = "application/json";
    /** JSON-escaped: C0 (with tab, newline, CR), DEL, C1 and unpaired surrogates. */
    static final List<String> BAD_CHARACTERS = List.of("\\u0000", "\\u0001", "\\t", "\\n", "\\r", "\\u001b", "\\u001f",
            "\\u007f", "\\u0085", "\\u009f", "\\ud800", "\\udc00");
    static final List<String> BAD_INSTANTS = List.of("\"+99999-01-01T00:00:00Z\"", "\"-99999-01-01T00:00:00Z\"",
            "\"1900-01-01T00:00:00Z\"", "\"2999-12-31T23:59:59Z\"", "\"9999-12-31T23:59:59Z\"", "1e30", "1.5",
            "1700000000", "-1", "99999999999999999999999999999", "\"\"", "\"2027-01-15\"", "\"tomorrow\"", "true",
            "[]", "{}", "\"2027-01-15T10:00:00Z\\u0000\"");

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    record Bad(String method, String path, String contentType, byte[] body, int expected) {
        static Bad json(String method, String path, String body) {
            return new Bad(method, path, JSON, body.getBytes(StandardCharsets.UTF_8), 400);
        }

        @Override
        public String toString() {
            return method + " " + path + " [" + contentType + "] " + (body == null ? "" : new String(body, StandardCharsets.UTF_8));
        }
    }

    /** Every endpoint of the served document, later ones too: an undeclared or repeated parameter is a 400 (QueryGuard). */
    @Test
    void everyEndpointRefusesAQueryParameterItDoesNotDeclare() throws Exception {
        assertTrue(org.w4r.testsupport.contract.UndeclaredParameters.assertEveryOperationRefuses() >= 15, "the document's");
    }

    @Test
    void everyMalformedRequestIsA4xxProblemAndChangesNothing() throws Exception {
        String freshCase = Streams.newCase(kafka);
        String planCase = Streams.newCase(kafka);
        String planId = Streams.plan(planCase, "petition");
        List<Bad> corpus = corpus(freshCase, planCase, planId);
        assertTrue(corpus.size() >= 300, "corpus of " + corpus.size());

        List<String> failures = new ArrayList<>();
        for (Bad bad : corpus) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + bad.path()))
                    .header("Authorization", "Bearer " + DELIVERY)
                    .method(bad.method(), bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(bad.body()));
            if (bad.contentType() != null) {
                request.header("Content-Type", bad.contentType());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (response.statusCode() != bad.expected() || !type.startsWith("application/problem+json")) {
                failures.add(response.statusCode() + " " + type + " for " + bad);
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + corpus.size() + " answered wrongly");

        // nothing stored
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries?caseId=" + freshCase).then().statusCode(200)
                .body("$", empty());
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + planId).then().statusCode(200)
                .body("status", equalTo("planned")).body("handover", nullValue()).body("cancellation", nullValue());
        // nothing published (the plan's own DeliveryPlanned only), up to a marker written after the corpus
        String freshMarker = Streams.plan(freshCase, "petition");
        assertEquals(List.of(DeliveryTopic.planned(freshMarker)), DeliveryTopic.beforeMarker(kafka, freshCase, freshMarker));
        String marker = Streams.plan(planCase, "petition");
        assertEquals(List.of(DeliveryTopic.planned(planId), DeliveryTopic.planned(marker)),
                DeliveryTopic.beforeMarker(kafka, planCase, marker));
    }

    static List<Bad> corpus(String freshCase, String planCase, String planId) {
        List<Bad> corpus = new ArrayList<>();
        String plans = "/api/v1/deliveries";
        String handover = plans + "/" + planId + "/handover";
        String cancel = plans + "/" + planId + "/cancel";
        String counts = "/api/v1/cases/" + planCase + "/counts";

        // plan: every text field with every bad character, every instant form
        String plan = """
                {"caseId":"%s","kind":"petition","recipient":{"kind":"embassy","name":"Embassy of Myanmar"},
                 "place":{"city":"Valletta","country":"MT"},"entityId":"ai-malta","plannedFor":"2027-01-15T10:00:00Z"}"""
                .formatted(freshCase);
        for (String bad : BAD_CHARACTERS) {
            corpus.add(Bad.json("POST", plans, plan.replace("\"" + freshCase + "\"", "\"" + freshCase + bad + "\"")));
            corpus.add(Bad.json("POST", plans, plan.replace("\"petition\"", "\"peti" + bad + "tion\"")));
            corpus.add(Bad.json("POST", plans, plan.replace("\"embassy\"", "\"embassy" + bad + "\"")));
            corpus.add(Bad.json("POST", plans, plan.replace("Embassy of Myanmar", "Embassy" + bad + "of Myanmar")));
            corpus.add(Bad.json("POST", plans, plan.replace("Valletta", "Valle" + bad + "tta")));
            corpus.add(Bad.json("POST", plans, plan.replace("\"MT\"", "\"M" + bad + "\"")));
            corpus.add(Bad.json("POST", plans, plan.replace("\"ai-malta\"", "\"ai-malta" + bad + "\"")));
        }
        for (String instant : BAD_INSTANTS) {
            corpus.add(Bad.json("POST", plans, plan.replace("\"2027-01-15T10:00:00Z\"", instant)));
        }
        for (String number : List.of("1e30", "1.5", "-0", "99999999999999999999999999999", "true", "[]", "{}")) {
            corpus.add(Bad.json("POST", plans, plan.replace("\"Embassy of Myanmar\"", number)));
            corpus.add(Bad.json("POST", plans, plan.replace("\"" + freshCase + "\"", number)));
        }
        corpus.addAll(structure("POST", plans, plan, "\"caseId\":\"" + freshCase + "\""));

        // handover: every text field, every instant form. One instant for both fields: the bad instants below replace
        // each by its text, and two calls of Instant.now() a few hundred nanoseconds apart left the cut-off's text
        // unmatched, its "bad" copy the valid body, which was handed over (CI, 8 December 2026)
        Instant handedAt = Instant.now();
        String hand = """
                {"deliveredAt":"%s","cutoff":"%s","deliveredBy":"Team Malta","notes":"handed to the consul",
                 "evidence":["https://example.org/photo.jpg"]}""".formatted(handedAt, handedAt);
        for (String bad : BAD_CHARACTERS) {
            corpus.add(Bad.json("POST", handover, hand.replace("Team Malta", "Team" + bad + "Malta")));
            corpus.add(Bad.json("POST", handover, hand.replace("handed to the consul", "handed" + bad + "to the consul")));
            corpus.add(Bad.json("POST", handover, hand.replace("photo.jpg", "pho" + bad + "to.jpg")));
        }
        String now = "\"" + hand.replaceAll("(?s).*\"deliveredAt\":\"([^\"]+)\".*", "$1") + "\"";
        for (String instant : BAD_INSTANTS) {
            corpus.add(Bad.json("POST", handover, hand.replaceFirst(java.util.regex.Pattern.quote("\"deliveredAt\":" + now),
                    "\"deliveredAt\":" + java.util.regex.Matcher.quoteReplacement(instant))));
            corpus.add(Bad.json("POST", handover, hand.replaceFirst(java.util.regex.Pattern.quote("\"cutoff\":" + now),
                    "\"cutoff\":" + java.util.regex.Matcher.quoteReplacement(instant))));
        }
        for (String number : List.of("1e30", "1.5", "99999999999999999999999999999", "true", "{}")) {
            corpus.add(Bad.json("POST", handover, hand.replace("\"Team Malta\"", number)));
            corpus.add(Bad.json("POST", handover, hand.replace("\"handed to the consul\"", number)));
        }
        corpus.addAll(structure("POST", handover, hand, "\"deliveredBy\":\"Team Malta\""));

        // cancel: the reason, and a body that is not JSON
        String cancelBody = "{\"reason\":\"postponed\"}";
        for (String bad : BAD_CHARACTERS) {
            corpus.add(Bad.json("POST", cancel, cancelBody.replace("postponed", "post" + bad + "poned")));
        }
        for (String number : List.of("1e30", "1.5", "99999999999999999999999999999", "true", "[]", "{}")) {
            corpus.add(Bad.json("POST", cancel, cancelBody.replace("\"postponed\"", number)));
        }
        corpus.add(Bad.json("POST", cancel, "{\"reason\":\"" + "x".repeat(501) + "\"}"));
        corpus.add(Bad.json("POST", cancel, "{\"reason\":\"a\",\"reason\":\"b\"}"));
        corpus.add(Bad.json("POST", cancel, "{\"reason\":\"a\"} {}"));
        corpus.add(Bad.json("POST", cancel, "{\"reason\":"));
        corpus.add(Bad.json("POST", cancel, "[]"));
        corpus.add(new Bad("POST", cancel, JSON, "{\"reason\":\"caf\u00c3(\"}".getBytes(StandardCharsets.ISO_8859_1), 400));
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
            corpus.add(new Bad("POST", cancel, type, cancelBody.getBytes(StandardCharsets.UTF_8), 415));
        }

        // queries
        for (String bad : List.of("%00", "%01", "%0A", "%09", "%7F", "%C2%85", "x%1Fy")) {
            corpus.add(new Bad("GET", plans + "?caseId=" + planCase + bad, null, null, 400));
            corpus.add(new Bad("GET", plans + "?status=planned" + bad, null, null, 400));
            corpus.add(new Bad("GET", counts + "?entityId=ai-malta" + bad, null, null, 400));
            corpus.add(new Bad("GET", counts + "?kind=petition" + bad, null, null, 400));
            corpus.add(new Bad("GET", counts + "?until=2026-01-01T00:00:00Z" + bad, null, null, 400));
        }
        corpus.add(new Bad("GET", plans + "?caseId=" + "x".repeat(65), null, null, 400));
        corpus.add(new Bad("GET", counts + "?entityId=" + "x".repeat(65), null, null, 400));
        for (String until : List.of("%2B99999-01-01T00:00:00Z", "-99999-01-01T00:00:00Z", "1900-01-01T00:00:00Z",
                "2999-01-01T00:00:00Z", "1e30", "1.5", "-1", "1700000000", "tomorrow", "2026-01-01")) {
            corpus.add(new Bad("GET", counts + "?until=" + until, null, null, 400));
        }
        // ids that are not ids
        for (String id : List.of("not-a-uuid", "%00", UUID.randomUUID().toString())) {
            corpus.add(new Bad("GET", plans + "/" + id, null, null, 404));
            corpus.add(new Bad("GET", plans + "/" + id + "/pack", null, null, 404));
        }
        return corpus;
    }

    /** What is wrong with a body as a whole, whatever its fields: shape, duplicates, trailing bytes, bytes, type. */
    static List<Bad> structure(String method, String path, String valid, String firstField) {
        List<Bad> bad = new ArrayList<>();
        for (String body : List.of("", "null", "[]", "\"text\"", "123", "{", "{}}", valid + " {}", valid + "x",
                valid.replace(firstField, firstField + "," + firstField.replaceAll(":\".*\"", ":\"other\"")),
                valid.replace(firstField, firstField + "," + firstField), valid.replaceFirst("\\{", "{,"))) {
            bad.add(Bad.json(method, path, body));
        }
        // invalid UTF-8 inside a string
        bad.add(new Bad(method, path, JSON, valid.replace("Team Malta", "Team \u00c3( Malta")
                .replace("Embassy of Myanmar", "Embassy \u00c3( of Myanmar").getBytes(StandardCharsets.ISO_8859_1), 400));
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/octet-stream")) {
            bad.add(new Bad(method, path, type, valid.getBytes(StandardCharsets.UTF_8), 415));
        }
        bad.add(new Bad(method, path, null, valid.getBytes(StandardCharsets.UTF_8), 415));
        return bad;
    }
}

package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.contract.UndeclaredParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed requests to every write endpoint of case-service: each is a 4xx problem+json, and nothing is stored or
 * published. Bodies: broken JSON, duplicate keys, trailing data, wrong shapes, control characters in every text
 * field, instants outside [2000, 2100), huge, negative and fractional numbers, wrong content types.
 */
@QuarkusTest
class MalformedInputTest extends RunningService {
    static final List<String> CONTROL = List.of("\\u0000", "\\u0001", "\\t", "\\n", "\\r", "\\u001f", "\\u007f");
    static final List<String> BAD_INSTANTS = List.of("\"1999-12-31T23:59:59Z\"", "\"2100-01-01T00:00:00Z\"",
            "\"+1000000000-01-01T00:00:00Z\"", "\"-290000-01-01T00:00:00Z\"", "1e30", "\"tomorrow\"", "true", "{}");
    static final List<String> BAD_NUMBERS = List.of("1e30", "1.5", "\"x\"", "-1", "2000000000", "9223372036854775808",
            "[]", "{}");
    static final List<String> GENERIC = List.of("", "{", "{\"a\":1}{}", "[]", "\"x\"", "null", "{\"name\":\"a\",\"name\":\"b\"}",
            "{\"a\":1} x");

    record Call(String method, String path, String contentType, String body) {
    }

    @Test
    void everyWriteEndpointRefusesMalformedInputWithAProblemAndChangesNothing() {
        String campaign = CaseLifecycleTest.openCampaign();
        String caseId = CaseLifecycleTest.newCase(campaign);
        String entity = CredentialsTest.newEntity();
        String manager = DemoCredentials.caseManager();

        List<Call> calls = new ArrayList<>();
        String json = "application/json";
        Map<String, String> jsonEndpoints = Map.of(
                "POST /api/v1/campaigns", "{\"campaignId\":\"c-new\",\"name\":%s,\"opensAt\":%s,\"closesAt\":%s}",
                "PATCH /api/v1/campaigns/" + campaign, "{\"name\":%s,\"opensAt\":%s,\"closesAt\":%s}",
                "PUT /api/v1/campaigns/" + campaign + "/extensions/" + entity, "{\"closesAt\":%3$s}",
                "POST /api/v1/cases", "{\"caseId\":\"x-new\",\"campaignId\":\"" + campaign
                        + "\",\"name\":%1$s,\"country\":\"MM\",\"targetAuthority\":%1$s,\"goal\":%4$s}",
                "PATCH /api/v1/cases/" + caseId, "{\"name\":%1$s,\"targetAuthority\":%1$s,\"goal\":%4$s}",
                "POST /api/v1/cases/" + caseId + "/status", "{\"status\":%1$s}",
                "PUT /api/v1/cases/" + caseId + "/hold", "{\"reason\":%1$s}",
                "POST /api/v1/entities", "{\"entityId\":\"e-new\",\"name\":%1$s,\"country\":%1$s}",
                "POST /api/v1/entities/" + entity + "/keys", "{\"expiresAt\":%3$s}",
                "POST /api/v1/staff", "{\"principal\":%1$s,\"role\":\"delivery\",\"expiresAt\":%3$s}");
        String goodText = "\"ok\"", goodOpens = "\"2030-01-01T00:00:00Z\"", goodCloses = "\"2030-02-01T00:00:00Z\"";
        jsonEndpoints.forEach((endpoint, template) -> {
            String method = endpoint.split(" ")[0], path = endpoint.split(" ")[1];
            boolean hasText = template.contains("%1$s") || template.contains("%s");
            for (String c : hasText ? CONTROL : List.<String>of()) {
                for (String text : List.of("\"a" + c + "b\"", "\"" + c + "\"")) {
                    calls.add(new Call(method, path, json, template.formatted(text, goodOpens, goodCloses, "10")));
                }
            }
            if (template.contains("%3$s") || template.contains("%2$s")) {
                for (String instant : BAD_INSTANTS) {
                    if (template.contains("%s")) {
                        calls.add(new Call(method, path, json, template.formatted(goodText, instant, goodCloses, "10")));
                    }
                    calls.add(new Call(method, path, json, template.formatted(goodText, goodOpens, instant, "10")));
                }
            }
            if (template.contains("%4$s")) {
                for (String number : BAD_NUMBERS) {
                    calls.add(new Call(method, path, json, template.formatted(goodText, goodOpens, goodCloses, number)));
                }
            }
            for (String body : GENERIC) {
                if (!(path.endsWith("/keys") && body.isEmpty())) { // its body is optional (but not the JSON null)
                    calls.add(new Call(method, path, json, body));
                }
            }
            for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
                calls.add(new Call(method, path, type, template.formatted(goodText, goodOpens, goodCloses, "10")));
            }
        });
        // CSV imports: control characters in every cell, bad goals, JSON where CSV belongs
        String cases = "POST /api/v1/campaigns/" + campaign + "/cases/import";
        String entities = "POST /api/v1/entities/import";
        for (String c : List.of("\u0000", "\u0001", "\t", "\u001f", "\u007f")) {
            calls.add(call(cases, "text/csv", "case_id,name,country,iso2,estimated_actions\nx-csv,A" + c + "B,Malta,MT,10\n"));
            calls.add(call(cases, "text/csv", "case_id,name,country,iso2,estimated_actions\nx-csv,AB,Ma" + c + "lta,MT,10\n"));
            calls.add(call(cases, "text/csv", "case_id,name,country,iso2,estimated_actions\nx-csv" + c + ",AB,Malta,MT,10\n"));
            calls.add(call(cases, "text/csv", "case_id,name,country,iso2,estimated_actions\nx-csv,AB,Malta,M" + c + "T,10\n"));
            calls.add(call(cases, "text/csv", "case_id,name,country,iso2,estimated_actions\nx-csv,AB,Malta,MT,1" + c + "0\n"));
            calls.add(call(entities, "text/csv", "entity_id,name,reported_actions\ne-csv,A" + c + "B,1\n"));
            calls.add(call(entities, "text/csv", "entity_id,name,country\ne-csv,AB,F" + c + "R\n"));
        }
        for (String goal : List.of("1e30", "1.5", "x", "-1", "2000000000", "99999999999999999999")) {
            calls.add(call(cases, "text/csv", "case_id,name,country,iso2,estimated_actions\nx-csv,AB,Malta,MT," + goal + "\n"));
        }
        for (String endpoint : List.of(cases, entities)) {
            calls.add(call(endpoint, "application/json", "{\"case_id\":\"x-csv\"}"));
            calls.add(call(endpoint, "application/xml", "<x/>"));
            calls.add(call(endpoint, "text/csv", ""));
            calls.add(call(endpoint, "text/csv", "\"unterminated\n"));
        }
        // ids in paths that could never exist: a 404, not a database error
        for (String id : List.of("%00", "A%01B", "x".repeat(300), "%C3%A9")) {
            calls.add(call("PATCH /api/v1/cases/" + id, json, "{\"goal\":1}"));
            calls.add(call("PUT /api/v1/cases/" + id + "/hold", json, "{\"reason\":\"x\"}"));
            calls.add(call("DELETE /api/v1/cases/" + id + "/hold?holdId=1", null, null));
            calls.add(call("PATCH /api/v1/campaigns/" + id, json, "{\"name\":\"x\"}"));
            calls.add(call("DELETE /api/v1/campaigns/" + campaign + "/extensions/" + id, null, null));
            calls.add(call("POST /api/v1/entities/" + id + "/keys", null, null));
            calls.add(call("DELETE /api/v1/entities/" + entity + "/keys/" + id, null, null));
            calls.add(call("DELETE /api/v1/staff/" + id + "/tokens/" + id, null, null));
        }
        // a preview asked for in a way a plain boolean read as false ran the real import
        for (String flag : List.of("1", "yes", "no", "y")) {
            calls.add(call(entities + "?dryRun=" + flag, "text/csv", "entity_id,name,reported_actions\ne-csv-dry,AB,1\n"));
            calls.add(call(cases + "?dryRun=" + flag, "text/csv", "case_id,name,country,iso2,estimated_actions\nx-csv-dry,AB,Malta,MT,10\n"));
        }
        assertTrue(calls.size() >= 300, "a corpus of " + calls.size() + " requests");

        Map<String, String> before = state(campaign, caseId, entity, manager);
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CAMPAIGNS, Topics.CASES, Topics.ENTITIES, Topics.CREDENTIALS);
        List<String> failures = new ArrayList<>();
        for (Call call : calls) {
            var request = given().auth().oauth2(manager).urlEncodingEnabled(false);
            if (call.contentType() != null) {
                request = request.contentType(call.contentType() + "; charset=UTF-8").body(call.body());
            }
            Response r = request.request(call.method(), call.path());
            int status = r.statusCode();
            String type = r.contentType();
            if (status < 400 || status >= 500 || !type.startsWith("application/problem+json")) {
                failures.add("\n" + call.method() + " " + call.path() + " [" + call.contentType() + "] " + call.body()
                        + " -> " + status + " " + type + " " + r.asString().substring(0, Math.min(200, r.asString().length())));
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + calls.size() + " malformed requests not refused");
        assertEquals(before, state(campaign, caseId, entity, manager), "nothing changed");
        // nothing published: one accepted write per topic after the corpus is the marker; only the markers follow
        String markerCampaign = CaseLifecycleTest.openCampaign();
        String markerCase = CaseLifecycleTest.newCase(markerCampaign);
        String markerEntity = CredentialsTest.newEntity();
        String markerKey = given().auth().oauth2(manager).post("/api/v1/entities/" + markerEntity + "/keys").then()
                .statusCode(201).extract().path("keyId");
        mark.publishedOnly(Map.of(Topics.CAMPAIGNS, markerCampaign, Topics.CASES, markerCase,
                Topics.ENTITIES, markerEntity, Topics.CREDENTIALS, markerKey));
    }

    /**
     * Every endpoint the served document lists, those added later too: a query parameter it does not declare, or a
     * declared one given twice, is a 400 naming it (the kit's QueryGuard), never read as something else or passed to a
     * cache as a new URL. Tried with every demo credential until one gets past the endpoint's roles.
     */
    @Test
    void everyEndpointRefusesAQueryParameterItDoesNotDeclare() throws Exception {
        int sent = UndeclaredParameters.assertEveryOperationRefuses(
                java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port),
                DemoCredentials.all());
        assertTrue(sent >= 30, "only " + sent + " requests: is the document served?");
    }

    /**
     * Anonymous: a query string that cannot be decoded is the caller's mistake on every path, and a refused request to
     * a made-up path never becomes a metric's series.
     */
    @Test
    void anUndecodableQueryIsA400AndAMadeUpPathNoSeries() throws Exception {
        // sent as raw bytes: neither java.net.URI nor REST Assured will build such a request. The HTTP server's
        // request decoder refuses it before any of our code, or any route, runs: a bare 400 and a closed connection
        // (a router failure handler never saw it, 4 December 2026; Vert.x's invalid-request handler is on the server,
        // which Quarkus does not let an application set). An audit read a path to a 500 in the kit's query filter;
        // this pins that no such request reaches it
        for (String query : List.of("?x=%", "?x=%zz", "?%=1")) {
            for (String target : List.of("/public/v1/cases" + query, "/api/v1/cases" + query)) {
                String head = rawGet(target);
                assertTrue(head.startsWith("HTTP/1.1 400"), target + ": " + head);
            }
        }
        String path = "/zz-made-up-" + java.util.UUID.randomUUID();
        // a body without a Content-Type: refused by the kit before any route is matched
        int status = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        assertEquals(415, status, "refused before routing");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("http_server_requests_seconds_count"), "the series exist");
        assertTrue(!metrics.contains(path), "no series for a caller's made-up path");
    }

    /** The status line and headers of a GET of {@code target} written byte for byte. */
    private static String rawGet(String target) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            return end < 0 ? answer : answer.substring(0, end);
        }
    }

    private static Call call(String endpoint, String contentType, String body) {
        String[] parts = endpoint.split(" ", 2);
        return new Call(parts[0], parts[1], contentType, body);
    }

    private static Map<String, String> state(String campaign, String caseId, String entity, String token) {
        Map<String, String> state = new TreeMap<>();
        for (String path : List.of("/api/v1/campaigns", "/api/v1/cases", "/api/v1/cases/" + caseId + "/holds",
                "/api/v1/entities", "/api/v1/entities/" + entity + "/keys", "/api/v1/staff")) {
            state.put(path, given().auth().oauth2(token).get(path).then().statusCode(200).extract().asString());
        }
        return state;
    }
}

package org.w4r.tally;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.WithPlatformResources;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Every tally endpoint, with every kind of malformed id or parameter: a 400 problem+json, never a 5xx (a NUL in an id
 * once reached PostgreSQL and answered 500), never a silently ignored filter. Requests are sent raw (java.net.http),
 * so the bytes are exactly the ones listed.
 */
@QuarkusTest
@WithPlatformResources
class MalformedQueryTest {
    @TestHTTPResource("/")
    URL root;

    /** Endpoints as method and path; {ID} is where a path id goes. */
    static final List<String[]> ENDPOINTS = List.of(
            new String[]{"GET", "/api/v1/totals"},
            new String[]{"GET", "/api/v1/totals/cases/{ID}"},
            new String[]{"GET", "/api/v1/totals/entities/{ID}"},
            new String[]{"GET", "/api/v1/totals/matrix"},
            new String[]{"GET", "/api/v1/totals/days"},
            new String[]{"GET", "/api/v1/totals/compare"},
            new String[]{"GET", "/api/v1/totals/report/cases"},
            new String[]{"GET", "/api/v1/totals/report/entities"},
            new String[]{"GET", "/api/v1/totals/countries"},
            new String[]{"GET", "/api/v1/totals/entity-countries"},
            new String[]{"GET", "/api/v1/totals/stream"},
            new String[]{"POST", "/api/v1/totals/stream-tickets"},
            new String[]{"POST", "/api/v1/tally/reconcile"},
            new String[]{"GET", "/api/v1/me"},
            new String[]{"GET", "/api/v1/dashboard/cases"},
            new String[]{"GET", "/api/v1/dashboard/campaigns"},
            new String[]{"GET", "/api/v1/dashboard/cases/{ID}/handovers"},
            new String[]{"GET", "/api/v1/entities/{ID}/webhooks"},
            new String[]{"GET", "/public/v1/cases/{ID}/counter"});

    /** Query strings no endpoint may accept (already percent-encoded, as they go on the wire). */
    static final List<String> BAD_QUERIES = List.of(
            "campaign=%00",
            "campaign=w4r%0Ademo",
            "campaign=%1B%5B31m",
            "campaign=" + "x".repeat(65),
            "campaign=",
            "campaign=%20%20",
            "campaign=a&campaign=b",
            "campaign=%ED%A0%80",
            "campaign=%C3%28",
            "campaign=%EF%BB%BFw4r",
            "caseId=%00",
            "entityId=ai-france%7F",
            "with=%09",
            "format=json%00",
            "format=json&format=csv",
            "until=99999-01-01T00:00:00Z",
            "from=1900-01-01",
            "limit=1e400",
            "limit=1.5",
            "limit=99999999999999999999999",
            "access_token=" + "x".repeat(600),
            "ticket=" + "x".repeat(600) + "%00");

    /** Path ids no endpoint may accept. */
    static final List<String> BAD_IDS = List.of(
            "%00", "a%0Ab", "a%09b", "%7F", "%1F", "x".repeat(65), "%C3%28", "%ED%A0%80", "%20");

    @Test
    void everyMalformedQueryIsA400ProblemOnEveryEndpoint() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (String[] endpoint : ENDPOINTS) {
            String path = endpoint[1].replace("{ID}", "el-hiblu-3");
            for (String query : BAD_QUERIES) {
                sent++;
                check(client, endpoint[0], path + "?" + query, failures);
            }
            if (endpoint[1].contains("{ID}")) {
                for (String id : BAD_IDS) {
                    sent++;
                    check(client, endpoint[0], endpoint[1].replace("{ID}", id), failures);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " malformed requests not refused:\n"
                + String.join("\n", failures));
        assertTrue(sent >= 300, "only " + sent + " requests");
    }

    @jakarta.inject.Inject
    org.w4r.kit.reference.AfterLoad afterLoad;

    /** Every public answer waits for the case list at start-up (the gate itself: the kit's AfterLoadTest). */
    @Test
    void everyPublicAnswerWaitsForTheCaseListAtStartUp() {
        assertEquals(List.of("/public/"), afterLoad.prefixes());
    }

    /** Every endpoint of the served document, later ones too: an undeclared or repeated parameter is a 400 (QueryGuard). */
    @Test
    void everyEndpointRefusesAQueryParameterItDoesNotDeclare() throws Exception {
        assertTrue(org.w4r.testsupport.contract.UndeclaredParameters.assertEveryOperationRefuses() >= 20, "the document's");
    }

    @Test
    void wellFormedQueriesStillWork() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String query : List.of("/api/v1/totals?format=json", "/api/v1/totals/days?caseId=el-hiblu-3&entityId=ai-france",
                "/api/v1/totals?campaign=test-campaign", "/api/v1/totals/matrix?format=csv")) {
            HttpResponse<String> response = send(client, "GET", query);
            assertEquals(200, response.statusCode(), query + ": " + response.body());
        }
    }

    private void check(HttpClient client, String method, String pathAndQuery, List<String> failures) throws Exception {
        // headers only: a stream that wrongly opens must fail the test, not hang it
        HttpResponse<InputStream> response = client.send(request(method, pathAndQuery),
                HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() != 400 || !type.startsWith("application/problem+json")) {
            failures.add(method + " " + pathAndQuery + " -> " + response.statusCode() + " " + type);
        }
    }

    private HttpResponse<String> send(HttpClient client, String method, String pathAndQuery) throws Exception {
        return client.send(request(method, pathAndQuery), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String pathAndQuery) {
        URI uri = URI.create(root.toString().replaceAll("/$", "") + pathAndQuery);
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + staffToken("coordinator"))
                .header("Accept", "*/*").method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
}

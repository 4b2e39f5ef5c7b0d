package org.w4r.it;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks the whole authorization matrix of docs/security.md against the four packaged services: every endpoint for
 * an entity key on its own entity, another entity's key, each staff role and no credential. The table is read from
 * the document itself, so the document cannot say one thing while the services do another, and it must list
 * exactly the operations each service's OpenAPI document declares: an endpoint added without a row fails here.
 *
 * <p>Ids in paths name nothing that exists ("matrix-absent-..."), except the entity (ai-france, whose key is the
 * "own entity" column; another demo entity's key is the "other entity"), an offline count taken through ai-france and
 * a webhook of ai-france's registered for each cell that names one: so an
 * authorised request changes nothing that other tests rely on, and its answer (400, 404, 409...) shows only that
 * it got past authorisation.
 */
class AuthorizationMatrixIT {
    static final List<String> COLUMNS = List.of("own entity", "other entity", "coordinator", "case-manager",
            "delivery", "moderator", "anonymous");

    record Row(String service, String method, String path, Map<String, String> expected) {
        @Override
        public String toString() {
            return service + " " + method + " " + path;
        }
    }

    static TestPlatform platform;
    static String offlineCountId;

    @BeforeAll
    static void platform() throws Exception {
        platform = TestPlatform.get();
        offlineCountId = given().auth().oauth2(platform.tokens.get("ai-france")).contentType(ContentType.JSON)
                .body("""
                        {"caseId":"el-hiblu-3","type":"letter","count":3,"event":{"name":"Matrix","date":"%s","place":"Lyon"}}"""
                        .formatted(LocalDate.now()))
                .post(platform.petitions.url() + "/api/v1/offline-counts").then().statusCode(202)
                .extract().path("results[0].actionId");
    }

    static List<Row> matrix() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(TestPlatform.ROOT.resolve("docs/security.md"))) {
            String[] cells = line.split("\\|");
            if (cells.length < 11 || !Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS").contains(cells[2].trim())) {
                continue;
            }
            Map<String, String> expected = new LinkedHashMap<>();
            for (int i = 0; i < COLUMNS.size(); i++) {
                expected.put(COLUMNS.get(i), cells[4 + i].trim());
            }
            rows.add(new Row(cells[1].trim(), cells[2].trim(), cells[3].trim(), expected));
        }
        return rows;
    }

    ServiceProcess service(String name) {
        return switch (name) {
            case "case" -> platform.cases;
            case "petition" -> platform.petitions;
            case "tally" -> platform.tally;
            case "delivery" -> platform.delivery;
            default -> throw new IllegalArgumentException("unknown service in docs/security.md: " + name);
        };
    }

    @Test
    void theMatrixListsExactlyTheOperationsEachServiceDeclares() throws IOException {
        List<Row> rows = matrix();
        assertTrue(rows.size() > 50, "the matrix is read from docs/security.md: " + rows.size() + " rows");
        for (String name : List.of("case", "petition", "tally", "delivery")) {
            Set<String> declared = new TreeSet<>();
            Map<String, Map<String, Object>> paths = given().get(service(name).url() + "/q/openapi?format=json")
                    .then().statusCode(200).extract().path("paths");
            paths.forEach((path, operations) -> operations.keySet().stream()
                    .filter(m -> Set.of("get", "post", "put", "patch", "delete", "options").contains(m))
                    .forEach(m -> declared.add(m.toUpperCase() + " " + path)));
            Set<String> documented = new TreeSet<>();
            rows.stream().filter(r -> r.service().equals(name)).forEach(r -> documented.add(r.method() + " " + r.path()));
            assertEquals(declared, documented, name + "-service: docs/security.md must list exactly its operations");
        }
    }

    @Test
    void everyCellOfTheMatrixHolds() throws IOException {
        List<String> failures = new ArrayList<>();
        int walked = 0;
        for (Row row : matrix()) {
            for (String column : COLUMNS) {
                String expected = row.expected().get(column);
                String webhook = row.path().contains("/webhooks/{id}") ? registerWebhook() : null;
                Answer answer;
                try {
                    answer = row.path().endsWith("/stream") ? open(row, column) : Answer.of(send(row, column, webhook));
                } finally {
                    if (webhook != null) {
                        deleteWebhook(webhook);
                    }
                }
                walked++;
                int status = answer.status();
                boolean ok = switch (expected) {
                    case "allow" -> status != 401 && status != 403 && status < 500;
                    case "401", "403", "404" -> status == Integer.parseInt(expected);
                    default -> throw new IllegalStateException("unknown cell '" + expected + "' in " + row);
                };
                if (ok && status >= 400 && status != 405 && !answer.contentType().startsWith("application/problem+json")
                        && !"OPTIONS".equals(row.method())) {
                    failures.add(row + " as " + column + ": " + status + " is not problem+json (" + answer.contentType() + ")");
                } else if (!ok) {
                    failures.add(row + " as " + column + ": expected " + expected + ", got " + status);
                }
            }
        }
        assertTrue(walked > 350, "walked " + walked + " cells");
        assertTrue(failures.isEmpty(), failures.size() + " cells do not hold:\n" + String.join("\n", failures));
    }

    record Answer(int status, String contentType) {
        static Answer of(Response response) {
            return new Answer(response.statusCode(), response.contentType());
        }
    }

    private static String token(String column) {
        return switch (column) {
            case "own entity" -> platform.tokens.get("ai-france");
            case "other entity" -> platform.tokens.get(otherEntity());
            case "anonymous" -> null;
            default -> platform.tokens.get("demo-" + column);
        };
    }

    /** A Server-Sent Events stream that opens never ends: its status and type are read from the headers, then it is closed. */
    private Answer open(Row row, String column) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(service(row.service()).url() + concrete(row.path()))).header("Accept", "text/event-stream");
        String token = token(column);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            java.net.http.HttpResponse<java.io.InputStream> response = java.net.http.HttpClient.newHttpClient()
                    .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A webhook of ai-france's, for the rows that name one: with an id that exists nowhere, "another entity gets 404"
     * held whatever the ownership check did (found by a read-only review, 6 December 2026). One per cell, deleted
     * after it, so the own entity's DELETE finds its own and no other cell meets a webhook already gone. The
     * receiver is a public address literal, as the production checks require; it lives for one request.
     */
    private static String registerWebhook() {
        return given().auth().oauth2(platform.tokens.get("ai-france")).contentType(ContentType.JSON)
                .body(Map.of("url", "https://93.184.215.14/w4r-matrix-" + UUID.randomUUID(),
                        "events", List.of("milestone.reached")))
                .post(platform.tally.url() + "/api/v1/webhooks").then().statusCode(201).extract().path("id");
    }

    private static void deleteWebhook(String id) {
        int status = given().auth().oauth2(platform.tokens.get("ai-france"))
                .delete(platform.tally.url() + "/api/v1/webhooks/" + id).statusCode();
        assertTrue(status == 204 || status == 404, "deleting the matrix's webhook " + id + ": " + status);
    }

    private Response send(Row row, String column, String webhook) {
        RequestSpecification request = given().redirects().follow(false);
        String token = token(column);
        if (token != null) {
            request.auth().oauth2(token);
        }
        if (Set.of("POST", "PUT", "PATCH").contains(row.method())) {
            if (row.path().endsWith("/import")) {
                request.contentType("text/csv").body("id\n");
            } else if (row.path().endsWith("/corrections")) {
                // a well-formed correction, so another entity's key meets the ownership check, not the body's
                request.contentType(ContentType.JSON).body("{\"delta\":-1,\"reason\":\"matrix\"}");
            } else {
                request.contentType(ContentType.JSON).body("{}");
            }
        }
        if ("OPTIONS".equals(row.method())) {
            request.header("Origin", "https://entity.example.org").header("Access-Control-Request-Method", "GET");
        }
        // delivery reads approved messages of one case: what the role may ask, asked of a case that does not exist
        String query = row.path().equals("/api/v1/messages") && "GET".equals(row.method())
                ? "?status=approved&caseId=matrix-absent-case" : "";
        String path = webhook == null ? concrete(row.path()) : concrete(row.path().replace("{id}", webhook));
        return request.request(row.method(), service(row.service()).url() + path + query);
    }

    /** Another demo entity's key (not ai-iceland, whose keys other tests rotate and revoke). */
    private static String otherEntity() {
        return platform.tokens.keySet().stream()
                .filter(p -> !p.startsWith("demo-") && !p.equals("ai-france") && !p.equals("ai-iceland"))
                .sorted().findFirst().orElseThrow(() -> new AssertionError("no second demo entity key"));
    }

    private static String concrete(String path) {
        String id = path.startsWith("/api/v1/offline-counts/") ? offlineCountId : UUID.randomUUID().toString();
        return path.replace("{entityId}", "ai-france")
                .replace("{campaignId}", "matrix-absent-campaign")
                .replace("{caseId}", "matrix-absent-case")
                .replace("{keyId}", "key_matrixabsent")
                .replace("{principal}", "matrix-absent")
                .replace("{deliveryId}", UUID.randomUUID().toString())
                .replace("{id}", id);
    }
}

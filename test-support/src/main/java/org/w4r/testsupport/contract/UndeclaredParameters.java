package org.w4r.testsupport.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import org.w4r.testsupport.ReferenceFixtures;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks every operation the application under test documents at {@code /q/openapi}, under {@code /api/} and
 * {@code /public/}, and sends each a query parameter it does not declare and each one it declares twice: each must
 * be refused with the kit's {@code QueryGuard} problem naming the parameter, so an endpoint added later is walked
 * too; and each declared one alone, which the guard must let through (what follows may refuse its value). A credential the operation refuses (401, 403) is passed over for the next; one that none of them gets
 * past is a failure, so no operation is skipped silently.
 */
public final class UndeclaredParameters {
    static final String UNDECLARED = "w4r-undeclared";
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final ObjectMapper JSON = new ObjectMapper();

    private UndeclaredParameters() {
    }

    /**
     * @param root    the application's root URL
     * @param bearers credentials to try in order on a secured operation (a staff token of each role, an entity key)
     * @return how many requests were sent
     */
    public static int assertEveryOperationRefuses(URI root, List<String> bearers) throws Exception {
        JsonNode paths = JSON.readTree(ServedDocument.fetch(root)).path("paths");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            if (!path.getKey().startsWith("/api/") && !path.getKey().startsWith("/public/")) {
                continue;
            }
            String concrete = path.getKey().replaceAll("\\{[^}]+}", "w4r-walk");
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String method = op.getKey().toUpperCase();
                sent++;
                check(client, root, method, concrete + "?" + UNDECLARED + "=1", bearers, "\"field\":\"" + UNDECLARED + "\"",
                        failures);
                for (String declared : queryParameters(op.getValue(), path.getValue())) {
                    sent += 2;
                    check(client, root, method, concrete + "?" + declared + "=a&" + declared + "=b", bearers,
                            "given more than once", failures);
                    passes(client, root, method, concrete + "?" + declared + "=a", bearers, failures);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " requests not refused as they should be:\n"
                + String.join("\n", failures));
        return sent;
    }

    /**
     * As {@link #assertEveryOperationRefuses(URI, List)}, on the application REST Assured talks to, with the fixtures'
     * credentials: each staff role's token and an entity's key ({@link ReferenceFixtures}).
     */
    public static int assertEveryOperationRefuses() throws Exception {
        List<String> bearers = new ArrayList<>(ReferenceFixtures.STAFF_ROLES.stream().map(ReferenceFixtures::staffToken).toList());
        bearers.add(ReferenceFixtures.entityKey("ai-france"));
        return assertEveryOperationRefuses(URI.create(RestAssured.baseURI + ":" + RestAssured.port), bearers);
    }

    private static List<String> queryParameters(JsonNode operation, JsonNode pathItem) {
        List<String> names = new ArrayList<>();
        for (JsonNode parameters : List.of(operation.path("parameters"), pathItem.path("parameters"))) {
            for (JsonNode parameter : parameters) {
                if ("query".equals(parameter.path("in").asText())) {
                    names.add(parameter.path("name").asText());
                }
            }
        }
        return names;
    }

    /** A declared parameter, once: whatever the answer, not the guard's "unknown parameter". */
    private static void passes(HttpClient client, URI root, String method, String pathAndQuery, List<String> bearers,
                               List<String> failures) throws Exception {
        for (String bearer : credentials(pathAndQuery, bearers)) {
            HttpResponse<InputStream> response = send(client, root, method, pathAndQuery, bearer);
            String body = response.statusCode() == 400 ? read(response.body()) : "";
            response.body().close();
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                continue;
            }
            if (body.contains("unknown parameter")) {
                failures.add(method + " " + pathAndQuery + " -> refused as undeclared: " + body);
            }
            return;
        }
    }

    private static void check(HttpClient client, URI root, String method, String pathAndQuery, List<String> bearers,
                              String expected, List<String> failures) throws Exception {
        String last = "no credential tried";
        for (String bearer : credentials(pathAndQuery, bearers)) {
            HttpResponse<InputStream> response = send(client, root, method, pathAndQuery, bearer);
            int status = response.statusCode();
            String body = status == 400 ? read(response.body()) : "";
            response.body().close();
            if (status == 401 || status == 403) {
                last = status + " with every credential";
                continue;
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (status == 400 && type.startsWith("application/problem+json") && body.contains(expected)) {
                return;
            }
            last = status + " " + type + " " + body;
            break;
        }
        failures.add(method + " " + pathAndQuery + " -> " + last);
    }

    /** None on a public path; each in turn elsewhere, until one gets past the endpoint's roles. */
    private static List<String> credentials(String pathAndQuery, List<String> bearers) {
        return pathAndQuery.startsWith("/public/") ? List.of("") : bearers;
    }

    /** Headers first: an answer that wrongly opens a stream must fail the walk, not hang it. */
    private static HttpResponse<InputStream> send(HttpClient client, URI root, String method, String pathAndQuery,
                                                  String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).header("Accept", "*/*")
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (!bearer.isEmpty()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static String read(InputStream body) throws IOException {
        return new String(body.readNBytes(4096), StandardCharsets.UTF_8);
    }
}

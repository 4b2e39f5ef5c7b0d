package org.w4r.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.client.petition.ApiClient;
import org.w4r.client.petition.ApiException;
import org.w4r.client.petition.ApiResponse;
import org.w4r.client.petition.api.ActionResourceApi;
import org.w4r.client.petition.api.OfflineCountResourceApi;
import org.w4r.client.petition.api.SignatureResourceApi;
import org.w4r.client.petition.model.ActionRequest;
import org.w4r.client.petition.model.BatchRequest;
import org.w4r.client.petition.model.CorrectionRequest;
import org.w4r.client.petition.model.OfflineEvent;
import org.w4r.client.petition.model.BatchItem;
import org.w4r.client.petition.model.OfflineCountRequest;
import org.w4r.client.petition.model.Problem;
import org.w4r.client.petition.model.SignatureRequest;
import org.w4r.client.petition.model.Signer;
import org.w4r.client.tally.api.TotalsResourceApi;
import org.w4r.client.tally.model.EntityDetail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An entity's integration written only with the Java clients api-client generates from the services' documents
 * (no hand-written HTTP), against the packaged services of {@link TestPlatform}: if the documents lied about a status,
 * a field or a type, these calls would fail as they would for an entity's developer. And the documents those clients
 * come from are the ones the running services serve.
 */
class GeneratedClientIT {
    /** The entity this test posts for: one no other end-to-end test posts for, so its totals are exactly these. */
    static final String ENTITY = "ai-new-zealand";
    static final ObjectMapper JSON = new ObjectMapper();
    static TestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatform.get();
    }

    @Test
    void theDocumentStoredAtBuildTimeIsTheOneEachServiceServes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (ServiceProcess service : List.of(platform.cases, platform.petitions, platform.tally, platform.delivery)) {
            Path stored = TestPlatform.ROOT.resolve(service.name).resolve("target/openapi/openapi.json");
            HttpResponse<String> served = http.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/openapi?format=json"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, served.statusCode(), service.name);
            assertEquals("", difference(JSON.readTree(Files.readString(stored)), JSON.readTree(served.body()), "$"),
                    service.name + ": " + stored + " differs from what /q/openapi serves");
        }
    }

    @Test
    void anEntityPostsAndReadsItsTotalsWithTheGeneratedClients() throws Exception {
        ApiClient petition = petitionClient(platform.tokens.get(ENTITY));
        SignatureResourceApi signatures = new SignatureResourceApi(petition);
        ActionResourceApi actions = new ActionResourceApi(petition);
        OfflineCountResourceApi offlineCounts = new OfflineCountResourceApi(petition);

        SignatureRequest signature = new SignatureRequest().caseIds(List.of("nassima-al-sada"))
                .signer(new Signer().name("Kate Sheppard").email("kate.sheppard." + UUID.randomUUID() + "@example.org")
                        .country("NZ"));
        String signatureKey = "generated-client-" + UUID.randomUUID();
        assertEquals(202, signatures.signWithHttpInfo(signature, signatureKey).getStatusCode());
        // the retry rule of the quick start, through the client: the same key is answered from the store, not counted
        ApiResponse<org.w4r.client.petition.model.ActionResults> retried = signatures.signWithHttpInfo(signature, signatureKey);
        assertEquals(202, retried.getStatusCode());
        assertEquals(List.of("true"), retried.getHeaders().get("Idempotent-Replayed"));

        BatchRequest batch = new BatchRequest().items(List.of(
                new BatchItem().id("row-1").kind("action").body(JSON.readTree("{\"caseId\":\"el-hiblu-3\",\"type\":\"postcard\"}")),
                new BatchItem().id("row-2").kind("action").body(JSON.readTree("{\"caseId\":\"el-hiblu-3\",\"type\":\"postcard\"}"))));
        JsonNode batchAnswer = JSON.valueToTree(actions.submitBatch(batch, "generated-client-" + UUID.randomUUID()));
        assertEquals(2, batchAnswer.path("accepted").asInt(), batchAnswer.toString());

        OfflineCountRequest marathon = new OfflineCountRequest().caseId("el-hiblu-3").type(OfflineCountRequest.TypeEnum.LETTER).count(300L)
                .event(new OfflineEvent().name("Library letter-writing evening").date(LocalDate.now(ZoneOffset.UTC)).place("Wellington"));
        JsonNode counted = JSON.valueToTree(offlineCounts.reportOfflineCount(marathon, "generated-client-" + UUID.randomUUID()));
        UUID offlineCountId = UUID.fromString(counted.path("results").path(0).path("actionId").asText());
        JsonNode corrected = JSON.valueToTree(offlineCounts.correctOfflineCount(offlineCountId,
                new CorrectionRequest().delta(-20L).reason("one table counted twice"), "generated-client-" + UUID.randomUUID()));
        assertEquals(280, corrected.path("net").asInt(), corrected.toString());
        assertEquals(280L, offlineCounts.getOfflineCount(offlineCountId).getNet().longValue());

        TotalsResourceApi totals = new TotalsResourceApi(tallyClient(platform.tokens.get("demo-coordinator")));
        EntityDetail shown = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> totals.entityTotals(ENTITY, null, null), detail -> detail.getTotal() == 283L);
        assertEquals(Map.of("nassima-al-sada", 1L, "el-hiblu-3", 282L), shown.getByCase());
        assertEquals(Map.of("signature", 1L, "postcard", 2L, "letter", 280L), shown.getByType());
    }

    @Test
    void aRefusalIsTheGeneratedApiExceptionWithItsProblem() throws Exception {
        ApiClient petition = petitionClient(platform.tokens.get(ENTITY));
        SignatureRequest wrongCountry = new SignatureRequest().caseIds(List.of("nassima-al-sada"))
                .signer(new Signer().name("Ada").email("ada@example.org").country("New Zealand"));
        ApiException refused = assertThrows(ApiException.class,
                () -> new SignatureResourceApi(petition).sign(wrongCountry, null));
        assertEquals(400, refused.getCode());
        assertTrue(refused.getResponseHeaders().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                refused.getResponseHeaders().toString());
        Problem problem = petition.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertEquals(URI.create("https://w4r.example.org/problems/invalid-field"), problem.getType());
        assertEquals(400, problem.getStatus().intValue());
        assertEquals("signer.country", problem.getField());
    }

    /** Where two documents first differ, and how ("" when they are the same): a whole document is too long to read. */
    static String difference(JsonNode stored, JsonNode served, String path) {
        if (stored.isObject() && served.isObject()) {
            for (String name : union(stored.fieldNames(), served.fieldNames())) {
                String found = difference(stored.path(name), served.path(name), path + "." + name);
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return "";
        }
        if (stored.isArray() && served.isArray() && stored.size() == served.size()) {
            for (int i = 0; i < stored.size(); i++) {
                String found = difference(stored.get(i), served.get(i), path + "[" + i + "]");
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return "";
        }
        return stored.equals(served) ? "" : path + ": stored " + stored + ", served " + served;
    }

    private static java.util.Set<String> union(java.util.Iterator<String> a, java.util.Iterator<String> b) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        a.forEachRemaining(names::add);
        b.forEachRemaining(names::add);
        return names;
    }

    /** How the generated native client sends a key: it has no auth of its own, every request passes the interceptor. */
    static ApiClient petitionClient(String key) {
        assertNotNull(key, "no demo key");
        ApiClient client = new ApiClient();
        client.updateBaseUri(platform.petitions.url());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return client;
    }

    static org.w4r.client.tally.ApiClient tallyClient(String token) {
        assertNotNull(token, "no demo token");
        org.w4r.client.tally.ApiClient client = new org.w4r.client.tally.ApiClient();
        client.updateBaseUri(platform.tally.url());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }
}

package org.w4r.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated corpus of malformed requests across every write endpoint and the query parameters of every service,
 * against the packaged services: each valid body is mutated one field at a time (control characters, a broken
 * surrogate, an oversized text, far instants, huge, fractional or mistyped numbers), and as a whole (a key given
 * twice, trailing bytes, truncated JSON, a wrong content type, an array for an object). Every answer must be a 4xx
 * problem+json; afterwards nothing was published on any topic, and the marker name carried by every request is in
 * no service's log (PostgreSQL's error text once carried a signer's name into it).
 */
class MalformedRequestsIT {
    static final String MARKER = "Zyxwv Quorra";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Everything outside ASCII escaped, so a broken surrogate travels as one (raw, UTF-8 would turn it into '?'). */
    static final com.fasterxml.jackson.databind.ObjectWriter ESCAPED = JSON.writer()
            .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);
    /** A campaign and a case of this run's own, so a request that should have been refused changes no demo data. */
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String CAMPAIGN = "corpus-" + RUN;
    static final String CASE = "corpus-" + RUN + "-case";

    record Endpoint(String service, String method, String path, String credential, String validBody) {
    }

    record Attempt(Endpoint endpoint, String what, String contentType, String body) {
    }

    static TestPlatform platform;

    @BeforeAll
    static void platform() throws Exception {
        platform = TestPlatform.get();
        String manager = platform.tokens.get("demo-case-manager");
        java.time.Instant now = java.time.Instant.now();
        given().auth().oauth2(manager).contentType("application/json").body("""
                {"campaignId":"%s","name":"Corpus campaign","opensAt":"%s","closesAt":"%s"}"""
                .formatted(CAMPAIGN, now.minus(java.time.Duration.ofDays(1)), now.plus(java.time.Duration.ofDays(30))))
                .post(platform.cases.url() + "/api/v1/campaigns").then().statusCode(201);
        given().auth().oauth2(manager).contentType("application/json").body("""
                {"caseId":"%s","campaignId":"%s","name":"Corpus case","country":"FR","scope":"global","goal":10}"""
                .formatted(CASE, CAMPAIGN))
                .post(platform.cases.url() + "/api/v1/cases").then().statusCode(201);
    }

    static List<Endpoint> endpoints() {
        String nowish = "2026-12-10T10:00:00Z";
        String signature = """
                {"caseIds":["el-hiblu-3"],"signer":{"name":"%s","email":"zyxwv.quorra@example.org","country":"FR"},
                 "consent":{"showName":true,"contact":false}}""".formatted(MARKER);
        return List.of(
                new Endpoint("petition", "POST", "/api/v1/signatures", "ai-france", signature),
                new Endpoint("petition", "POST", "/api/v1/actions", "ai-france",
                        "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\",\"occurredAt\":\"" + nowish + "\"}"),
                new Endpoint("petition", "POST", "/api/v1/messages", "ai-france", """
                        {"caseId":"el-hiblu-3","author":{"name":"%s","country":"FR"},"text":"Stay strong","language":"fr"}"""
                        .formatted(MARKER)),
                new Endpoint("petition", "POST", "/api/v1/offline-counts", "ai-france", """
                        {"caseId":"el-hiblu-3","type":"letter","count":12,"event":{"name":"%s school","date":"2026-12-01","place":"Lyon"}}"""
                        .formatted(MARKER)),
                new Endpoint("petition", "POST", "/api/v1/batches", "ai-france",
                        "{\"items\":[{\"id\":\"1\",\"kind\":\"signature\",\"body\":" + signature + "}]}"),
                new Endpoint("petition", "POST", "/api/v1/erasures", "ai-france", "{\"email\":\"zyxwv.quorra@example.org\"}"),
                new Endpoint("petition", "POST", "/api/v1/messages/" + UUID.randomUUID() + "/decision", "demo-moderator",
                        "{\"decision\":\"reject\",\"reason\":\"" + MARKER + "\",\"abuse\":false}"),
                new Endpoint("case", "POST", "/api/v1/cases", "demo-case-manager", """
                        {"caseId":"%s-new","campaignId":"%s","name":"%s","country":"FR","scope":"global","goal":1000}"""
                        .formatted(CASE, CAMPAIGN, MARKER)),
                new Endpoint("case", "PATCH", "/api/v1/cases/" + CASE, "demo-case-manager",
                        "{\"goal\":1000,\"targetAuthority\":\"" + MARKER + "\"}"),
                new Endpoint("case", "PUT", "/api/v1/cases/matrix-absent-case/hold", "demo-case-manager",
                        "{\"reason\":\"" + MARKER + " is threatened\"}"),
                new Endpoint("case", "POST", "/api/v1/campaigns", "demo-case-manager", """
                        {"campaignId":"corpus-campaign","name":"%s","opensAt":"2026-12-01T00:00:00Z","closesAt":"2027-01-31T00:00:00Z"}"""
                        .formatted(MARKER)),
                new Endpoint("case", "POST", "/api/v1/entities", "demo-case-manager",
                        "{\"entityId\":\"corpus-entity\",\"name\":\"" + MARKER + "\",\"country\":\"FR\",\"kind\":\"section\"}"),
                new Endpoint("case", "POST", "/api/v1/staff", "demo-case-manager",
                        "{\"principal\":\"" + MARKER + "\",\"role\":\"moderator\",\"expiresAt\":\"2027-02-01T00:00:00Z\"}"),
                new Endpoint("delivery", "POST", "/api/v1/deliveries", "demo-delivery", """
                        {"caseId":"el-hiblu-3","kind":"petition","recipient":{"kind":"embassy","name":"%s"},
                         "place":{"city":"Valletta","country":"MT"},"plannedFor":"2027-01-15T10:00:00Z"}""".formatted(MARKER)),
                new Endpoint("delivery", "POST", "/api/v1/deliveries/" + UUID.randomUUID() + "/handover", "demo-delivery", """
                        {"deliveredAt":"2027-01-15T10:00:00Z","cutoff":"2027-01-14T00:00:00Z","deliveredBy":"%s",
                         "notes":"handed over","evidence":[]}""".formatted(MARKER)),
                new Endpoint("delivery", "POST", "/api/v1/deliveries/" + UUID.randomUUID() + "/cancel", "demo-delivery",
                        "{\"reason\":\"" + MARKER + " moved\"}"));
    }

    /** Every way this corpus breaks a valid body. */
    static List<Attempt> corpus() throws Exception {
        List<Attempt> corpus = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            JsonNode valid = JSON.readTree(e.validBody());
            forEachLeaf(valid, "", (path, leaf) -> {
                for (Map.Entry<String, JsonNode> bad : badValues(leaf).entrySet()) {
                    corpus.add(new Attempt(e, path + " = " + bad.getKey(), "application/json",
                            escaped(replaced(valid, path, bad.getValue()))));
                }
            });
            String body = escaped(valid);
            String firstField = valid.fieldNames().next();
            corpus.add(new Attempt(e, "a key given twice", "application/json",
                    "{\"" + firstField + "\":" + valid.get(firstField) + "," + body.substring(1)));
            corpus.add(new Attempt(e, "trailing bytes", "application/json", body + " {}"));
            corpus.add(new Attempt(e, "truncated JSON", "application/json", body.substring(0, body.length() / 2)));
            corpus.add(new Attempt(e, "an array for the body", "application/json", "[" + body + "]"));
            corpus.add(new Attempt(e, "a string for the body", "application/json", "\"" + MARKER + "\""));
            corpus.add(new Attempt(e, "text/plain", "text/plain", body));
            corpus.add(new Attempt(e, "application/xml", "application/xml", "<a>" + MARKER + "</a>"));
            corpus.add(new Attempt(e, "no body at all", "application/json", ""));
        }
        Endpoint signers = new Endpoint("petition", "GET", "/api/v1/cases/el-hiblu-3/signers.csv", "demo-delivery", null);
        Endpoint counts = new Endpoint("delivery", "GET", "/api/v1/cases/el-hiblu-3/counts", "demo-delivery", null);
        Endpoint messages = new Endpoint("petition", "GET", "/api/v1/messages", "demo-moderator", null);
        Endpoint days = new Endpoint("tally", "GET", "/api/v1/totals/days", "demo-coordinator", null);
        Endpoint totals = new Endpoint("tally", "GET", "/api/v1/totals", "demo-coordinator", null);
        Endpoint compare = new Endpoint("tally", "GET", "/api/v1/totals/compare", "demo-coordinator", null);
        for (String instant : List.of("+99999-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "2027-13-45T00:00:00Z",
                "yesterday", "2027-01-01T00:00:00Z%00", "1e30")) {
            corpus.add(new Attempt(signers, "until=" + instant, null, "until=" + instant));
            corpus.add(new Attempt(counts, "until=" + instant, null, "until=" + instant));
        }
        for (String number : List.of("1e30", "1.5", "-1", "99999999999999999999", "x", "%00")) {
            corpus.add(new Attempt(messages, "limit=" + number, null, "limit=" + number));
            corpus.add(new Attempt(messages, "offset=" + number, null, "offset=" + number));
        }
        for (String id : List.of("%00", "el-hiblu-3%01", "%1B%5B2J", "a".repeat(500), "%F0%9F", "%0Ael-hiblu-3")) {
            corpus.add(new Attempt(days, "caseId=" + id, null, "caseId=" + id));
            corpus.add(new Attempt(days, "entityId=" + id, null, "entityId=" + id));
            corpus.add(new Attempt(totals, "campaign=" + id, null, "campaign=" + id));
            corpus.add(new Attempt(compare, "with=" + id, null, "with=" + id));
            corpus.add(new Attempt(messages, "caseId=" + id, null, "caseId=" + id + "&status=approved"));
        }
        return corpus;
    }

    static String escaped(JsonNode json) {
        try {
            return ESCAPED.writeValueAsString(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, JsonNode> badValues(JsonNode leaf) {
        Map<String, JsonNode> bad = new HashMap<>();
        if (leaf.isTextual()) {
            String text = leaf.asText();
            bad.put("NUL inside", TextNode.valueOf(text + "\u0000x"));
            bad.put("ESC inside", TextNode.valueOf("\u001b[2J" + text));
            bad.put("a broken surrogate", TextNode.valueOf(text + "\ud800"));
            bad.put("DEL inside", TextNode.valueOf(text + "\u007f"));
            bad.put("100,000 characters", TextNode.valueOf(text + "x".repeat(100_000)));
            bad.put("a number", JSON.getNodeFactory().numberNode(1e30));
            bad.put("an object", JSON.createObjectNode().put("name", MARKER));
            if (text.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
                bad.put("year 99999", TextNode.valueOf(text.length() > 10 ? "+99999-01-01T00:00:00Z" : "+99999-01-01"));
                bad.put("year 1", TextNode.valueOf(text.length() > 10 ? "0001-01-01T00:00:00Z" : "0001-01-01"));
            }
        } else if (leaf.isNumber()) {
            bad.put("1e30", JSON.getNodeFactory().numberNode(1e30));
            bad.put("2^63", JSON.getNodeFactory().numberNode(new java.math.BigInteger("9223372036854775808")));
            bad.put("1.5", JSON.getNodeFactory().numberNode(1.5));
            bad.put("a string", TextNode.valueOf("12"));
            bad.put("true", JSON.getNodeFactory().booleanNode(true));
        } else if (leaf.isBoolean()) {
            bad.put("1", JSON.getNodeFactory().numberNode(1));
            bad.put("\"yes\"", TextNode.valueOf("yes"));
        }
        return bad;
    }

    static void forEachLeaf(JsonNode node, String path, java.util.function.BiConsumer<String, JsonNode> visit) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> forEachLeaf(f.getValue(), path + "/" + f.getKey(), visit));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                forEachLeaf(node.get(i), path + "/" + i, visit);
            }
        } else {
            visit.accept(path, node);
        }
    }

    static JsonNode replaced(JsonNode root, String path, JsonNode value) {
        JsonNode copy = root.deepCopy();
        int cut = path.lastIndexOf('/');
        JsonNode parent = cut == 0 ? copy : copy.at(path.substring(0, cut));
        String last = path.substring(cut + 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        }
        return copy;
    }

    @Test
    void everyMalformedRequestIsA4xxProblemAndChangesNothing() throws Exception {
        List<Attempt> corpus = corpus();
        assertTrue(corpus.size() >= 300, "a corpus of " + corpus.size());
        Map<TopicPartition, Long> before = quietOffsets();
        List<String> failures = new ArrayList<>();
        for (Attempt attempt : corpus) {
            Response answer = send(attempt);
            int status = answer.statusCode();
            String type = answer.contentType();
            if (attempt.endpoint().path().equals("/api/v1/batches") && status == 200) {
                // a batch answers per item: refused means nothing accepted and every item a 4xx with its problem
                List<Integer> items = answer.path("results.status");
                if ((int) answer.path("accepted") == 0 && !items.isEmpty()
                        && items.stream().allMatch(s -> s >= 400 && s < 500)) {
                    continue;
                }
            }
            if (status < 400 || status >= 500 || type == null || !type.startsWith("application/problem+json")) {
                failures.add(attempt.endpoint().method() + " " + attempt.endpoint().path() + " with " + attempt.what()
                        + ": " + status + " " + type + " " + answer.asString().substring(0,
                        Math.min(200, answer.asString().length())));
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + corpus.size() + " malformed requests were not a 4xx "
                + "problem:\n" + String.join("\n", failures));
        Map<TopicPartition, Long> after = quietOffsets();
        assertEquals(before, after, "a malformed request published nothing");
        for (String service : List.of("case-service", "petition-service", "tally-service", "delivery-service")) {
            Path log = TestPlatform.ROOT.resolve("platform-it/target/" + service + ".log");
            assertFalse(Files.readString(log).contains("Zyxwv"), service + "'s log holds the marker name");
        }
    }

    private Response send(Attempt attempt) {
        Endpoint e = attempt.endpoint();
        RequestSpecification request = given().auth().oauth2(platform.tokens.get(e.credential()))
                .header("Idempotency-Key", UUID.randomUUID().toString());
        String url = serviceUrl(e.service()) + e.path();
        if ("GET".equals(e.method())) {
            return request.urlEncodingEnabled(false).get(url + "?" + attempt.body());
        }
        if (!attempt.body().isEmpty()) {
            request.contentType(attempt.contentType() + "; charset=UTF-8").body(attempt.body());
        } else {
            request.contentType(attempt.contentType());
        }
        return request.request(e.method(), url);
    }

    private String serviceUrl(String service) {
        return switch (service) {
            case "case" -> platform.cases.url();
            case "petition" -> platform.petitions.url();
            case "tally" -> platform.tally.url();
            default -> platform.delivery.url();
        };
    }

    /** The end offsets of every topic once nothing has moved for three seconds (earlier tests' events settle). */
    private Map<TopicPartition, Long> quietOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", platform.kafka))) {
            Map<TopicPartition, Long> last = null;
            for (int i = 0; i < 60; i++) {
                Map<TopicPartition, Long> now = endOffsets(admin);
                if (now.equals(last)) {
                    return now;
                }
                last = now;
                Thread.sleep(3000);
            }
            throw new AssertionError("the topics never settled");
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var description : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get().values()) {
            description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()),
                    OffsetSpec.latest()));
        }
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, x -> x.getValue().offset()));
    }
}

package org.w4r.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.w4r.testsupport.fixtures.StubAnswer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for petition-service's HTTP API only (signer list and approved messages), since petition-service is not
 * running in these tests; Kafka and PostgreSQL stay real. Tests set what it answers and read what it was asked.
 * Like petition-service it honours {@code entityId}: asked for one entity, it answers only that entity's signers or
 * messages (a stub that answered the whole case would hide a pack naming other entities' signers, the fault a
 * read-only audit found on 4 December 2026).
 */
public class PetitionStub implements QuarkusTestResourceLifecycleManager {
    /** A case's whole signer export, as petition-service answers without {@code entityId}. */
    static final Map<String, String> SIGNERS_CSV = new ConcurrentHashMap<>();
    /**
     * One entity's signer export of a case (key {@link #entityKey}), as petition-service answers with
     * {@code ?entityId=}; an entity without one took no signature of the case and gets the header alone.
     * {@link #signers(String, Map)} sets it with the case's.
     */
    static final Map<String, String> ENTITY_SIGNERS_CSV = new ConcurrentHashMap<>();
    /**
     * A case's approved messages as a JSON array, each with its {@code occurredAt}; asked for one entity, the stub
     * answers those whose entityId it is, asked {@code until=}, those written ({@code occurredAt}) at or before it, and
     * one page at a time ({@code limit}, {@code after}), as petition-service does ({@link #page}).
     */
    static final Map<String, String> MESSAGES_JSON = new ConcurrentHashMap<>();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    static volatile boolean down;
    /** Cases whose campaign petition-service anonymised under its retention schedule: both exports answer 410. */
    static final java.util.Set<String> RETIRED = ConcurrentHashMap.newKeySet();
    /** Cases whose signer list is held back until the latch opens: a pack caught while it is being built. */
    static final Map<String, CountDownLatch> BLOCKED = new ConcurrentHashMap<>();
    /**
     * Cases whose signer list petition-service is too busy to export (it exports one at a time): {@code 503 overloaded}
     * with this Retry-After, in seconds, as petition-service answers.
     */
    static final Map<String, Integer> BUSY = new ConcurrentHashMap<>();
    /**
     * Cases petition-service already knows to be on safety hold, by hold id, when this service does not yet: both
     * exports answer {@code 409 case-on-hold} naming the hold, as its DeliveryGate does.
     */
    static final Map<String, Long> HELD = new ConcurrentHashMap<>();
    /** Tokens petition-service already has revoked: answered {@code 401}, as its authentication does. */
    static final java.util.Set<String> REVOKED = ConcurrentHashMap.newKeySet();
    /**
     * Cases whose exports petition-service refuses as a bad request ({@code 400 invalid-field}): the two services
     * disagreeing about what may be asked, which no retry mends.
     */
    static final java.util.Set<String> REFUSED = ConcurrentHashMap.newKeySet();
    /** petition-service's bound on a cut-off ({@code Cutoff.LATEST}): an {@code until} further ahead is its 400. */
    static final java.time.Duration LATEST_CUTOFF = java.time.Duration.ofDays(366);
    private HttpServer server;

    static String entityKey(String caseId, String entityId) {
        return caseId + "/" + entityId;
    }

    /**
     * The signers of a case, by the entity that took them: rows {@code name,country} as petition-service writes them,
     * each entity's list alone, and the case's the lists one after another (petition-service orders by time: tests
     * compare membership, not the order across entities).
     */
    static void signers(String caseId, Map<String, List<String>> rowsByEntity) {
        StringBuilder all = new StringBuilder("name,country\n");
        rowsByEntity.forEach((entityId, rows) -> {
            StringBuilder one = new StringBuilder("name,country\n");
            rows.forEach(row -> one.append(row).append('\n'));
            ENTITY_SIGNERS_CSV.put(entityKey(caseId, entityId), one.toString());
            rows.forEach(row -> all.append(row).append('\n'));
        });
        SIGNERS_CSV.put(caseId, all.toString());
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v1/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        return Map.of("quarkus.rest-client.petition-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        REQUESTS.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + URLDecoder.decode(query,
                StandardCharsets.UTF_8)) + " auth=" + exchange.getRequestHeaders().getFirst("Authorization"));
        if (down) {
            StubAnswer.send(exchange, 503, "application/problem+json", "{\"status\":503}");
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && REVOKED.contains(authorization.substring(authorization.indexOf(' ') + 1))) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
            StubAnswer.send(exchange, 401, "application/problem+json", "{\"type\":\"https://w4r.example.org/problems/"
                    + "unauthorized\",\"title\":\"Unauthorized\",\"status\":401}");
            return;
        }
        String held = HELD.keySet().stream().filter(c -> path.contains("/" + c + "/")
                || (query != null && query.contains("caseId=" + c))).findFirst().orElse(null);
        if (held != null) {
            StubAnswer.send(exchange, 409, "application/problem+json", "{\"type\":\"https://w4r.example.org/problems/"
                    + "case-on-hold\",\"title\":\"Case on safety hold\",\"status\":409,\"detail\":\"case '" + held
                    + "' has been on safety hold since 2027-02-01T08:00:00Z; nothing can be handed out\","
                    + "\"caseId\":\"" + held + "\",\"hold\":{\"holdId\":" + HELD.get(held)
                    + ",\"placedAt\":\"2027-02-01T08:00:00Z\"}}");
            return;
        }
        String retired = RETIRED.stream().filter(c -> path.contains("/" + c + "/")
                || (query != null && query.contains("caseId=" + c))).findFirst().orElse(null);
        if (retired != null) {
            StubAnswer.send(exchange, 410, "application/problem+json",
                    "{\"type\":\"https://w4r.example/problems/signer-data-retired\",\"status\":410}");
            return;
        }
        String refused = REFUSED.stream().filter(c -> path.contains("/" + c + "/")
                || (query != null && query.contains("caseId=" + c))).findFirst().orElse(null);
        String until = param(query, "until");
        if (refused != null || (until != null && java.time.Instant.parse(until)
                .isAfter(java.time.Instant.now().plus(LATEST_CUTOFF)))) {
            // as petition-service's Cutoff.parse answers a cut-off beyond its year
            StubAnswer.send(exchange, 400, "application/problem+json", "{\"type\":\"https://w4r.example.org/problems/"
                    + "invalid-field\",\"title\":\"Invalid field\",\"status\":400,\"detail\":\"'until' must be "
                    + "between 2000-01-01T00:00:00Z and a year from now\",\"field\":\"until\"}");
            return;
        }
        if (path.startsWith("/api/v1/cases/") && path.endsWith("/signers.csv")) {
            String caseId = path.substring("/api/v1/cases/".length(), path.length() - "/signers.csv".length());
            Integer busy = BUSY.get(caseId);
            if (busy != null) {
                exchange.getResponseHeaders().add("Retry-After", String.valueOf(busy));
                StubAnswer.send(exchange, 503, "application/problem+json", "{\"type\":\"https://w4r.example.org/problems/"
                        + "overloaded\",\"title\":\"Another signer list is being exported\",\"status\":503}");
                return;
            }
            CountDownLatch blocked = BLOCKED.get(caseId);
            if (blocked != null) {
                try {
                    blocked.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String entityId = param(query, "entityId");
            StubAnswer.send(exchange, 200, "text/csv", entityId == null ? SIGNERS_CSV.getOrDefault(caseId, "name,country\n")
                    : ENTITY_SIGNERS_CSV.getOrDefault(entityKey(caseId, entityId), "name,country\n"));
        } else if (path.equals("/api/v1/messages") && query != null) {
            String caseId = param(query, "caseId");
            String page = page(MESSAGES_JSON.getOrDefault(caseId, "[]"), param(query, "entityId"), param(query, "until"),
                    param(query, "after"), param(query, "limit"));
            if (page == null) {
                StubAnswer.send(exchange, 400, "application/problem+json", "{\"type\":\"https://w4r.example.org/problems/"
                        + "invalid-field\",\"title\":\"Invalid field\",\"status\":400,\"detail\":\"'after' must be the "
                        + "id of the last message of the previous page\",\"field\":\"after\"}");
                return;
            }
            StubAnswer.send(exchange, 200, "application/json", page);
        } else {
            StubAnswer.send(exchange, 404, "application/problem+json", "{\"status\":404}");
        }
    }

    /** A query parameter's decoded value, or null when it is not in the query. */
    static String param(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** petition-service's page size without {@code limit}, and the most it answers ({@code @Max(1000)}). */
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /**
     * One page of a JSON array of messages, as petition-service pages them: those whose {@code entityId} is the one
     * asked for (all of them when none is) and whose {@code occurredAt} is at or before {@code until} (no bound when
     * none is asked), oldest first by {@code occurredAt}, ties by id (PostgreSQL orders uuids as their text), the
     * first {@code limit} after the message {@code after} names. Null when {@code after} names no message of the array
     * (petition-service's 400).
     */
    static String page(String messages, String entityId, String until, String after, String limit) throws IOException {
        java.time.Instant bound = until == null ? null : java.time.Instant.parse(until);
        int size = limit == null ? DEFAULT_LIMIT : Math.min(MAX_LIMIT, Integer.parseInt(limit));
        List<com.fasterxml.jackson.databind.JsonNode> all = new java.util.ArrayList<>();
        JSON.readTree(messages).forEach(all::add);
        java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> order = java.util.Comparator
                .comparing((com.fasterxml.jackson.databind.JsonNode m) -> java.time.Instant.parse(m.path("occurredAt").asText()))
                .thenComparing(m -> m.path("messageId").asText().toLowerCase(java.util.Locale.ROOT));
        com.fasterxml.jackson.databind.JsonNode last = null;
        if (after != null) {
            last = all.stream().filter(m -> after.equalsIgnoreCase(m.path("messageId").asText())).findFirst().orElse(null);
            if (last == null) {
                return null;
            }
        }
        com.fasterxml.jackson.databind.JsonNode from = last;
        com.fasterxml.jackson.databind.node.ArrayNode kept = JSON.createArrayNode();
        all.stream()
                .filter(m -> entityId == null || entityId.equals(m.path("entityId").asText(null)))
                .filter(m -> bound == null || !java.time.Instant.parse(m.path("occurredAt").asText()).isAfter(bound))
                .filter(m -> from == null || order.compare(m, from) > 0)
                .sorted(order)
                .limit(size)
                .forEach(kept::add);
        return JSON.writeValueAsString(kept);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}

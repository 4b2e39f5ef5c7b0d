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
 */
public class PetitionStub implements QuarkusTestResourceLifecycleManager {
    static final Map<String, String> SIGNERS_CSV = new ConcurrentHashMap<>();
    static final Map<String, String> MESSAGES_JSON = new ConcurrentHashMap<>();
    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    static volatile boolean down;
    /** Cases whose campaign petition-service anonymised under its retention schedule: both exports answer 410. */
    static final java.util.Set<String> RETIRED = ConcurrentHashMap.newKeySet();
    /** Cases whose signer list is held back until the latch opens: a pack caught while it is being built. */
    static final Map<String, CountDownLatch> BLOCKED = new ConcurrentHashMap<>();
    private HttpServer server;

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
        String retired = RETIRED.stream().filter(c -> path.contains("/" + c + "/")
                || (query != null && query.contains("caseId=" + c))).findFirst().orElse(null);
        if (retired != null) {
            StubAnswer.send(exchange, 410, "application/problem+json",
                    "{\"type\":\"https://w4r.example/problems/signer-data-retired\",\"status\":410}");
            return;
        }
        if (path.startsWith("/api/v1/cases/") && path.endsWith("/signers.csv")) {
            String caseId = path.substring("/api/v1/cases/".length(), path.length() - "/signers.csv".length());
            CountDownLatch blocked = BLOCKED.get(caseId);
            if (blocked != null) {
                try {
                    blocked.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            StubAnswer.send(exchange, 200, "text/csv", SIGNERS_CSV.getOrDefault(caseId, "name,country\n"));
        } else if (path.equals("/api/v1/messages") && query != null) {
            String caseId = URLDecoder.decode(query.replaceAll(".*caseId=([^&]*).*", "$1"), StandardCharsets.UTF_8);
            StubAnswer.send(exchange, 200, "application/json", MESSAGES_JSON.getOrDefault(caseId, "[]"));
        } else {
            StubAnswer.send(exchange, 404, "application/problem+json", "{\"status\":404}");
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}

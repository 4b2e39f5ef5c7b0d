package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The three services as the bench sees them, on one local port, answering as they do: case-service takes the
 * campaign and its cases, petition-service refuses the window probe with 422 and answers signatures with 202, 409,
 * 422 or 503 (decided by the signer's number, so a test knows each answer in advance), tally-service serves totals
 * and the live stream of each case's accepted signatures. Given a database, each accepted signature writes there
 * what a service's would, in small: its row, kept, and an outbox row inserted and deleted once sent (three rows),
 * through one connection that stays open between requests as a pooled one does.
 */
final class FakePlatform implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    final Map<String, String> campaignCloses = new ConcurrentHashMap<>();
    private final Map<String, String> caseCampaign = new ConcurrentHashMap<>();
    final List<String> activeCases = new CopyOnWriteArrayList<>();
    /** Per case: signer number → status answered. */
    final Map<String, Map<Integer, Integer>> signatures = new ConcurrentHashMap<>();
    final Map<String, List<String>> tokensByCase = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> accepted = new ConcurrentHashMap<>();
    private final List<BlockingQueue<String>> streams = new CopyOnWriteArrayList<>();
    private final Map<String, String> tickets = new ConcurrentHashMap<>();

    private final Connection database;

    FakePlatform() throws IOException {
        this(null);
    }

    FakePlatform(Connection database) throws IOException {
        this.database = database;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(threads);
        server.createContext("/api/v1/campaigns", e -> {
            JsonNode body = Json.read(new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            campaignCloses.put(body.path("campaignId").asText(), body.path("closesAt").asText());
            answer(e, 201, body.toString());
        });
        server.createContext("/api/v1/cases", e -> {
            String path = e.getRequestURI().getPath();
            String body = new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.endsWith("/status")) {
                activeCases.add(path.split("/")[4]);
                answer(e, 200, body);
            } else {
                JsonNode c = Json.read(body);
                caseCampaign.put(c.path("caseId").asText(), c.path("campaignId").asText());
                answer(e, 201, body);
            }
        });
        server.createContext("/api/v1/actions", e -> { // the window probe: dated before the window, always refused
            JsonNode body = Json.read(new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String campaign = body.hasNonNull("campaignId") ? body.get("campaignId").asText()
                    : caseCampaign.getOrDefault(body.path("caseId").asText(), "");
            ObjectNode problem = Json.object().put("type", "https://w4r.example.org/problems/outside-campaign-window")
                    .put("campaignId", campaign).put("closesAt", campaignCloses.get(campaign));
            answer(e, 422, problem.toString());
        });
        server.createContext("/api/v1/signatures", this::signature);
        server.createContext("/api/v1/totals", e -> {
            if (e.getRequestURI().getPath().endsWith("/stream-tickets")) {
                // as tally: a single-use ticket for a staff token in the header
                String ticket = "ticket-" + tickets.size();
                tickets.put(ticket, e.getRequestHeaders().getFirst("Authorization"));
                answer(e, 200, Json.object().put("ticket", ticket).put("expiresAt", "2100-01-01T00:00:00Z").toString());
                return;
            }
            if (e.getRequestURI().getPath().endsWith("/stream")) {
                // as tally: a token in the URL is refused, a ticket opens the stream once
                String query = String.valueOf(e.getRequestURI().getQuery());
                String ticket = query.replaceAll(".*\\bticket=([^&]*).*", "$1");
                if (query.contains("access_token=") || !query.contains("ticket=") || tickets.remove(ticket) == null) {
                    answer(e, 401, "{\"status\":401}");
                    return;
                }
                stream(e);
                return;
            }
            ObjectNode totals = Json.object();
            ObjectNode cases = totals.putObject("cases");
            activeCases.forEach(c -> cases.put(c, accepted.computeIfAbsent(c, k -> new AtomicLong()).get()));
            answer(e, 200, totals.toString());
        });
        server.start();
    }

    /** What petition-service answers to signer number {@code n}. */
    static int statusFor(int n) {
        return switch (n % 10) {
            case 3 -> 409;
            case 6 -> 422;
            case 9 -> 503;
            default -> 202;
        };
    }

    private void signature(HttpExchange e) throws IOException {
        JsonNode body = Json.read(new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String caseId = body.path("caseIds").get(0).asText();
        int n = Integer.parseInt(body.path("signer").path("name").asText().replace("Bench ", ""));
        int status = statusFor(n);
        Integer before = signatures.computeIfAbsent(caseId, k -> new ConcurrentHashMap<>()).putIfAbsent(n, status);
        tokensByCase.computeIfAbsent(caseId, k -> new CopyOnWriteArrayList<>())
                .add(e.getRequestHeaders().getFirst("Authorization"));
        if (before != null) {
            status = 409; // the same signer again: nothing new
        } else if (status == 202) {
            write(n);
            long total = accepted.computeIfAbsent(caseId, k -> new AtomicLong()).incrementAndGet();
            String event = "data: " + Json.object().set("cases", Json.object().put(caseId, total)) + "\n\n";
            streams.forEach(s -> s.add(event));
        }
        answer(e, status, status == 503 ? "{\"type\":\"https://w4r.example.org/problems/outcome-unknown\",\"status\":503}"
                : "{\"status\":" + status + "}");
    }

    private synchronized void write(int signer) throws IOException {
        if (database == null) {
            return;
        }
        try (Statement s = database.createStatement()) {
            s.execute("insert into signature (signer) values (" + signer + ")");
            s.execute("insert into outbox (signer) values (" + signer + ")");
            s.execute("delete from outbox where signer = " + signer);
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    private void stream(HttpExchange e) throws IOException {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        streams.add(events);
        e.getResponseHeaders().add("Content-Type", "text/event-stream");
        e.sendResponseHeaders(200, 0);
        try (OutputStream out = e.getResponseBody()) {
            out.write(": open\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                out.write(events.take().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException | IOException closed) {
            // the bench closed its stream, or the fake is closing
        } finally {
            streams.remove(events);
        }
    }

    long accepted(String caseId) {
        AtomicLong n = accepted.get(caseId);
        return n == null ? 0 : n.get();
    }

    List<Integer> statuses(String caseId) {
        return new ArrayList<>(signatures.getOrDefault(caseId, Map.of()).values());
    }

    private static void answer(HttpExchange e, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().add("Content-Type", status / 100 == 2 ? "application/json" : "application/problem+json");
        e.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(bytes);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

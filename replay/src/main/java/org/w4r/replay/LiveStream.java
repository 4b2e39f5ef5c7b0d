package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The tally's live stream (SSE, GET /api/v1/totals/stream) of one campaign, as a coordinator's dashboard sees it:
 * for every case, when (this JVM's nanoTime) its streamed total first reached each value.
 */
final class LiveStream implements AutoCloseable {
    record Point(long nanos, long total) {
    }

    private final Map<String, List<Point>> byCase = new HashMap<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    LiveStream(HttpClient client, String tallyUrl, String campaignId, String token) {
        // EventSource cannot send headers, so this endpoint takes the token as a query parameter
        HttpRequest request = HttpRequest.newBuilder(URI.create(tallyUrl + "/api/v1/totals/stream?campaign=" + campaignId
                + "&access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))).header("Accept", "text/event-stream").build();
        response = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the live stream answered " + r.statusCode());
            }
            r.body().filter(line -> line.startsWith("data:")).forEach(line -> {
                long now = System.nanoTime();
                JsonNode data = Json.read(line.substring(5).trim());
                data.path("cases").fields().forEachRemaining(e -> record(e.getKey(), now, e.getValue().asLong()));
            });
        });
    }

    private synchronized void record(String caseId, long nanos, long total) {
        List<Point> points = byCase.computeIfAbsent(caseId, k -> new ArrayList<>());
        if (points.isEmpty() || points.get(points.size() - 1).total() < total) {
            points.add(new Point(nanos, total));
        }
    }

    synchronized long total(String caseId) {
        List<Point> points = byCase.get(caseId);
        return points == null || points.isEmpty() ? 0 : points.get(points.size() - 1).total();
    }

    synchronized List<Point> points(String caseId) {
        return new ArrayList<>(byCase.getOrDefault(caseId, List.of()));
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}

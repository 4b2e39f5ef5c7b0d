package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private volatile boolean closed;

    /**
     * Opens the stream as the dashboard does: a single-use ticket from {@code POST /api/v1/totals/stream-tickets} with
     * the coordinator's token in the header, then {@code ?ticket=} (a token in the URL is refused, since URLs end up in
     * logs). Throws unless the stream answers 200: a bench whose stream was refused once reported every 2xx "unseen"
     * instead of saying why (tally had moved from {@code ?access_token=} to tickets, and this class had not).
     */
    LiveStream(HttpClient client, String tallyUrl, String campaignId, String token) {
        String ticket = ticket(client, tallyUrl, token);
        HttpRequest request = HttpRequest.newBuilder(URI.create(tallyUrl + "/api/v1/totals/stream?campaign=" + campaignId
                + "&ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8))).header("Accept", "text/event-stream").build();
        response = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> opened;
        try {
            opened = response.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the live stream", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot open the live stream: " + e, e);
        }
        if (opened.statusCode() != 200) {
            String body = opened.body().limit(20).reduce("", (a, b) -> a + b);
            opened.body().close();
            throw new IllegalStateException("the live stream answered " + opened.statusCode() + ": " + body);
        }
        Thread reader = new Thread(() -> {
            try {
                opened.body().filter(line -> line.startsWith("data:")).forEach(line -> {
                    long now = System.nanoTime();
                    JsonNode data = Json.read(line.substring(5).trim());
                    data.path("cases").fields().forEachRemaining(e -> record(e.getKey(), now, e.getValue().asLong()));
                });
            } catch (java.io.UncheckedIOException e) {
                // closed by close() at the end of a run: the expected end; its stack trace once ended every bench's output
                if (!closed) {
                    System.err.println("bench: the live stream ended early (" + e.getCause() + "); later freshness is unseen");
                }
            }
        }, "live-stream");
        reader.setDaemon(true);
        reader.start();
    }

    private static String ticket(HttpClient client, String tallyUrl, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tallyUrl + "/api/v1/totals/stream-tickets"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("no stream ticket: tally answered " + answer.statusCode() + ": " + answer.body());
            }
            return Json.read(answer.body()).path("ticket").asText();
        } catch (IOException e) {
            throw new IllegalStateException("no stream ticket: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking for a stream ticket", e);
        }
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
        closed = true;
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}

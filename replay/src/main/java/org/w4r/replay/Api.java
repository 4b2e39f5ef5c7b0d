package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The platform's public HTTP API as an entity website or a staff member's tool calls it. */
public final class Api {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private final HttpClient client;

    public Api() {
        // HTTP/1.1 on purpose: what entity back-ends use, and no h2c upgrade dance on plain http
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public record Answer(int status, String body, Optional<String> replayed) {
        public JsonNode json() {
            return Json.read(body);
        }

        public boolean ok() {
            return status / 100 == 2;
        }

        /** The problem type's last path segment, e.g. "outside-campaign-window", or "" when there is none. */
        public String problemType() {
            JsonNode type = json().path("type");
            String t = type.asText("");
            return t.substring(t.lastIndexOf('/') + 1);
        }

        public Answer expect(int... statuses) {
            for (int s : statuses) {
                if (status == s) {
                    return this;
                }
            }
            throw new IllegalStateException("unexpected answer " + status + ": " + body);
        }
    }

    public Answer get(String url, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), token, null);
    }

    public Answer post(String url, String token, String idempotencyKey, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), token, idempotencyKey);
    }

    public Answer patch(String url, String token, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), token, null);
    }

    private Answer send(HttpRequest.Builder request, String token, String idempotencyKey) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(120)).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header(IDEMPOTENCY_KEY, idempotencyKey);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Idempotent-Replayed"));
    }

    HttpClient client() {
        return client;
    }
}

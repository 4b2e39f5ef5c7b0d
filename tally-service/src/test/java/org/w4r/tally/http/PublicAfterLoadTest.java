package org.w4r.tally.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gate in front of every public answer, on a real Vert.x server, with the one input it reads (whether the case
 * list was read to its end once) held by the test: a Quarkus test's instance has always read it before its first
 * request, so the state before cannot be reached there. The wiring to {@code ReferenceData.isCaughtUp} is the one
 * line of {@link PublicAfterLoad#register}; the public endpoints' own tests pass through it.
 */
class PublicAfterLoadTest {
    static final AtomicBoolean LOADED = new AtomicBoolean();
    static Vertx vertx;
    static HttpServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(PublicAfterLoad.gate(LOADED::get, new ObjectMapper()));
        router.route().handler(rc -> rc.response().setStatusCode(200).end("answered"));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static final List<String> PUBLIC_ANSWERS = List.of("/public/v1/cases/el-hiblu-3/counter",
            "/public/v1/cases/stream", "/public/v1/counter-demo.html", "/public/v1/open-data/campaigns",
            "/public/v1/open-data/compare?campaigns=a,b", "/public/v2/anything-added-later",
            // Vert.x normalises the path before the gate reads it: no way around it by spelling
            "/api/../public/v1/cases/el-hiblu-3/counter", "/public//v1/open-data/campaigns");

    @Test
    void beforeTheCasesAreReadEveryPublicAnswerIsRefusedAndNothingElse() throws Exception {
        LOADED.set(false);
        for (String path : PUBLIC_ANSWERS) {
            HttpResponse<String> answer = send("GET", path);
            assertEquals(503, answer.statusCode(), path);
            assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(null), path);
            assertEquals("5", answer.headers().firstValue("Retry-After").orElse(null), path);
            assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(null), path);
            assertEquals("*", answer.headers().firstValue("Access-Control-Allow-Origin").orElse(null), path);
            JsonNode problem = new ObjectMapper().readTree(answer.body());
            assertEquals(503, problem.path("status").asInt(), path);
            assertEquals("https://w4r.example.org/problems/starting-up", problem.path("type").asText(), path);
            assertEquals(5, problem.path("retryAfterSeconds").asInt(), path);
        }
        // the script is one static file for every case; a preflight carries no data; the staff API is not public
        for (String path : List.of("/public/v1/counter.js", "/api/v1/totals", "/q/health/ready")) {
            assertEquals(200, send("GET", path).statusCode(), path);
        }
        assertEquals(200, send("OPTIONS", "/public/v1/cases/el-hiblu-3/counter").statusCode());
    }

    @Test
    void onceReadEveryPublicAnswerGoesThrough() throws Exception {
        LOADED.set(true);
        for (String path : PUBLIC_ANSWERS) {
            HttpResponse<String> answer = send("GET", path);
            assertEquals(200, answer.statusCode(), path);
            assertEquals("answered", answer.body(), path);
        }
    }
}

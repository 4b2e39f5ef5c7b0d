package org.w4r.kit.reference;

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
 * The gate in front of what a service answers only after its reference data is read, on a real Vert.x server, with the
 * one input it reads (whether the topics were read to their end once) held by the test: a Quarkus test's instance has
 * always read them before its first request, so the state before cannot be reached there. The wiring to
 * {@code ReferenceData.isCaughtUp} is the one line of {@link AfterLoad#register}; the services' own tests pass
 * through it. Configured as tally-service is ({@code /public/} but its counter's script) and as petition-service is
 * ({@code /api/}).
 */
class AfterLoadTest {
    static final AtomicBoolean LOADED = new AtomicBoolean();
    static Vertx vertx;
    static HttpServer server;
    /** As petition-service: its whole API. */
    static HttpServer petition;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        // as tally-service: every public answer but the counter's script
        router.route().handler(AfterLoad.gate(LOADED::get, new ObjectMapper(), List.of("/public/"),
                List.of("/public/v1/counter.js")));
        router.route().handler(rc -> rc.response().setStatusCode(200).end("answered"));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        Router api = Router.router(vertx);
        api.route().handler(AfterLoad.gate(LOADED::get, new ObjectMapper(), List.of("/api/"), List.of()));
        api.route().handler(rc -> rc.response().setStatusCode(202).end("stored"));
        petition = vertx.createHttpServer().requestHandler(api).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        return send(server, method, path);
    }

    static HttpResponse<String> send(HttpServer to, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.actualPort() + path))
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

    /**
     * petition-service: a write before the campaigns and cases are read was refused 404 or 422 (a case or campaign
     * not yet read) and the refusal kept under its Idempotency-Key for two days (a read-only review, 8 December 2026).
     * Now every request to its API is 503 starting-up (never kept under a key) until they are read.
     */
    @Test
    void beforeTheCasesAreReadNoWriteOrReadOfTheApiIsAnswered() throws Exception {
        LOADED.set(false);
        for (String path : List.of("/api/v1/signatures", "/api/v1/batches", "/api/v1/cases")) {
            HttpResponse<String> answer = send(petition, "POST", path);
            assertEquals(503, answer.statusCode(), path);
            assertEquals("5", answer.headers().firstValue("Retry-After").orElse(null), path);
            assertEquals(null, answer.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                    "no origin is let read a staff or entity answer: " + path);
            assertEquals("https://w4r.example.org/problems/starting-up",
                    new ObjectMapper().readTree(answer.body()).path("type").asText(), path);
        }
        assertEquals(202, send(petition, "GET", "/q/health/ready").statusCode(), "health answers meanwhile");
        LOADED.set(true);
        assertEquals(202, send(petition, "POST", "/api/v1/signatures").statusCode());
    }
}

package org.w4r.replay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay's sender against a petition-service stand-in that answers each Idempotency-Key from a script: what it
 * counts as acknowledged, and what it takes as the replay of a retried request.
 */
class SenderTest {
    /** One answer: status, Idempotent-Replayed header (null: none) and body. */
    private record Scripted(int status, String replayed, String body) {
    }

    private final Map<String, List<Scripted>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private HttpServer server;
    private Sender sender;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/api/v1", this::answer);
        server.start();
        sender = new Sender(new Api(), "http://127.0.0.1:" + server.getAddress().getPort(), Map.of("ai-france", "token"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange e) throws IOException {
        e.getRequestBody().readAllBytes();
        String key = e.getRequestHeaders().getFirst("Idempotency-Key");
        List<Scripted> script = scripts.get(key);
        Scripted s = script.get(Math.min(attempts.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement(), script.size() - 1));
        if (s.replayed() != null) {
            e.getResponseHeaders().add("Idempotent-Replayed", s.replayed());
        }
        byte[] bytes = s.body().getBytes(StandardCharsets.UTF_8);
        e.sendResponseHeaders(s.status(), bytes.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Request single(String key, String path, boolean retry, long actions) {
        return new Request("ai-france", path, "{}", key, retry, false, (int) actions, 0, actions, new long[]{actions});
    }

    /**
     * Review of 6 December 2026: every request's actions were counted as acknowledged, a refused request's and a
     * batch's refused items' too, so the printed "acknowledged" figure overstated.
     */
    @Test
    void onlyTheActionsAnswered2xxAreCountedAsAcknowledged() throws Exception {
        scripts.put("s-ok", List.of(new Scripted(202, null,
                "{\"results\":[{\"caseId\":\"a\",\"status\":\"accepted\"},{\"caseId\":\"b\",\"status\":\"accepted\"}]}")));
        scripts.put("s-refused", List.of(new Scripted(409, null, "{\"type\":\"https://w4r.example.org/problems/case-on-hold\"}")));
        scripts.put("b-part", List.of(new Scripted(200, null, "{\"accepted\":2,\"refused\":1,\"results\":["
                + "{\"id\":\"i0\",\"status\":202,\"result\":{\"results\":[{\"caseId\":\"a\",\"status\":\"accepted\"}]}},"
                + "{\"id\":\"i1\",\"status\":404,\"problem\":{\"type\":\"https://w4r.example.org/problems/not-found\"}},"
                + "{\"id\":\"i2\",\"status\":202,\"result\":{\"results\":[{\"caseId\":\"a\",\"status\":\"accepted\"}]}}]}")));
        Iterator<Request> requests = List.of(
                single("s-ok", "/api/v1/signatures", false, 2),
                single("s-refused", "/api/v1/actions", false, 1),
                new Request("ai-france", "/api/v1/batches", "{}", "b-part", false, true, 3, 0, 502, new long[]{500, 1, 1})).iterator();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Progress progress = new Progress(505, quiet, Duration.ofHours(1))) {
            sender.run(() -> {
                synchronized (requests) {
                    return requests.hasNext() ? requests.next() : null;
                }
            }, 1, progress);
            assertEquals(2 + 500 + 1, progress.done.get(), "the signature's 2, and the batch's offline count and action");
        }
        assertEquals(2, sender.errors.size(), "the refusal and the refused item: " + sender.errors);
        assertFalse(sender.answersRight());
    }

    /**
     * 6 December 2026: the replay at scale 1 ran faster than an entity's rate limit and took ai-france's one 429 as an
     * error, so a run with nothing wrong in the platform failed. A 429, or a 503 naming when, is sent again with the
     * same key after the time it names; any other refusal is the answer.
     */
    @Test
    void anAnswerThatSaysSendItAgainIsSentAgainAfterTheTimeItNames() throws Exception {
        String accepted = "{\"results\":[{\"caseId\":\"a\",\"status\":\"accepted\"}]}";
        scripts.put("w-429", List.of(new Scripted(429, null, "{\"type\":\"https://w4r.example.org/problems/rate-limited\","
                + "\"retryAfterSeconds\":1}"), new Scripted(202, null, accepted)));
        scripts.put("w-503", List.of(new Scripted(503, null, "{\"type\":\"https://w4r.example.org/problems/outcome-unknown\","
                + "\"retryAfterSeconds\":1}"), new Scripted(202, "true", accepted)));
        scripts.put("w-503-bare", List.of(new Scripted(503, null, "{\"type\":\"https://w4r.example.org/problems/internal\"}"),
                new Scripted(202, null, accepted)));
        scripts.put("w-409", List.of(new Scripted(409, null, "{\"type\":\"https://w4r.example.org/problems/case-on-hold\"}"),
                new Scripted(202, null, accepted)));
        assertEquals(1, sender.send(single("w-429", "/api/v1/signatures", false, 1)));
        assertEquals(1, sender.send(single("w-503", "/api/v1/signatures", false, 1)));
        assertEquals(0, sender.send(single("w-503-bare", "/api/v1/signatures", false, 1)), "a 503 that names no time is the answer");
        assertEquals(0, sender.send(single("w-409", "/api/v1/signatures", false, 1)), "a refusal is the answer");
        assertEquals(Map.of("w-429", 2, "w-503", 2, "w-503-bare", 1, "w-409", 1),
                Map.of("w-429", attempts.get("w-429").get(), "w-503", attempts.get("w-503").get(),
                        "w-503-bare", attempts.get("w-503-bare").get(), "w-409", attempts.get("w-409").get()));
        assertEquals(2, sender.waitedOut.get());
        assertEquals(2, sender.errors.size(), "the bare 503 and the 409: " + sender.errors);
    }

    /**
     * Review of 6 December 2026: a retry passed as replayed whenever it had an Idempotent-Replayed header, whatever
     * its value and body.
     */
    @Test
    void aRetryIsReplayedOnlyWhenMarkedTrueAndItsBodyIsTheFirstAnswers() throws Exception {
        String body = "{\"results\":[{\"caseId\":\"a\",\"actionId\":\"x1\",\"status\":\"accepted\"}]}";
        String sameReformatted = "{ \"results\" : [ { \"status\" : \"accepted\", \"actionId\" : \"x1\", \"caseId\" : \"a\" } ] }";
        String other = "{\"results\":[{\"caseId\":\"a\",\"status\":\"duplicate\"}]}";
        scripts.put("r-same", List.of(new Scripted(202, null, body), new Scripted(202, "true", sameReformatted)));
        scripts.put("r-false", List.of(new Scripted(202, null, body), new Scripted(202, "false", body)));
        scripts.put("r-other", List.of(new Scripted(202, null, body), new Scripted(202, "true", other)));
        for (String key : List.of("r-same", "r-false", "r-other")) {
            sender.send(single(key, "/api/v1/signatures", true, 1));
        }
        assertEquals(3, sender.expectedReplayed.get());
        assertEquals(1, sender.replayed.get(), "only r-same: " + sender.errors);
        assertEquals(2, sender.errors.size(), sender.errors.toString());
        assertTrue(sender.errors.stream().anyMatch(e -> e.contains("key r-false") && e.contains("Idempotent-Replayed: false")),
                sender.errors.toString());
        assertTrue(sender.errors.stream().anyMatch(e -> e.contains("key r-other") && e.contains("body differs")),
                sender.errors.toString());
        assertFalse(sender.answersRight(), "a wrong replay gives exit code 1");

        Api.Answer first = new Api.Answer(202, body, Optional.empty());
        assertNull(Sender.notAReplayOf(first, new Api.Answer(202, sameReformatted, Optional.of("true"))));
        assertEquals("no Idempotent-Replayed header", Sender.notAReplayOf(first, new Api.Answer(202, body, Optional.empty())));
        assertTrue(Sender.notAReplayOf(first, new Api.Answer(409, body, Optional.of("true"))).startsWith("status 409"));
    }
}

package org.w4r.replay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Answers by class, and the retries of the ones that leave the outcome unknown: the classification on statuses and
 * problem types, the back-off, then a load against a server that answers each Idempotency-Key from a script.
 */
class AnswersTest {
    private static final String PROBLEMS = "https://w4r.example.org/problems/";

    @Test
    void eachAnswerFallsInOneClass() {
        assertEquals(AnswerClass.OK, AnswerClass.of(200, ""));
        assertEquals(AnswerClass.OK, AnswerClass.of(202, ""));
        assertEquals(AnswerClass.OUTCOME_UNKNOWN, AnswerClass.of(503, "outcome-unknown"));
        assertEquals(AnswerClass.OUTCOME_UNKNOWN, AnswerClass.of(503, "overloaded"), "every 503");
        assertEquals(AnswerClass.OUTCOME_UNKNOWN, AnswerClass.of(503, ""), "the ceiling's 503 has no body");
        assertEquals(AnswerClass.OUTCOME_UNKNOWN, AnswerClass.of(500, "outcome-unknown"), "whatever status says it");
        assertEquals(AnswerClass.TOO_MANY, AnswerClass.of(429, ""));
        assertEquals(AnswerClass.OTHER_4XX, AnswerClass.of(409, "case-on-hold"));
        assertEquals(AnswerClass.OTHER_4XX, AnswerClass.of(422, "outside-campaign-window"));
        assertEquals(AnswerClass.OTHER_5XX, AnswerClass.of(500, "internal"));
        assertEquals(AnswerClass.OTHER_5XX, AnswerClass.of(502, ""));
        assertEquals(AnswerClass.UNANSWERED, AnswerClass.of(-1, null));
        for (AnswerClass c : AnswerClass.values()) {
            assertEquals(c == AnswerClass.OUTCOME_UNKNOWN, c.retried(), c.label);
        }
    }

    @Test
    void retriesBackOffDoublingUnlessTheServerAsksForLonger() {
        RetryPolicy p = new RetryPolicy(3, TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), p.delayNanos(1, -1));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1000), p.delayNanos(2, -1));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(2000), p.delayNanos(3, 0));
        assertEquals(TimeUnit.SECONDS.toNanos(5), p.delayNanos(1, 5), "Retry-After: 5");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(2000), p.delayNanos(3, 1), "the longer of the two");
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(-1, 0));
    }

    /** One Idempotency-Key's answers in order; the last one repeats. */
    private record Script(String key, List<String> answers) {
    }

    @Test
    void anOutcomeUnknownIsRetriedWithTheSameKeyAndHowItEndsIsCountedApart() throws Exception {
        List<Script> scripts = List.of(
                new Script("k0", List.of("202")),
                new Script("k1", List.of("503 outcome-unknown", "202 replayed")), // stored after all
                new Script("k2", List.of("503 overloaded", "503 outcome-unknown", "202")), // stored by the second retry
                new Script("k3", List.of("503 outcome-unknown")), // unknown to the end: three retries
                new Script("k4", List.of("503", "422 case-not-active")),
                new Script("k5", List.of("429")),
                new Script("k6", List.of("409 case-on-hold")),
                new Script("k7", List.of("500 internal")),
                new Script("k8", List.of("cut", "202")), // the connection closed mid-answer: not sent again
                new Script("k9", List.of("503 outcome-unknown", "drop")));
        Map<String, List<String>> sentKeys = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/ingest", e -> {
            String key = e.getRequestHeaders().getFirst("Idempotency-Key");
            String body = new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            sentKeys.computeIfAbsent(body, b -> new CopyOnWriteArrayList<>()).add(key);
            List<String> script = scripts.stream().filter(s -> s.key().equals(body)).findFirst().orElseThrow().answers();
            int n = attempts.computeIfAbsent(body, b -> new AtomicInteger()).getAndIncrement();
            answer(e, script.get(Math.min(n, script.size() - 1)));
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ingest");
            Schedule schedule = new Schedule("constant", 100, java.util.stream.LongStream.range(0, scripts.size())
                    .map(i -> i * TimeUnit.MILLISECONDS.toNanos(10)).toArray());
            OpenLoad.Result r = OpenLoad.run("test", uri, schedule, 2,
                    i -> HttpConnection.post(uri, "t", "key-" + i, scripts.get(i).key()),
                    new RetryPolicy(3, TimeUnit.MILLISECONDS.toNanos(5)));
            Answers a = r.answers();

            assertEquals(1, a.first(AnswerClass.OK));
            assertEquals(5, a.first(AnswerClass.OUTCOME_UNKNOWN), "k1, k2, k3, k4, k9");
            assertEquals(1, a.first(AnswerClass.TOO_MANY));
            assertEquals(1, a.first(AnswerClass.OTHER_4XX));
            assertEquals(1, a.first(AnswerClass.OTHER_5XX));
            assertEquals(1, a.first(AnswerClass.UNANSWERED));
            assertEquals(1, r.ok());
            assertEquals(9, r.errors());
            assertEquals(10, r.latencyNanos().getTotalCount(), "first answers only");

            assertEquals(5, a.retriedRequests());
            assertEquals(2, a.afterRetries(AnswerClass.OK), "k1 replayed, k2 stored by a retry");
            assertEquals(1, a.replayed());
            assertEquals(1, a.afterRetries(AnswerClass.OUTCOME_UNKNOWN), "k3");
            assertEquals(1, a.afterRetries(AnswerClass.OTHER_4XX), "k4");
            assertEquals(1, a.afterRetries(AnswerClass.UNANSWERED), "k9");
            assertEquals(1 + 2 + 3 + 1 + 1, a.retries());
            assertEquals(3, a.acknowledged());
            assertEquals(3, r.acknowledged(), "every 2xx, a retry's included, is an acknowledgement");

            assertEquals(List.of("key-3", "key-3", "key-3", "key-3"), sentKeys.get("k3"), "the same key each time, three retries");
            assertEquals(List.of("key-2", "key-2", "key-2"), sentKeys.get("k2"));
            assertEquals(List.of("key-0"), sentKeys.get("k0"));
            assertEquals(List.of("key-5"), sentKeys.get("k5"), "429 is not retried");
            assertEquals(List.of("key-7"), sentKeys.get("k7"), "nor another 5xx");
            // review of 6 December 2026: a connection closed mid-answer was sent again at once, silently, and its 2xx
            // counted as a first answer; now it is unanswered, and only a kept-alive connection found closed before
            // any answer is replaced silently (HttpConnectionTest), which none was here
            assertEquals(List.of("key-8"), sentKeys.get("k8"), "a connection closed mid-answer is not sent again");
            assertEquals(0, a.resentOnStaleConnection());

            OpenLoad.Result none = OpenLoad.run("test", uri, schedule, 2,
                    i -> HttpConnection.post(uri, "t", "again-" + i, scripts.get(i).key()), new RetryPolicy(0, 0));
            assertEquals(0, none.answers().retriedRequests(), "no retries allowed: the first answers are all");
        } finally {
            server.stop(0);
        }
    }

    private static void answer(HttpExchange e, String scripted) throws IOException {
        if (scripted.equals("drop")) {
            e.close(); // headers never sent: the client sees the connection closed
            return;
        }
        if (scripted.equals("cut")) {
            e.sendResponseHeaders(202, 100);
            e.getResponseBody().write("{\"res".getBytes(StandardCharsets.UTF_8));
            e.getResponseBody().flush();
            e.close(); // 95 bytes short: the connection is closed in the body
            return;
        }
        String[] parts = scripted.split(" ");
        int status = Integer.parseInt(parts[0]);
        String body = "";
        if (parts.length > 1 && parts[1].equals("replayed")) {
            e.getResponseHeaders().add("Idempotent-Replayed", "true");
        } else if (parts.length > 1) {
            body = "{\"type\":\"" + PROBLEMS + parts[1] + "\",\"status\":" + status + "}";
            e.getResponseHeaders().add("Content-Type", "application/problem+json");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Review of 6 December 2026: a request more than 30 s behind its intended start was counted unanswered but left
     * out of the latencies, so a run that fell behind could show a good p99. Here two were due 40 s before the run
     * began, as if it had fallen that far behind.
     */
    @Test
    void aRequestTooFarBehindItsScheduleIsNotSentButIsInTheLatenciesWithHowLateItWas() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/ingest", e -> {
            e.getRequestBody().readAllBytes();
            received.incrementAndGet();
            answer(e, "202");
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ingest");
            long behind = -TimeUnit.SECONDS.toNanos(40);
            Schedule schedule = new Schedule("constant", 100, new long[]{behind, behind, 0, TimeUnit.MILLISECONDS.toNanos(10)});
            OpenLoad.Result r = OpenLoad.run("test", uri, schedule, 1, i -> HttpConnection.post(uri, "t", "late-" + i, "{}"),
                    new RetryPolicy(0, 0));
            assertEquals(2, received.get(), "only the two on time were sent");
            assertEquals(2, r.answers().first(AnswerClass.UNANSWERED));
            assertEquals(2, r.ok());
            assertEquals(4, r.latencyNanos().getTotalCount(), "every request in the latencies, sent or not");
            assertTrue(r.latencyNanos().getValueAtPercentile(99) >= TimeUnit.SECONDS.toNanos(39),
                    "p99 " + r.latencyNanos().getValueAtPercentile(99) / 1e6 + " ms");
            assertTrue(MaxRate.shortfall(r, TimeUnit.SECONDS.toNanos(1)).startsWith("p99 "), MaxRate.shortfall(r, TimeUnit.SECONDS.toNanos(1)));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void answersCountFirstAnswersAndRetriedEndsApart() {
        Answers a = new Answers();
        a.answered(AnswerClass.OK);
        a.answered(AnswerClass.OUTCOME_UNKNOWN);
        a.answered(AnswerClass.OUTCOME_UNKNOWN);
        a.retried(AnswerClass.OK, true, 2);
        a.retried(AnswerClass.OUTCOME_UNKNOWN, false, 3);
        assertEquals(1, a.first(AnswerClass.OK));
        assertEquals(2, a.first(AnswerClass.OUTCOME_UNKNOWN));
        assertEquals(2, a.retriedRequests());
        assertEquals(5, a.retries());
        assertEquals(1, a.replayed());
        assertEquals(2, a.acknowledged());
        List<Long> all = new ArrayList<>();
        for (AnswerClass c : AnswerClass.values()) {
            all.add(a.first(c) + a.afterRetries(c));
        }
        assertEquals(List.of(2L, 3L, 0L, 0L, 0L, 0L), all);
    }
}

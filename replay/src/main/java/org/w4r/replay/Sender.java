package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the replay's requests from a few threads, as many entity back-ends at once. A network failure is retried
 * with the same Idempotency-Key (that is what the key is for); a request marked as a retry is sent a second time
 * after its answer and must get the same answer, replayed. Every answer is checked against what the request must do.
 */
final class Sender {
    private final Api api;
    private final String petitionUrl;
    private final Map<String, String> tokens;
    final AtomicLong requests = new AtomicLong(), accepted = new AtomicLong(), duplicates = new AtomicLong(),
            replayed = new AtomicLong(), expectedAccepted = new AtomicLong(), expectedDuplicates = new AtomicLong(),
            expectedReplayed = new AtomicLong();
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    Sender(Api api, String petitionUrl, Map<String, String> tokens) {
        this.api = api;
        this.petitionUrl = petitionUrl;
        this.tokens = tokens;
    }

    void run(Traffic traffic, int threads, Progress progress) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                for (Request r; (r = traffic.next()) != null; ) {
                    try {
                        send(r);
                        progress.done.addAndGet(r.actions());
                    } catch (IOException | RuntimeException e) {
                        error(r, e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "replay-sender-" + i);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private void send(Request r) throws IOException, InterruptedException {
        String token = tokens.get(r.entityId());
        if (token == null) {
            throw new IllegalStateException("no credentials for entity " + r.entityId());
        }
        Api.Answer first = withRetries(r, token);
        requests.incrementAndGet();
        expectedAccepted.addAndGet(r.accepted());
        expectedDuplicates.addAndGet(r.duplicates());
        if (!first.ok()) {
            error(r, first.status() + " " + first.body());
            return;
        }
        JsonNode answer = first.json();
        if (r.batch() && answer.path("refused").asInt() > 0) {
            error(r, "refused items: " + firstProblem(answer));
        }
        count(answer, r.batch());
        if (r.retry()) {
            expectedReplayed.incrementAndGet();
            Api.Answer again = withRetries(r, token);
            if (again.status() != first.status() || again.replayed().isEmpty()) {
                error(r, "a retry with the same Idempotency-Key was not replayed: " + again.status() + " " + again.body());
            } else {
                replayed.incrementAndGet();
            }
        }
    }

    private Api.Answer withRetries(Request r, String token) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return api.post(petitionUrl + r.path(), token, r.idempotencyKey(), r.body());
            } catch (IOException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(200L * attempt);
            }
        }
    }

    private void count(JsonNode answer, boolean batch) {
        if (batch) {
            for (JsonNode item : answer.path("results")) {
                countResults(item.path("result"));
            }
        } else {
            countResults(answer);
        }
    }

    private void countResults(JsonNode answer) {
        for (JsonNode result : answer.path("results")) {
            switch (result.path("status").asText()) {
                case "accepted" -> accepted.incrementAndGet();
                case "duplicate" -> duplicates.incrementAndGet();
                default -> { }
            }
        }
    }

    private static String firstProblem(JsonNode answer) {
        for (JsonNode item : answer.path("results")) {
            if (item.has("problem")) {
                return item.get("problem").toString();
            }
        }
        return "?";
    }

    private void error(Request r, String what) {
        if (errors.size() < 1_000) {
            errors.add(r.entityId() + " " + r.path() + " key " + r.idempotencyKey() + ": "
                    + (what.length() > 500 ? what.substring(0, 500) + "…" : what));
        }
    }
}

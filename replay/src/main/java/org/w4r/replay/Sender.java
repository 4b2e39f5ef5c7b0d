package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sends the replay's requests from a few threads, as many entity back-ends at once. A network failure is retried
 * with the same Idempotency-Key (that is what the key is for), and so is an answer that says "nothing was stored, send
 * it again" (429, or a 503 naming when: {@link #waitedOut}), after the time it names, as an entity's back-end is told
 * to; a request marked as a retry is sent a second time after its answer and must get the same answer, replayed.
 * Every answer is checked against what the request must do.
 */
final class Sender {
    /** A batch item's id as {@code Traffic} writes it: its index. Compiled once, not per item. */
    private static final java.util.regex.Pattern ITEM_ID = java.util.regex.Pattern.compile("i\\d+");

    private final Api api;
    private final String petitionUrl;
    private final Map<String, String> tokens;
    final AtomicLong requests = new AtomicLong(), accepted = new AtomicLong(), duplicates = new AtomicLong(),
            replayed = new AtomicLong(), expectedAccepted = new AtomicLong(), expectedDuplicates = new AtomicLong(),
            expectedReplayed = new AtomicLong(), waitedOut = new AtomicLong();
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    Sender(Api api, String petitionUrl, Map<String, String> tokens) {
        this.api = api;
        this.petitionUrl = petitionUrl;
        this.tokens = tokens;
    }

    /** Sends every request {@code traffic} gives (null: no more), counting in {@code progress} what was acknowledged. */
    void run(Supplier<Request> traffic, int threads, Progress progress) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                for (Request r; (r = traffic.get()) != null; ) {
                    try {
                        progress.done.addAndGet(send(r));
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

    /** Every answer was what it had to be: no error, and the accepted, duplicate and replayed counts as expected. */
    boolean answersRight() {
        return errors.isEmpty() && accepted.get() == expectedAccepted.get() && duplicates.get() == expectedDuplicates.get()
                && replayed.get() == expectedReplayed.get();
    }

    /**
     * Sends one request (twice when it is a retry) and checks its answers; returns the actions acknowledged: none
     * when it was refused, and in a batch only the items answered 2xx. (Review of 6 December 2026: all of a
     * request's actions were counted as acknowledged, refused or not, so the progress figure overstated.)
     */
    long send(Request r) throws IOException, InterruptedException {
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
            return 0;
        }
        JsonNode answer = first.json();
        if (r.batch() && answer.path("refused").asInt() > 0) {
            error(r, "refused items: " + firstProblem(answer));
        }
        count(answer, r.batch());
        if (r.retry()) {
            expectedReplayed.incrementAndGet();
            Api.Answer again = withRetries(r, token);
            String wrong = notAReplayOf(first, again);
            if (wrong != null) {
                error(r, "a retry with the same Idempotency-Key was not replayed: " + wrong + ": " + again.status() + " " + again.body());
            } else {
                replayed.incrementAndGet();
            }
        }
        return acknowledged(r, answer);
    }

    /**
     * Why {@code again} is not the replay of {@code first}, or null when it is: the same status, marked
     * {@code Idempotent-Replayed: true}, and the same body (as JSON: formatting and key order may differ). Review of
     * 6 December 2026: only the header's presence was checked, so a replay saying false, or a different answer, passed.
     */
    static String notAReplayOf(Api.Answer first, Api.Answer again) {
        if (again.status() != first.status()) {
            return "status " + again.status() + ", the first answer's was " + first.status();
        }
        String marked = again.replayed().orElse(null);
        if (marked == null || !marked.trim().equalsIgnoreCase("true")) {
            return marked == null ? "no Idempotent-Replayed header" : "Idempotent-Replayed: " + marked;
        }
        return sameBody(first.body(), again.body()) ? null : "its body differs from the first answer's";
    }

    private static boolean sameBody(String a, String b) {
        try {
            return Json.read(a).equals(Json.read(b));
        } catch (IllegalStateException notJson) {
            return a.equals(b);
        }
    }

    /** A request's actions its 2xx answer acknowledges: in a batch, those of the items answered 2xx. */
    private static long acknowledged(Request r, JsonNode answer) {
        if (!r.batch()) {
            return r.actions();
        }
        long n = 0;
        JsonNode results = answer.path("results");
        for (int i = 0; i < results.size(); i++) {
            JsonNode item = results.get(i);
            String id = item.path("id").asText("");
            int index = ITEM_ID.matcher(id).matches() ? Integer.parseInt(id.substring(1)) : i;
            if (item.path("status").asInt() / 100 == 2 && index < r.itemActions().length) {
                n += r.itemActions()[index];
            }
        }
        return n;
    }

    /**
     * How many "send it again" answers one request may wait out before its last one counts as its answer: an entity's
     * limit refills at its rate, so a few seconds, never this many.
     */
    static final int MAX_WAITS = 30;

    private Api.Answer withRetries(Request r, String token) throws IOException, InterruptedException {
        int failures = 0;
        for (int waits = 0; ; ) {
            Api.Answer answer;
            try {
                answer = api.post(petitionUrl + r.path(), token, r.idempotencyKey(), r.body());
            } catch (IOException e) {
                if (++failures == 5) {
                    throw e;
                }
                Thread.sleep(200L * failures);
                continue;
            }
            long wait = retryAfterMillis(answer);
            if (wait < 0 || ++waits > MAX_WAITS) {
                return answer;
            }
            // The platform got faster than an entity's rate limit (1,000 actions/s, bursts of 10,000): on 6 December
            // 2026 the replay at scale 1 acknowledged 7,322 actions/s and ai-france's one 429 was counted as an error,
            // so the run failed with nothing wrong in the platform. A 429 says nothing was stored and when to send it
            // again, and that is what an entity's back-end does.
            waitedOut.incrementAndGet();
            Thread.sleep(wait);
        }
    }

    /**
     * How long to wait before sending {@code answer}'s request again, or -1 when it is an answer to keep: a 429, or a
     * 503 that names when to try again ({@code retryAfterSeconds}, as the platform's 503s that store nothing do), in
     * milliseconds (a second when it names no time).
     */
    static long retryAfterMillis(Api.Answer answer) {
        if (answer.status() != 429 && answer.status() != 503) {
            return -1;
        }
        JsonNode seconds;
        try {
            seconds = answer.json().path("retryAfterSeconds");
        } catch (RuntimeException unreadable) {
            return answer.status() == 429 ? 1000 : -1;
        }
        if (!seconds.canConvertToLong()) {
            return answer.status() == 429 ? 1000 : -1;
        }
        return Math.max(1, Math.min(seconds.asLong(), 60)) * 1000;
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

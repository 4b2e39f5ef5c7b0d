package org.w4r.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * An open-model load of signatures, as entity websites send them: a fixed rate, each request sent on schedule whether
 * or not earlier ones were answered (a closed loop would slow down with the platform and hide an outage), each with
 * its own {@code Idempotency-Key} and a signer of its own, alternating between the two petition-service instances.
 * Every answer is kept; {@link #retryUnresolved()} sends again, with the same key and body, every request whose answer
 * was a 5xx or never came, as a caller following docs/petition-service.md must.
 *
 * <p>Hand-written rather than a load tool: the suite needs every answer by key, and the retries, in the test JVM.
 */
final class SignatureLoad {
    /** One answer: a status (0 when the connection failed or timed out), and what it said. */
    record Answer(int status, String problem, String actionId, boolean replayed, String failure) {
        boolean acknowledged() {
            return status / 100 == 2 && actionId != null;
        }

        /** A caller cannot tell whether it took effect, or was told to retry: it must send it again. */
        boolean unresolved() {
            return status == 0 || status >= 500;
        }

        String label() {
            return status == 0 ? "no answer (" + failure + ")" : problem == null ? String.valueOf(status) : status + " " + problem;
        }
    }

    /** One request and what it got, first and last. */
    static final class Request {
        final String key;
        final String caseId;
        final String body;
        final int index;
        final java.time.Instant sentAt = java.time.Instant.now();
        volatile Answer first;
        volatile Answer last;

        Request(String key, String caseId, String body, int index) {
            this.key = key;
            this.caseId = caseId;
            this.body = body;
            this.index = index;
        }
    }

    /** HTTP/1.1, as entity websites post: a timed-out HTTP/2 stream is reset, and many resets close the connection. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "signature-load-answers");
                t.setDaemon(true);
                return t;
            }))
            .connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    private final List<ServiceInstance> petitions;
    private final String entityKey;
    private final List<String> cases;
    private final Map<String, Request> all = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong sent = new AtomicLong();
    private ScheduledExecutorService clock;
    private ScheduledFuture<?> ticking;
    private List<Request> window = new ArrayList<>();

    SignatureLoad(List<ServiceInstance> petitions, String entityKey, List<String> cases) {
        this.petitions = petitions;
        this.entityKey = entityKey;
        this.cases = cases;
    }

    /**
     * Starts sending {@code perSecond} signatures a second; a new window of requests starts with it. A load a failed
     * fault left running is stopped first: in CI one kept sending through every later fault, whose checks then failed
     * on its requests (the tally "ahead" of what they had acknowledged).
     */
    synchronized void start(int perSecond) {
        stop();
        window = java.util.Collections.synchronizedList(new ArrayList<>());
        clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "signature-load");
            t.setDaemon(true);
            return t;
        });
        long startedAt = System.nanoTime();
        AtomicLong due = new AtomicLong();
        List<Request> current = window;
        ticking = clock.scheduleAtFixedRate(() -> {
            long shouldHaveSent = (System.nanoTime() - startedAt) * perSecond / 1_000_000_000L;
            while (due.get() < shouldHaveSent) {
                due.incrementAndGet();
                current.add(send());
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** Stops sending and waits for every answer still on its way (each request has a 10 s timeout). */
    synchronized List<Request> stop() {
        if (clock == null) {
            return new ArrayList<>(window);
        }
        ticking.cancel(false);
        clock.shutdown();
        clock = null;
        await().atMost(Duration.ofSeconds(90)).until(inFlight::isEmpty);
        return new ArrayList<>(window);
    }

    private Request send() {
        long i = sent.getAndIncrement();
        String caseId = cases.get((int) (i % cases.size()));
        String body = "{\"caseIds\":[\"" + caseId + "\"],\"signer\":{\"name\":\"Load\",\"email\":\""
                + UUID.randomUUID() + "@example.org\"}}";
        Request request = new Request(UUID.randomUUID().toString(), caseId, body, (int) (i % petitions.size()));
        all.put(request.key, request);
        CompletableFuture<Void> answered = post(request, petitions.get(request.index)).thenAccept(answer -> {
            request.first = answer;
            request.last = answer;
        });
        inFlight.add(answered);
        answered.whenComplete((a, e) -> inFlight.remove(answered));
        return request;
    }

    private CompletableFuture<Answer> post(Request request, ServiceInstance petition) {
        HttpRequest post = HttpRequest.newBuilder(URI.create(petition.url() + "/api/v1/signatures"))
                .header("Authorization", "Bearer " + entityKey).header("Content-Type", "application/json")
                .header("Idempotency-Key", request.key).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(request.body)).build();
        return http.sendAsync(post, HttpResponse.BodyHandlers.ofString())
                .thenApply(SignatureLoad::read)
                .exceptionally(e -> new Answer(0, null, null, false,
                        (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName()));
    }

    private static Answer read(HttpResponse<String> response) {
        boolean replayed = response.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
        if (response.statusCode() / 100 == 2) {
            JsonNode result = json(response.body()).path("results").path(0);
            String actionId = "accepted".equals(result.path("status").asText()) ? result.path("actionId").asText() : null;
            return new Answer(response.statusCode(), null, actionId, replayed, null);
        }
        return new Answer(response.statusCode(), problemType(response.body()), null, replayed, null);
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    /** The last segment of a problem+json {@code type}; null when the body is not one (the status says enough). */
    static String problemType(String body) {
        try {
            String type = JSON.readTree(body).path("type").asText(null);
            return type == null ? null : type.substring(type.lastIndexOf('/') + 1);
        } catch (java.io.IOException | RuntimeException notJson) {
            return null;
        }
    }

    /**
     * Sends every unresolved request again, same key and body, to a live petition-service instance, until each is
     * answered 2xx or 4xx; returns how many retries it took.
     */
    int retryUnresolved(FaultPlatform platform) {
        int[] retries = {0};
        try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<CompletableFuture<?>> round = new ArrayList<>();
                for (Request r : all.values()) {
                    if (r.last == null || r.last.unresolved()) {
                        retries[0]++;
                        round.add(post(r, platform.live(FaultPlatform.PETITION)).thenAccept(a -> r.last = a));
                    }
                }
                CompletableFuture.allOf(round.toArray(CompletableFuture[]::new)).join();
                return all.values().stream().noneMatch(r -> r.last == null || r.last.unresolved());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller's checks name what stayed unresolved
        }
        return retries[0];
    }

    /** Every acknowledged action of every window so far: action id to case. */
    Map<String, String> acknowledged() {
        Map<String, String> ids = new HashMap<>();
        for (Request r : all.values()) {
            if (r.last != null && r.last.acknowledged()) {
                ids.put(r.last.actionId(), r.caseId);
            }
        }
        return ids;
    }

    Collection<Request> all() {
        return all.values();
    }
}

package org.w4r.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two (here: eight) case managers placing, lifting and editing one case at once, through the real API: no answer is
 * a 5xx, no edit is refused for racing, and the case, its hold history and the 'cases' topic all end in the state of
 * the last committed change (a hold is never lost to an edit that read the case before the hold committed).
 */
@QuarkusTest
class HoldConcurrencyTest extends RunningService {
    static final int THREADS = 8;
    static final int OPS_PER_THREAD = 25;
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** {@code asked}: the hold a lift named (the one its caller had just read; -1 if it saw none). */
    record Answer(String op, int status, String contentType, JsonNode body, long asked) {
        boolean committed() {
            return status == 200 || status == 202;
        }

        long version() {
            return body.get("version").asLong();
        }

        Long holdId() {
            JsonNode hold = body.get("hold");
            return hold == null || hold.isNull() ? null : hold.get("holdId").asLong();
        }
    }

    @Test
    void holdsLiftsAndEditsOfOneCaseAtOnceEndInTheLastCommittedState() throws Exception {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        String manager = DemoCredentials.caseManager();
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < OPS_PER_THREAD; i++) {
                        answers.add(randomOp(caseId, manager));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(THREADS * OPS_PER_THREAD, answers.size());
        for (Answer a : answers) {
            assertTrue(a.status() < 500, a.op() + " answered " + a.status() + ": " + a.body());
            assertTrue(a.committed() || a.status() == 409, a.op() + " answered " + a.status() + ": " + a.body());
            assertTrue(a.status() != 202 || !a.op().equals("PATCH"), "an edit is never left on its way");
            if (a.status() == 409) {
                // the row lock makes staff take turns: a 409 is about the hold, never a lost race
                assertEquals("application/problem+json", a.contentType());
                List<String> expected = a.op().equals("PUT") ? List.of("already-on-hold") : List.of("not-on-hold", "hold-changed");
                assertTrue(expected.stream().anyMatch(t -> a.body().get("type").asText().endsWith("/" + t)), a.op() + ": " + a.body());
            }
        }

        // replay the committed answers in version (commit) order: each must agree with the one before it
        List<Answer> committed = answers.stream().filter(Answer::committed)
                .sorted(Comparator.comparingLong(Answer::version)).toList();
        assertEquals(committed.size(), committed.stream().map(Answer::version).distinct().count(),
                "every commit gives the case a new version");
        Long hold = null;
        int placed = 0, lifted = 0;
        for (Answer a : committed) {
            switch (a.op()) {
                case "PUT" -> {
                    assertNotNull(a.holdId(), "a placed hold is in its answer");
                    hold = a.holdId();
                    placed++;
                }
                case "DELETE" -> {
                    assertEquals(null, a.holdId(), "a lifted hold is gone from its answer");
                    assertEquals(hold, Long.valueOf(a.asked()), "a lift at version " + a.version() + " lifted the hold it named");
                    hold = null;
                    lifted++;
                }
                default -> assertEquals(hold, a.holdId(), "an edit at version " + a.version() + " kept the hold");
            }
        }
        assertTrue(placed > 0 && lifted > 0, "the run placed and lifted holds (" + placed + ", " + lifted + ")");

        JsonNode now = get("/api/v1/cases/" + caseId, manager);
        long lastVersion = committed.get(committed.size() - 1).version();
        assertEquals(lastVersion, now.get("version").asLong(), "the case is at its last committed version");
        Long holdNow = now.get("hold").isNull() ? null : now.get("hold").get("holdId").asLong();
        assertEquals(hold, holdNow, "the case's hold is the last hold-changing answer's");

        JsonNode history = get("/api/v1/cases/" + caseId + "/holds", manager);
        List<JsonNode> open = new ArrayList<>();
        history.forEach(h -> {
            if (h.get("liftedAt").isNull()) {
                open.add(h);
            }
        });
        assertEquals(placed, history.size(), "one history row per placed hold");
        assertEquals(hold == null ? 0 : 1, open.size(), "at most one open hold, and only if the case is held");
        if (hold != null) {
            assertEquals(hold, open.get(0).get("holdId").asLong());
        }

        // the stream: every commit on it in version order, the last one equal to the database
        await().atMost(Duration.ofSeconds(30)).until(() -> caseEvents(caseId).stream()
                .anyMatch(c -> c.version() == lastVersion));
        List<CaseChanged> events = caseEvents(caseId);
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).version() > events.get(i - 1).version(), "versions on the topic strictly "
                    + "increase: " + events.get(i - 1).version() + " then " + events.get(i).version());
        }
        Map<Long, CaseChanged> byVersion = new HashMap<>();
        events.forEach(e -> byVersion.put(e.version(), e));
        for (Answer a : committed) {
            CaseChanged e = byVersion.get(a.version());
            assertNotNull(e, "version " + a.version() + " was published");
            assertEquals(a.holdId(), e.hold() == null ? null : e.hold().holdId(), "version " + a.version());
            assertEquals(a.body().get("goal").asLong(), e.goal());
        }
        CaseChanged last = events.get(events.size() - 1);
        assertEquals(lastVersion, last.version());
        assertEquals(holdNow, last.hold() == null ? null : last.hold().holdId());
        assertEquals(now.get("goal").asLong(), last.goal());
    }

    private Answer randomOp(String caseId, String token) throws Exception {
        String path = "/api/v1/cases/" + caseId;
        int pick = ThreadLocalRandom.current().nextInt(3);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pick == 2 ? path : path + "/hold"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        long asked = -1;
        if (pick == 1) {
            // as a person does: read the case, then lift the hold it shows (another may have changed it since)
            JsonNode hold = get(path, token).get("hold");
            asked = hold == null || hold.isNull() ? -1 : hold.get("holdId").asLong();
        }
        URI lift = uri(path + "/hold?holdId=" + asked);
        if (pick == 1) {
            request.uri(lift);
        }
        String op = switch (pick) {
            case 0 -> {
                request.PUT(HttpRequest.BodyPublishers.ofString("{\"reason\":\"threats\"}"));
                yield "PUT";
            }
            case 1 -> {
                request.DELETE();
                yield "DELETE";
            }
            default -> {
                request.method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"goal\":" + ThreadLocalRandom.current().nextInt(1, 1_000_000) + "}"));
                yield "PATCH";
            }
        };
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Answer(op, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body, asked);
    }

    private JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            fail("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private List<CaseChanged> caseEvents(String caseId) {
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(kafka, Topics.CASES);
        return records.stream().filter(r -> caseId.equals(r.key()) && r.value() != null)
                .sorted(Comparator.comparingLong(ConsumerRecord::offset))
                .map(r -> Events.fromJson(r.value(), CaseChanged.class)).filter(Objects::nonNull).toList();
    }

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }
}

package org.w4r.petition;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.ReferenceDataResource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/**
 * Single signatures are committed in groups: signatures arriving together share a transaction. These tests send
 * them together, so that groups really form, and check that each request still has exactly its own effect.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ReferenceDataResource.class, scope = TestResourceScope.GLOBAL)
class GroupCommitTest {
    private static final int THREADS = 16;

    private static Response sign(String entity, String key, String body) {
        var request = given().auth().oauth2(entityKey(entity)).contentType(ContentType.JSON).body(body);
        return (key == null ? request : request.header("Idempotency-Key", key)).post("/api/v1/signatures");
    }

    private static <T> List<T> together(int n, java.util.function.IntFunction<T> call) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<CompletableFuture<T>> calls = IntStream.range(0, n)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> call.apply(i), pool)).toList();
            return calls.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void manySignersAtOnceAreEachAcceptedOnceAndPublishedOnce() {
        String run = UUID.randomUUID().toString();
        List<Response> answers = together(300, i -> sign(i % 2 == 0 ? "ai-france" : "ai-malta", null,
                SignatureResourceTest.body("s" + i + "-" + run + "@example.org", "el-hiblu-3", "paing-phyo-min")));
        Set<String> actionIds = new HashSet<>();
        for (Response answer : answers) {
            answer.then().statusCode(202);
            List<String> statuses = answer.path("results.status");
            assertEquals(List.of("accepted", "accepted"), statuses, answer.asString());
            List<String> cases = answer.path("results.caseId");
            assertEquals(List.of("el-hiblu-3", "paing-phyo-min"), cases, "results in the order of the request");
            actionIds.addAll(answer.path("results.actionId"));
        }
        assertEquals(600, actionIds.size(), "one action per signer and case");
        await().until(() -> published(actionIds).size() == 600);
        List<ActionRecorded> events = published(actionIds);
        assertEquals(600, events.stream().map(ActionRecorded::eventId).distinct().count(), "one event per action");
        assertEquals(300, events.stream().filter(e -> e.entityId().equals("ai-france")).count(), "each for its own entity");
    }

    @Test
    void onePersonSigningManyTimesAtOnceCountsOnce() {
        String body = SignatureResourceTest.body("eager-" + UUID.randomUUID() + "@example.org", "nassima-al-sada");
        List<Response> answers = together(40, i -> sign("ai-france", null, body));
        List<String> statuses = answers.stream().map(r -> {
            r.then().statusCode(202);
            return (String) r.path("results[0].status");
        }).toList();
        assertEquals(1, statuses.stream().filter("accepted"::equals).count(), statuses.toString());
        assertEquals(39, statuses.stream().filter("duplicate"::equals).count(), statuses.toString());
        String actionId = answers.stream().map(r -> (String) r.path("results[0].actionId"))
                .filter(id -> id != null).findFirst().orElseThrow();
        await().until(() -> published(Set.of(actionId)).size() == 1);
    }

    @Test
    void concurrentRetriesOfOneSignatureGetOneAnswer() {
        String key = UUID.randomUUID().toString();
        String body = SignatureResourceTest.body("retry-" + UUID.randomUUID() + "@example.org", "el-hiblu-3");
        List<Response> answers = together(24, i -> sign("ai-france", key, body));
        answers.forEach(r -> r.then().statusCode(202));
        assertEquals(1, answers.stream().map(Response::asString).distinct().count(), "the same answer to every retry");
        assertEquals("accepted", answers.get(0).path("results[0].status"));
        assertTrue(answers.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count() >= 23,
                "all but the first replayed");
        String actionId = answers.get(0).path("results[0].actionId");
        await().until(() -> published(Set.of(actionId)).size() == 1);
    }

    @Test
    void oneKeyForTwoDifferentSignaturesAtOnceStoresOnlyOne() {
        String key = UUID.randomUUID().toString();
        String run = UUID.randomUUID().toString();
        List<Response> answers = together(20, i -> sign("ai-malta", key,
                SignatureResourceTest.body("k" + (i % 2) + "-" + run + "@example.org", "el-hiblu-3")));
        long accepted = answers.stream().filter(r -> r.statusCode() == 202).count();
        long refused = answers.stream().filter(r -> r.statusCode() == 422).count();
        assertEquals(20, accepted + refused, "202 or 422 only: " + answers.stream().map(Response::statusCode).toList());
        assertTrue(accepted >= 1 && refused >= 1, "the key holds one of the two bodies; the other is refused");
        answers.stream().filter(r -> r.statusCode() == 422).forEach(r ->
                r.then().contentType("application/problem+json"));
        assertEquals(1, answers.stream().filter(r -> r.statusCode() == 202)
                .map(r -> (String) r.path("results[0].actionId")).distinct().count(), "one signature stored");
    }

    @Test
    void theSameKeyUsedByTwoEntitiesIsTwoRequests() {
        String key = UUID.randomUUID().toString();
        String run = UUID.randomUUID().toString();
        List<Response> answers = together(2, i -> sign(i == 0 ? "ai-france" : "ai-malta", key,
                SignatureResourceTest.body("e" + i + "-" + run + "@example.org", "el-hiblu-3")));
        answers.forEach(r -> r.then().statusCode(202));
        assertEquals(2, answers.stream().map(r -> (String) r.path("results[0].actionId")).distinct().count());
    }

    private static List<ActionRecorded> published(Set<String> actionIds) {
        String kafka = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        return org.w4r.testsupport.TopicReader.readAll(kafka, Topics.ACTIONS).stream().map(ConsumerRecord::value)
                .map(v -> Events.fromJson(v, ActionEvent.class))
                .filter(e -> e instanceof ActionRecorded r && actionIds.contains(r.actionId().toString()))
                .map(e -> (ActionRecorded) e).toList();
    }
}

package org.w4r.petition;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.ReferenceDataResource;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ReferenceDataResource.class, scope = TestResourceScope.GLOBAL)
class IdempotencyTest {

    static Response post(String path, String key, String body) {
        return given().auth().oauth2(entityKey("ai-france")).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).post(path);
    }

    @Test
    void theSameRequestSentAgainGetsTheOriginalAnswerAndChangesNothing() {
        String key = UUID.randomUUID().toString();
        String body = SignatureResourceTest.body("retry-" + UUID.randomUUID() + "@example.org", "el-hiblu-3");
        Response first = post("/api/v1/signatures", key, body);
        first.then().statusCode(202).body("results[0].status", equalTo("accepted"));
        String actionId = first.path("results[0].actionId");

        Response again = post("/api/v1/signatures", key, body);
        again.then().statusCode(202).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), again.asString(), "the original answer, not 'duplicate'");

        await().until(() -> Stream.containing(Topics.ACTIONS, actionId).size() == 1);
        assertEquals(1, Stream.containing(Topics.ACTIONS, actionId).size());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        post("/api/v1/actions", key, "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\"}").then().statusCode(202);
        post("/api/v1/actions", key, "{\"caseId\":\"el-hiblu-3\",\"type\":\"email\"}").then().statusCode(422)
                .contentType("application/problem+json").body("key", equalTo(key));
    }

    @Test
    void aRefusedRequestStoresNothingUnderItsKey() {
        String key = UUID.randomUUID().toString();
        post("/api/v1/actions", key, "{\"caseId\":\"no-such-case\",\"type\":\"tweet\"}").then().statusCode(404);
        post("/api/v1/actions", key, "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\"}").then().statusCode(202);
    }

    @Test
    void concurrentRetriesWithOneKeyHaveOneEffect() {
        String key = UUID.randomUUID().toString();
        String body = "{\"caseId\":\"nassima-al-sada\",\"type\":\"letter\"}";
        List<CompletableFuture<Response>> calls = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> post("/api/v1/actions", key, body))).toList();
        List<String> actionIds = calls.stream().map(CompletableFuture::join)
                .peek(r -> r.then().statusCode(202)).map(r -> (String) r.path("results[0].actionId")).distinct().toList();
        assertEquals(1, actionIds.size(), "every retry answered with the one action: " + actionIds);
        await().until(() -> Stream.containing(Topics.ACTIONS, actionIds.get(0)).size() == 1);
    }
}

package org.w4r.cases;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.TopicReader;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class HoldAndKeysTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    <T> T latest(String topic, String key, Class<T> type) {
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(kafka, topic);
        return records.stream().filter(r -> key.equals(r.key())).reduce((a, b) -> b)
                .map(r -> Events.fromJson(r.value(), type)).orElseThrow();
    }

    @Test
    void aHoldIsRecordedWithWhoAndWhenAndIsOnTheStreamBeforeTheAnswer() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        String manager = DemoCredentials.caseManager();
        given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"reason\":\"coup: protect the family\"}")
                .put("/api/v1/cases/" + caseId + "/hold")
                .then().statusCode(200).header("W4R-Propagated", "true")
                .body("hold.reason", equalTo("coup: protect the family"))
                .body("hold.placedBy", equalTo("demo-case-manager")).body("hold.placedAt", notNullValue());
        // 200 means it is on Kafka already: no waiting here
        CaseChanged held = latest(Topics.CASES, caseId, CaseChanged.class);
        assertNotNull(held.hold());
        assertFalse(Events.toJson(held).contains("protect the family"), "a hold's reason stays in case-service");
        assertFalse(Events.toJson(held).contains("demo-case-manager"), "so does who placed it");

        given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"reason\":\"again\"}")
                .put("/api/v1/cases/" + caseId + "/hold").then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(manager).contentType(ContentType.JSON).body("{\"reason\":\" \"}")
                .put("/api/v1/cases/el-hiblu-3/hold").then().statusCode(400).body("field", equalTo("reason"));

        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold")
                .then().statusCode(200).body("hold", nullValue());
        assertNull(latest(Topics.CASES, caseId, CaseChanged.class).hold());
        given().auth().oauth2(manager).delete("/api/v1/cases/" + caseId + "/hold").then().statusCode(409);

        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + caseId + "/holds")
                .then().statusCode(200).body("$", hasSize(1))
                .body("[0].placedBy", equalTo("demo-case-manager")).body("[0].liftedBy", equalTo("demo-case-manager"))
                .body("[0].liftedAt", notNullValue());
    }

    @Test
    void theDemoHoldsPaingPhyoMinAsOnFirstFebruary2021() {
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/paing-phyo-min")
                .then().statusCode(200).body("hold.reason", startsWith("Military coup in Myanmar"));
    }

    @Test
    void aNewKeyIsShownOnceStoredHashedAndRevokedEverywhere() {
        String manager = DemoCredentials.caseManager();
        String key = given().auth().oauth2(manager).post("/api/v1/entities/ai-iceland/keys")
                .then().statusCode(201).header("Cache-Control", "no-store")
                .body("key", startsWith("w4r_")).extract().path("key");
        String keyId = given().auth().oauth2(manager).get("/api/v1/entities/ai-iceland/keys").then().statusCode(200)
                .body("[0]", not(hasKey("key"))).extract().path("find { it.revokedAt == null && it.keyId != null }.keyId");
        assertFalse(TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .anyMatch(r -> r.value() != null && r.value().contains(key)), "the stream carries hashes, never keys");
        assertTrue(TopicReader.readAll(kafka, Topics.CREDENTIALS).stream().anyMatch(r -> keyId.equals(r.key())),
                "one event per key, keyed by its id");

        // the new key works (this service reads credentials from the stream like every other)
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> given().auth().oauth2(key)
                .get("/api/v1/entities/ai-iceland/keys").then().statusCode(200));
        given().auth().oauth2(key).get("/api/v1/entities/ai-france/keys").then().statusCode(403);
        given().auth().oauth2(key).post("/api/v1/entities/ai-france/keys").then().statusCode(403);

        String newest = given().auth().oauth2(manager).get("/api/v1/entities/ai-iceland/keys").then()
                .extract().path("[-1].keyId");
        given().auth().oauth2(manager).delete("/api/v1/entities/ai-iceland/keys/" + newest).then().statusCode(204);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> given().auth().oauth2(key)
                .get("/api/v1/entities/ai-iceland/keys").then().statusCode(401));
        given().auth().oauth2(manager).delete("/api/v1/entities/ai-france/keys/" + newest).then().statusCode(404);
        assertTrue(keyId != null);
    }

    @Test
    void staffTokensAreIssuedAndRevokedByCaseManagers() {
        String manager = DemoCredentials.caseManager();
        String token = given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"maria\",\"role\":\"moderator\"}").post("/api/v1/staff")
                .then().statusCode(201).body("role", equalTo("moderator")).extract().path("token");
        String keyId = given().auth().oauth2(manager).get("/api/v1/staff").then().statusCode(200)
                .extract().path("find { it.principal == 'maria' }.keyId");
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                given().auth().oauth2(token).get("/api/v1/cases").then().statusCode(200));
        given().auth().oauth2(token).get("/api/v1/staff").then().statusCode(403);
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"maria\",\"role\":\"coordinator\"}").post("/api/v1/staff").then().statusCode(409);
        given().auth().oauth2(manager).contentType(ContentType.JSON)
                .body("{\"principal\":\"bob\",\"role\":\"admin\"}").post("/api/v1/staff").then().statusCode(400);
        given().auth().oauth2(manager).delete("/api/v1/staff/maria/tokens/" + keyId).then().statusCode(204);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                given().auth().oauth2(token).get("/api/v1/cases").then().statusCode(401));
    }
}

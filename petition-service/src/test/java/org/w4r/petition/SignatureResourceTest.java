package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Events;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.CAMPAIGN;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

@QuarkusTest
@WithPlatformResources
class SignatureResourceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    static String body(String email, String... caseIds) {
        return """
                {"caseIds":[%s],"signer":{"name":"Ada Lovelace","email":"%s","country":"FR"}}"""
                .formatted(String.join(",", List.of(caseIds).stream().map(c -> "\"" + c + "\"").toList()), email);
    }

    static ValidatableResponse post(String key, String body) {
        return given().auth().oauth2(key).contentType(ContentType.JSON).body(body).post("/api/v1/signatures").then();
    }

    @Test
    void acceptedSignaturePublishesOneEventWithIdsAndCountsOnly() {
        String email = "ada-" + UUID.randomUUID() + "@example.org";
        String actionId = post(entityKey("ai-france"), body(email, "nassima-al-sada"))
                .statusCode(202)
                .body("results", hasSize(1))
                .body("results[0].caseId", equalTo("nassima-al-sada"))
                .body("results[0].status", equalTo("accepted"))
                .extract().path("results[0].actionId");

        ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(60)).until(() -> find(actionId), Optional::isPresent).orElseThrow();
        assertEquals("nassima-al-sada", record.key());
        assertFalse(record.value().contains("Ada"), "no names on the stream: " + record.value());
        assertFalse(record.value().contains("example.org"), "no emails on the stream: " + record.value());
        ActionRecorded event = (ActionRecorded) Events.fromJson(record.value(), ActionEvent.class);
        assertEquals(CAMPAIGN, event.campaignId());
        assertEquals("ai-france", event.entityId());
        assertEquals(ActionType.SIGNATURE, event.type());
        assertEquals(Mode.ONLINE, event.mode());
        assertEquals(1, event.count());
        assertEquals("FR", event.signerCountry(), "the signer's country travels, upper case, for the counts by country");
    }

    @Test
    void aSignatureWithoutACountryAndAnOtherActionCarryNone() {
        String email = "nowhere-" + UUID.randomUUID() + "@example.org";
        String signed = post(entityKey("ai-france"), """
                {"caseIds":["el-hiblu-3"],"signer":{"name":"Ada Lovelace","email":"%s","country":"mt"}}""".formatted(email))
                .statusCode(202).extract().path("results[0].actionId");
        String unsigned = post(entityKey("ai-france"), """
                {"caseIds":["el-hiblu-3"],"signer":{"name":"Ada Lovelace","email":"x%s"}}""".formatted(email))
                .statusCode(202).extract().path("results[0].actionId");
        String letter = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body("{\"caseId\":\"el-hiblu-3\",\"type\":\"letter\"}").post("/api/v1/actions").then()
                .statusCode(202).extract().path("results[0].actionId");
        assertEquals("MT", countryOf(signed), "normalised to upper case");
        assertEquals(null, countryOf(unsigned), "no country given: unknown");
        assertEquals(null, countryOf(letter), "not a signature: unknown");
    }

    private String countryOf(String actionId) {
        ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(60))
                .until(() -> find(actionId), Optional::isPresent).orElseThrow();
        assertEquals(record.value().contains("signerCountry"),
                Events.fromJson(record.value(), ActionEvent.class).signerCountry() != null, record.value());
        return Events.fromJson(record.value(), ActionEvent.class).signerCountry();
    }

    @Test
    void signForAllGivesOneActionPerCaseAndASecondSignatureIsADuplicate() {
        String email = "Grace." + UUID.randomUUID() + "@Example.org";
        post(entityKey("ai-malta"), body(email, "el-hiblu-3", "nassima-al-sada"))
                .statusCode(202)
                .body("results", hasSize(2))
                .body("results.status", equalTo(List.of("accepted", "accepted")))
                .body("results[1].actionId", notNullValue());
        // same person (the address normalised), again for one of the cases and for a new one
        post(entityKey("ai-france"), body("  " + email.toUpperCase() + " ", "el-hiblu-3", "paing-phyo-min"))
                .statusCode(202)
                .body("results[0].status", equalTo("duplicate"))
                .body("results[0].actionId", nullValue())
                .body("results[1].status", equalTo("accepted"));
        // and with the root's dot after its domain: the same mailbox, so the same signer (it signed twice until a
        // read-only review, 6 December 2026)
        post(entityKey("ai-malta"), body(email + ".", "nassima-al-sada")).statusCode(202)
                .body("results[0].status", equalTo("duplicate"));
    }

    @Test
    void anUnknownCaseIsNotFoundAndNothingIsStored() {
        String email = "nobody-" + UUID.randomUUID() + "@example.org";
        post(entityKey("ai-france"), body(email, "el-hiblu-3", "no-such-case"))
                .statusCode(404).contentType("application/problem+json").body("id", equalTo("no-such-case"));
        // the valid case of the refused request was not recorded either
        post(entityKey("ai-france"), body(email, "el-hiblu-3")).statusCode(202)
                .body("results[0].status", equalTo("accepted"));
    }

    @Test
    void onlyEntityKeysMaySign() {
        String body = body("x-" + UUID.randomUUID() + "@example.org", "el-hiblu-3");
        given().contentType(ContentType.JSON).body(body).post("/api/v1/signatures")
                .then().statusCode(401).contentType("application/problem+json");
        post("w4r_unknown", body).statusCode(401);
        post(staffToken("coordinator"), body).statusCode(403).contentType("application/problem+json");
    }

    @Test
    void badInputIsAClearProblem() {
        String key = entityKey("ai-france");
        post(key, "{\"caseIds\":[],\"signer\":{\"name\":\"A\",\"email\":\"a@b.org\"}}")
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("caseIds"));
        post(key, body("not-an-email", "el-hiblu-3")).statusCode(400).body("field", equalTo("signer.email"));
        post(key, body("a@b.org", "el-hiblu-3").replace("\"FR\"", "\"XX\"")).statusCode(400)
                .body("field", equalTo("signer.country"));
        post(key, "{\"caseIds\":[\"el-hiblu-3\"],").statusCode(400).contentType("application/problem+json");
        post(key, "{\"caseIds\":\"el-hiblu-3\"}").statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(key).contentType(ContentType.JSON).body("{\"caseIds\":[\"" + "x".repeat(300_000) + "\"]}")
                .post("/api/v1/signatures").then().statusCode(413).contentType("application/problem+json");
    }

    private Optional<ConsumerRecord<String, String>> find(String actionId) {
        return TopicReader.readAll(kafka, Topics.ACTIONS).stream()
                .filter(r -> r.value().contains(actionId)).findFirst();
    }

    @Test
    void withNoCollectorConfiguredNothingIsTracedNorSentAsATraceHeader() {
        // the same build traces where QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT is set (TracingTest, platform-it TraceIT)
        assertEquals(Boolean.TRUE, org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.otel.sdk.disabled", Boolean.class));
        String actionId = post(entityKey("ai-france"), body("q-" + UUID.randomUUID() + "@example.org", "paing-phyo-min"))
                .statusCode(202).extract().path("results[0].actionId");
        ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(60))
                .until(() -> find(actionId), Optional::isPresent).orElseThrow();
        assertEquals(null, record.headers().lastHeader("traceparent"), "no span, no trace context to carry");
    }

    @Test
    void eventsLeaveTheOutbox() {
        String email = "o-" + UUID.randomUUID() + "@example.org";
        String actionId = post(entityKey("ai-france"), body(email, "paing-phyo-min")).statusCode(202)
                .extract().path("results[0].actionId");
        await().atMost(Duration.ofSeconds(60)).until(() -> find(actionId).isPresent());
        assertTrue(find(actionId).isPresent());
    }
}

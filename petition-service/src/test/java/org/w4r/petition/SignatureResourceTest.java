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

    /**
     * Action ids are UUIDs of version 7 (ActionIds): the millisecond they were made first, so each action table's
     * inserts go to one place of its index, not all over it; and random in the rest even within one millisecond, so one
     * id does not name its neighbours.
     */
    @Test
    void actionIdsAreTimeOrderedAndRandomWithinTheirMillisecond() {
        long before = System.currentTimeMillis();
        String signed = post(entityKey("ai-france"), body("v7-" + UUID.randomUUID() + "@example.org", "el-hiblu-3"))
                .statusCode(202).extract().path("results[0].actionId");
        String letter = ActionKindsTest.post("ai-france", "/api/v1/actions", "{\"caseId\":\"el-hiblu-3\",\"type\":\"letter\"}")
                .statusCode(202).extract().path("results[0].actionId");
        String message = ActionKindsTest.post("ai-france", "/api/v1/messages",
                "{\"caseId\":\"el-hiblu-3\",\"author\":{\"name\":\"Léa\",\"country\":\"FR\"},\"text\":\"Courage\"}")
                .statusCode(202).extract().path("results[0].actionId");
        long after = System.currentTimeMillis();
        long previous = before;
        for (String id : List.of(signed, letter, message)) {
            UUID uuid = UUID.fromString(id);
            assertEquals(7, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            long made = uuid.getMostSignificantBits() >>> 16;
            assertTrue(made >= previous && made <= after, id + " made at " + made + ", not in [" + previous + ", " + after + "]");
            previous = made;
        }

        // twenty signatures of one batch get their ids in one loop, mostly within one millisecond
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            items.append(i == 0 ? "" : ",").append("{\"id\":\"s").append(i).append("\",\"kind\":\"signature\",\"body\":")
                    .append(body("v7-" + i + "-" + UUID.randomUUID() + "@example.org", "el-hiblu-3")).append('}');
        }
        List<String> ids = ActionKindsTest.post("ai-france", "/api/v1/batches", "{\"items\":[" + items + "]}").statusCode(200)
                .body("accepted", equalTo(20)).extract().path("results.collect { it.result.results[0].actionId }");
        List<UUID> batch = ids.stream().map(UUID::fromString).sorted().toList();
        int sameMillisecond = 0;
        for (int i = 1; i < batch.size(); i++) {
            UUID a = batch.get(i - 1), b = batch.get(i);
            if (a.getMostSignificantBits() >>> 16 == b.getMostSignificantBits() >>> 16) {
                sameMillisecond++;
                // a counter within the millisecond (JUG's timeBasedEpochGenerator) would make b = a + 1
                long apart = Math.abs((b.getMostSignificantBits() & 0xfff) - (a.getMostSignificantBits() & 0xfff))
                        + Math.abs((b.getLeastSignificantBits() >>> 20) - (a.getLeastSignificantBits() >>> 20));
                assertTrue(apart > 0, a + " and " + b + " are neighbours");
            }
        }
        assertTrue(sameMillisecond > 0, "no two ids of the batch share a millisecond: " + batch);
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

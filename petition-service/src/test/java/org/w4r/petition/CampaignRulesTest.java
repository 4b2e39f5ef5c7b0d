package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.CampaignChanged;
import org.w4r.events.Events;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/** The campaign window, entity extensions, case status and local cases, as case-service publishes them. */
@QuarkusTest
@WithPlatformResources
class CampaignRulesTest {
    static final Instant NOW = Instant.now();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    AgroalDataSource db;

    String campaign, closedCase, draftCase, localCase, franceOnly;

    void publish(String topic, String key, Object event) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, topic, key, event);
        }
    }

    CaseChanged caseOf(String caseId, String campaignId, String status, String scope, String localEntity) {
        return new CaseChanged(UUID.randomUUID(), caseId, campaignId, caseId, "AR", "Authorities", scope, localEntity,
                null, status, true, null, ReferenceFixtures.version(), NOW);
    }

    @BeforeEach
    void referenceData() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        campaign = "ended-" + suffix;
        // ended yesterday; France was granted two more weeks
        publish(Topics.CAMPAIGNS, campaign, new CampaignChanged(UUID.randomUUID(), campaign, "Ended", NOW.minus(Duration.ofDays(60)),
                NOW.minus(Duration.ofDays(1)), false, List.of(new CampaignChanged.Extension("ai-france", NOW.plus(Duration.ofDays(14)))), NOW));
        closedCase = "closed-" + suffix;
        draftCase = "draft-" + suffix;
        localCase = "local-" + suffix;
        franceOnly = "ext-" + suffix;
        publish(Topics.CASES, closedCase, caseOf(closedCase, ReferenceFixtures.CAMPAIGN, "closed", "global", null));
        publish(Topics.CASES, draftCase, caseOf(draftCase, ReferenceFixtures.CAMPAIGN, "draft", "global", null));
        publish(Topics.CASES, localCase, caseOf(localCase, ReferenceFixtures.CAMPAIGN, "active", "local", "ai-malta"));
        publish(Topics.CASES, franceOnly, caseOf(franceOnly, campaign, "active", "global", null));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(entityKey("ai-malta")).contentType(ContentType.JSON)
                .body("{\"caseId\":\"" + franceOnly + "\",\"type\":\"tweet\"}").post("/api/v1/actions").then().statusCode(422));
    }

    static ValidatableResponse action(String entity, String body) {
        return given().auth().oauth2(entityKey(entity)).contentType(ContentType.JSON).body(body).post("/api/v1/actions").then();
    }

    @Test
    void outsideTheWindowIsRefusedUnlessTheEntityHasAnExtension() {
        action("ai-malta", "{\"caseId\":\"" + franceOnly + "\",\"type\":\"tweet\"}").statusCode(422)
                .contentType("application/problem+json").body("type", containsString("outside-campaign-window"));
        action("ai-france", "{\"caseId\":\"" + franceOnly + "\",\"type\":\"tweet\"}").statusCode(202);
        action("ai-france", "{\"caseId\":\"" + franceOnly + "\",\"type\":\"tweet\",\"occurredAt\":\""
                + NOW.minus(Duration.ofDays(90)) + "\"}").statusCode(422).body("type", containsString("outside-campaign-window"));
    }

    @Test
    void anActionWithoutACaseMayNameItsCampaign() {
        String late = action("ai-france", "{\"type\":\"letter\",\"campaignId\":\"" + campaign + "\"}").statusCode(202)
                .extract().path("results[0].actionId");
        // counted for the campaign it named (last year's edition), not for the current one
        ActionRecorded recorded = (ActionRecorded) Events.fromJson(await().atMost(Duration.ofSeconds(60))
                .until(() -> Stream.containing(Topics.ACTIONS, late), r -> !r.isEmpty()).get(0).value(), ActionEvent.class);
        assertEquals(campaign, recorded.campaignId());
        assertNull(recorded.caseId());
        assertEquals("entity:ai-france", Stream.containing(Topics.ACTIONS, late).get(0).key());
        assertEquals(campaign, Effects.one(db, "select campaign_id from online_action where action_id = '" + late + "'"));
        action("ai-malta", "{\"type\":\"letter\",\"campaignId\":\"" + campaign + "\"}").statusCode(422)
                .body("campaignId", equalTo(campaign));
        action("ai-malta", "{\"type\":\"letter\",\"campaignId\":\"no-such-campaign\"}").statusCode(404);
        action("ai-france", "{\"type\":\"letter\",\"caseId\":\"el-hiblu-3\",\"campaignId\":\"" + campaign + "\"}")
                .statusCode(422).body("type", containsString("case-of-another-campaign"));
    }

    @Test
    void draftAndClosedCasesTakeNoActions() {
        action("ai-malta", "{\"caseId\":\"" + closedCase + "\",\"type\":\"letter\"}").statusCode(422)
                .body("caseStatus", equalTo("closed"));
        given().auth().oauth2(entityKey("ai-malta")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body("d-" + UUID.randomUUID() + "@example.org", draftCase))
                .post("/api/v1/signatures").then().statusCode(422).body("caseStatus", equalTo("draft"));
    }

    /**
     * A retry whose checks now refuse it (its case closed since) is answered with the answer stored under its key, not
     * the refusal: the caller's first request was counted. The lookup is the signature path's one database read, done
     * off the event loop; a new key on the closed case is refused as any signature is.
     */
    @Test
    void aSignatureRetriedAfterItsCaseClosedGetsItsFirstAnswerAndANewKeyTheRefusal() {
        String caseId = "closing-" + UUID.randomUUID().toString().substring(0, 8);
        publish(Topics.CASES, caseId, caseOf(caseId, ReferenceFixtures.CAMPAIGN, "active", "global", null));
        String body = SignatureResourceTest.body("r-" + UUID.randomUUID() + "@example.org", caseId);
        String key = UUID.randomUUID().toString();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> sign(key, body).then().statusCode(202));
        String actionId = sign(key, body).then().statusCode(202).header("Idempotent-Replayed", "true")
                .extract().path("results[0].actionId");
        publish(Topics.CASES, caseId, caseOf(caseId, ReferenceFixtures.CAMPAIGN, "closed", "global", null));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> sign(null, body).then().statusCode(422));

        sign(key, body).then().statusCode(202).header("Idempotent-Replayed", "true")
                .body("results[0].actionId", equalTo(actionId));
        sign(UUID.randomUUID().toString(), body).then().statusCode(422).contentType("application/problem+json")
                .body("caseStatus", equalTo("closed"));
    }

    static io.restassured.response.Response sign(String key, String body) {
        var request = given().auth().oauth2(entityKey("ai-malta")).contentType(ContentType.JSON).body(body);
        return (key == null ? request : request.header("Idempotency-Key", key)).post("/api/v1/signatures");
    }

    @Test
    void aLocalCaseTakesActionsOnlyFromItsEntity() {
        action("ai-malta", "{\"caseId\":\"" + localCase + "\",\"type\":\"letter\"}").statusCode(202);
        action("ai-france", "{\"caseId\":\"" + localCase + "\",\"type\":\"letter\"}").statusCode(422)
                .body("type", containsString("case-of-another-entity"));
    }

    @Test
    void anActionFromTheFutureIsRefused() {
        action("ai-malta", "{\"caseId\":\"el-hiblu-3\",\"type\":\"letter\",\"occurredAt\":\""
                + NOW.plus(Duration.ofDays(1)) + "\"}").statusCode(400).body("field", equalTo("occurredAt"));
    }
}

package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.CampaignChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CampaignWindowTest extends RunningService {
    Map<String, CampaignChanged> campaignsOnTheStream() {
        return TopicReader.readAll(kafka, Topics.CAMPAIGNS).stream().collect(Collectors.toMap(ConsumerRecord::key,
                r -> Events.fromJson(r.value(), CampaignChanged.class), (a, b) -> b));
    }

    @Test
    void anExtensionLetsOneEntityGoOnAndIsPublished() {
        String id = CaseLifecycleTest.openCampaign();
        Instant later = Instant.now().plus(120, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"closesAt\":\"" + later + "\"}").put("/api/v1/campaigns/" + id + "/extensions/ai-france")
                .then().statusCode(200).body("extensions", hasSize(1))
                .body("extensions[0].entityId", equalTo("ai-france"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(List.of(new CampaignChanged.Extension("ai-france", later)),
                campaignsOnTheStream().get(id).extensions()));

        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"closesAt\":\"2000-01-01T00:00:00Z\"}").put("/api/v1/campaigns/" + id + "/extensions/ai-france")
                .then().statusCode(400).body("field", equalTo("closesAt"));
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"closesAt\":\"" + later + "\"}").put("/api/v1/campaigns/" + id + "/extensions/ai-nowhere")
                .then().statusCode(404);
        given().auth().oauth2(DemoCredentials.caseManager()).delete("/api/v1/campaigns/" + id + "/extensions/ai-france")
                .then().statusCode(204);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertTrue(campaignsOnTheStream().get(id).extensions().isEmpty()));
    }

    @Test
    void aWindowMustCloseAfterItOpensAndOneCampaignIsCurrent() {
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"campaignId\":\"backwards\",\"name\":\"x\",\"opensAt\":\"2021-01-31T00:00:00Z\",\"closesAt\":\"2020-10-01T00:00:00Z\"}")
                .post("/api/v1/campaigns").then().statusCode(400).body("field", equalTo("closesAt"));

        String id = CaseLifecycleTest.openCampaign();
        // the demo campaign being current is shared state every other test reads (the public case list): whatever
        // fails below, it is current again afterwards
        try {
            String demoRead = EditedSinceTest.etag("/api/v1/campaigns/w4r-demo");
            given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON).body("{\"current\":true}")
                    .patch("/api/v1/campaigns/" + id).then().statusCode(200).body("current", equalTo(true));
            assertNotEquals(demoRead, EditedSinceTest.etag("/api/v1/campaigns/w4r-demo"),
                    "ceasing to be current is a change of the campaign: a form read before it is out of date");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<String, CampaignChanged> stream = campaignsOnTheStream();
                assertTrue(stream.get(id).current());
                assertFalse(stream.get("w4r-demo").current(), "the previous current campaign says it no longer is");
            });
            given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/campaigns").then().statusCode(200)
                    .body("findAll { it.current }.campaignId", equalTo(List.of(id)));
        } finally {
            given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON).body("{\"current\":true}")
                    .patch("/api/v1/campaigns/w4r-demo").then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, CampaignChanged> stream = campaignsOnTheStream();
            assertTrue(stream.get("w4r-demo").current());
            assertFalse(stream.get(id).current());
        });
    }
}

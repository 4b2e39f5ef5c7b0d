package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.w4r.testsupport.ReferenceFixtures.CAMPAIGN;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

@QuarkusTest
class DeliveryCasesTest extends RunningService {
    @Test
    void healthyAndReadsTheCasesFromTheStream() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases").then().statusCode(200)
                .body("caseId", hasItems(ReferenceFixtures.CASES.toArray()));
        given().auth().oauth2(ReferenceFixtures.entityKey("ai-france")).get("/api/v1/cases").then().statusCode(403);
    }

    @Test
    void aCaseChangeOnTheStreamReachesThisService() {
        String caseId = "case-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, Topics.CASES, caseId, new CaseChanged(UUID.randomUUID(), caseId, CAMPAIGN,
                    "A case", "MM", "Authorities", "global", null, 10L, "active", true,
                    new CaseChanged.Hold(7, Instant.now()), ReferenceFixtures.version(), Instant.now()));
        }
        await().untilAsserted(() -> given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId)
                .then().statusCode(200).body("onHold", equalTo(true)).body("hold.holdId", equalTo(7)));
    }
}

package org.w4r.tally;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.w4r.events.ActionEvent;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.ReferenceFixtures;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** Publishing helpers for the tally tests; each test that changes reference data uses its own campaign or cases. */
final class TallyFixtures {
    private TallyFixtures() {
    }

    static String kafka() {
        return KafkaBroker.bootstrapServers();
    }

    static void publish(String topic, Collection<?> events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka(), "acks", "all", "linger.ms", "5"),
                new StringSerializer(), new StringSerializer())) {
            for (Object event : events) {
                String key = event instanceof ActionEvent a ? a.key()
                        : event instanceof org.w4r.events.DeliveryEvent d ? d.caseId()
                        : event instanceof CaseChanged c ? c.caseId()
                        : event instanceof CampaignChanged c ? c.campaignId()
                        : event instanceof org.w4r.events.EntityChanged e ? e.entityId() : null;
                ReferenceFixtures.send(producer, topic, key, event);
            }
        }
    }

    static void publishActions(Collection<? extends ActionEvent> events) {
        publish(Topics.ACTIONS, events);
    }

    /** A campaign that is not current, so the fixtures' current campaign stays the default of every query. */
    static void publishCampaign(String campaignId, Instant opensAt) {
        publish(Topics.CAMPAIGNS, List.of(new CampaignChanged(UUID.randomUUID(), campaignId, campaignId, opensAt,
                opensAt.plus(Duration.ofDays(120)), false, List.of(), Instant.now())));
        // the first test after start-up also waits for the credentials to be read: more than the default 10 s on a busy machine
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(staffToken("coordinator"))
                .get("/api/v1/totals?campaign=" + campaignId).then().statusCode(200));
    }

    static CaseChanged caseOf(String caseId, String campaignId, long goal, boolean publicCounter, CaseChanged.Hold hold) {
        return new CaseChanged(UUID.randomUUID(), caseId, campaignId, "Name of " + caseId, "MT", "Authorities", "global",
                null, goal, "active", publicCounter, hold, ReferenceFixtures.version(), Instant.now());
    }
}

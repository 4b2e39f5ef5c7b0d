package org.w4r.tally;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Events;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBrokerResource;
import org.w4r.testsupport.PostgresDatabaseResource;
import org.w4r.testsupport.ReferenceDataResource;
import org.w4r.testsupport.TopicReader;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * An event the tally can never count (unreadable, or refused by the database) goes to {@code actions.dead-letter},
 * and the partition it sat on goes on: every valid event around it, and every one published after it, is counted.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ReferenceDataResource.class, scope = TestResourceScope.GLOBAL)
class PoisonEventTest {

    @Test
    void poisonActionsAreSetAsideAndThePartitionMovesOn() {
        String campaign = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        TallyFixtures.publishCampaign(campaign, Instant.parse("2026-12-01T00:00:00Z"));
        String caseId = campaign + "-case";

        List<String> before = List.of(valid(campaign, caseId, 3), valid(campaign, caseId, 5));
        String nullType = mutate(valid(campaign, caseId, 7), m -> m.put("type", null));
        String hugeCount = mutate(valid(campaign, caseId, 7), m -> m.put("count", BigInteger.TEN.pow(30)));
        String overflowing = mutate(valid(campaign, caseId, 7), m -> m.put("count", 1L << 62));
        // passes every contract check, but tally's columns are varchar(64): the database refuses it on every try
        String refused = valid(campaign, caseId + "-" + "x".repeat(80), 11);
        List<String> between = List.of(valid(campaign, caseId, 13));
        List<String> after = List.of(valid(campaign, caseId, 17), valid(campaign, caseId, 19));

        List<String> poison = List.of(nullType, hugeCount, overflowing, refused);
        List<String> all = new ArrayList<>(before);
        all.add(nullType);
        all.add(hugeCount);
        all.addAll(between);
        all.add(overflowing);
        all.add(refused);
        // one key, so everything sits on one partition behind the poison
        publishRaw(caseId, all);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(3 + 5 + 13, campaignTotal(campaign)));
        publishRaw(caseId, after);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(3 + 5 + 13 + 17 + 19, campaignTotal(campaign)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Set<String> deadLettered = TopicReader.readAll(TallyFixtures.kafka(), Topics.deadLetter(Topics.ACTIONS))
                    .stream().map(ConsumerRecord::value).filter(v -> v != null && v.contains(campaign))
                    .collect(Collectors.toSet());
            assertEquals(Set.copyOf(poison), deadLettered);
        });
        // nothing counted twice or late: the refused one never reached any total
        assertEquals(3 + 5 + 13 + 17 + 19, campaignTotal(campaign));
    }

    private static long campaignTotal(String campaign) {
        return given().auth().oauth2(staffToken("coordinator")).get("/api/v1/totals?campaign=" + campaign)
                .then().statusCode(200).extract().jsonPath().getLong("total");
    }

    private static String valid(String campaign, String caseId, long count) {
        Instant now = Instant.now();
        return Events.toJson(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), campaign, caseId, "ai-france",
                ActionType.LETTER, Mode.OFFLINE, count, now, now));
    }

    @SuppressWarnings("unchecked")
    private static String mutate(String json, Consumer<Map<String, Object>> change) {
        Map<String, Object> fields = new LinkedHashMap<>(Events.fromJson(json, Map.class));
        change.accept(fields);
        return Events.toJson(fields);
    }

    private static void publishRaw(String key, List<String> payloads) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TallyFixtures.kafka(), "acks", "all", "linger.ms", "5"),
                new StringSerializer(), new StringSerializer())) {
            for (String payload : payloads) {
                producer.send(new ProducerRecord<>(Topics.ACTIONS, key, payload));
            }
            producer.flush();
        }
    }
}

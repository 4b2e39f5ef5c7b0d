package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.delivery.messaging.StreamProgress;
import org.w4r.events.ActionType;
import org.w4r.events.Events;
import org.w4r.events.Topics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.delivery.Waiting.await;

/**
 * The count barrier with a second instance: partitions of 'actions' that another member of the group reads. It judged
 * them by the group's offsets committed to Kafka, which the throttled strategy commits up to 5 s after the batch's
 * transaction: as long as the barrier itself, so with two instances a large share of handovers were 503
 * counts-behind although every action was applied (found by a review, 6 Dec 2026). What was applied is
 * {@code consumer_progress}, written in that transaction and in this shared database.
 */
@QuarkusTest
class StreamProgressTest extends RunningService {
    @Inject
    StreamProgress progress;

    @ConfigProperty(name = "mp.messaging.incoming.actions.group.id")
    String group;

    @Test
    void anotherInstancesPartitionsAreJudgedByTheProgressStoredWithTheLedgerNotByLaggingCommittedOffsets()
            throws Exception {
        // everything on the count topics applied here first: only what this test publishes can be behind
        await().until(() -> progress.awaitApplied(List.of(Topics.ACTIONS, Topics.MODERATION), Duration.ofSeconds(1)));
        String clientId = "second-instance-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> other = secondInstance(clientId)) {
            TopicPartition taken = await().pollInSameThread().until(() -> {
                other.poll(Duration.ofMillis(100));
                return other.assignment();
            }, assigned -> !assigned.isEmpty()).iterator().next();
            String caseId = Streams.newCase(kafka);
            String id = Streams.plan(caseId, "petition");

            // an action on the other instance's partition, applied nowhere: the barrier waits, then refuses
            long end = publish(taken, Events.toJson(Streams.action("case-elsewhere-" + UUID.randomUUID(), "ai-malta",
                    ActionType.SIGNATURE, 1, Instant.now().minusSeconds(60)))) + 1;
            handover(id).statusCode(503).body("type", endsWith("/counts-behind"));
            assertEquals(0, handovers(id));
            // a solidarity handover counts reviews, not actions: an action behind does not hold it (it did until a
            // review of 6 December 2026: every handover waited for both topics)
            String solidarity = Streams.plan(caseId, "solidarity");
            handover(solidarity).statusCode(200).body("status", equalTo("delivered"));

            // the other instance applied it: its progress is committed with the ledger, its Kafka offset not yet
            storeProgress(taken, end);
            assertTrue(committed(taken) < end, "the group's committed offset lags");
            handover(id).statusCode(200).body("status", equalTo("delivered"));

            // a record the other instance set aside (the dead letter) is in no stored progress; the offset it commits
            // once it moved past it still counts, or that record would hold every handover for good
            String second = Streams.plan(caseId, "petition");
            long afterPoison = publish(taken, "{\"eventType\":\"ActionRecorded\",\"count\":\"not a count\"}") + 1;
            other.commitSync(Map.of(taken, new OffsetAndMetadata(afterPoison)));
            handover(second).statusCode(200).body("status", equalTo("delivered"));
        }
        // the group back to this instance alone, before the next test counts on it
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            await().until(() -> {
                ConsumerGroupDescription g = admin.describeConsumerGroups(Set.of(group)).all().get().get(group);
                return g.groupState() == GroupState.STABLE
                        && g.members().stream().noneMatch(m -> m.clientId().equals(clientId));
            });
        }
    }

    /** A member of this service's consumer group on 'actions', as a second instance would be; it never commits by itself. */
    private KafkaConsumer<String, String> secondInstance(String clientId) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka,
                "group.id", group, "client.id", clientId, "enable.auto.commit", "false",
                "auto.offset.reset", "earliest", "max.poll.records", "1"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.ACTIONS));
        return consumer;
    }

    /** Its offset. */
    private long publish(TopicPartition partition, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka,
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "elsewhere", value))
                    .get().offset();
        }
    }

    /** What service-kit's ConsumedBatches stores with a batch's effect: the partition's next offset to apply. */
    private void storeProgress(TopicPartition partition, long next) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into consumer_progress (topic, kafka_partition, next_offset, since_offset) values (?, ?, ?, ?)
                on conflict (topic, kafka_partition) do update set next_offset = excluded.next_offset""")) {
            ps.setString(1, partition.topic());
            ps.setInt(2, partition.partition());
            ps.setLong(3, next);
            ps.setLong(4, next);
            ps.executeUpdate();
        }
    }

    private long committed(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(partition);
            return offset == null ? 0 : offset.offset();
        }
    }

    private static ValidatableResponse handover(String id) {
        return given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                .post("/api/v1/deliveries/" + id + "/handover").then();
    }

    private long handovers(String id) {
        return Rows.number(db, "select count(*) from handover where delivery_id = ?::uuid", id);
    }
}

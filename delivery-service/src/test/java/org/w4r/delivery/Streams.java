package org.w4r.delivery;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.CaseChanged;
import org.w4r.events.MessageReviewed;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.hamcrest.Matchers.equalTo;
import static org.w4r.testsupport.ReferenceFixtures.CAMPAIGN;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** What the tests put on the real broker (as case-service, petition-service or moderation would) and common calls. */
final class Streams {
    private Streams() {
    }

    static void publish(String kafka, String topic, String key, Object... events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka, "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (Object event : events) {
                ReferenceFixtures.send(producer, topic, key, event);
            }
        }
    }

    /** Like {@link #publish}, for many events: sent together, then waited for once (a thousand one by one is slow). */
    static void publishAll(String kafka, String topic, String key, java.util.List<?> events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka, "acks", "all"), new StringSerializer(), new StringSerializer())) {
            java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (Object event : events) {
                sent.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key,
                        org.w4r.events.Events.toJson(event))));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** A record without a value: on a compacted topic, the key's removal. */
    static void tombstone(String kafka, String topic, String key) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka, "acks", "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, null)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    static CaseChanged caseState(String caseId, CaseChanged.Hold hold) {
        return caseState(caseId, hold, ReferenceFixtures.version());
    }

    static CaseChanged caseState(String caseId, CaseChanged.Hold hold, long version) {
        return new CaseChanged(UUID.randomUUID(), caseId, CAMPAIGN, "Case " + caseId, "MM", "Authorities of " + caseId,
                "global", null, 1000L, "active", true, hold, version, Instant.now());
    }

    /** A fresh case of the test campaign, visible to the service before this returns. */
    static String newCase(String kafka) {
        String caseId = "case-" + UUID.randomUUID().toString().substring(0, 8);
        publish(kafka, Topics.CASES, caseId, caseState(caseId, null));
        await().untilAsserted(() -> given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + caseId)
                .then().statusCode(200));
        return caseId;
    }

    /** A fresh case ({@link #newCase}) whose signer list, as petition-service exports it, names one signer. */
    static String newCaseSignedBy(String kafka, String nameAndCountry) {
        String caseId = newCase(kafka);
        PetitionStub.SIGNERS_CSV.put(caseId, "name,country\n" + nameAndCountry + "\n");
        return caseId;
    }

    /** Publishes a hold and returns at once: the service's barrier, not the test, must make it effective. */
    static void hold(String kafka, String caseId, long holdId) {
        publish(kafka, Topics.CASES, caseId, caseState(caseId, hold(holdId)));
    }

    static CaseChanged.Hold hold(long holdId) {
        return new CaseChanged.Hold(holdId, Instant.parse("2027-02-01T08:00:00Z"));
    }

    static void release(String kafka, String caseId) {
        publish(kafka, Topics.CASES, caseId, caseState(caseId, null));
    }

    static ActionRecorded action(String caseId, String entityId, ActionType type, long count, Instant occurredAt) {
        return new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), CAMPAIGN, caseId, entityId, type, Mode.ONLINE,
                count, occurredAt, Instant.now());
    }

    /** Solidarity messages of the case, one per entity named, written a second apart from {@code first} on. */
    static List<ActionRecorded> messages(String caseId, Instant first, String... entityIds) {
        return IntStream.range(0, entityIds.length).mapToObj(i ->
                action(caseId, entityIds[i], ActionType.MESSAGE, 1, first.plusSeconds(i))).toList();
    }

    static MessageReviewed review(ActionRecorded message, String decision, Instant reviewedAt) {
        return new MessageReviewed(UUID.randomUUID(), message.actionId(), CAMPAIGN, message.caseId(), message.entityId(),
                decision, message.occurredAt(), reviewedAt);
    }

    static String planBody(String caseId, String kind) {
        return """
                {"caseId":"%s","kind":"%s","recipient":{"kind":"embassy","name":"Embassy of Myanmar"},
                 "place":{"city":"Valletta","country":"MT"},"plannedFor":"2027-01-15T10:00:00Z"}""".formatted(caseId, kind);
    }

    static String plan(String caseId, String kind) {
        return given().auth().oauth2(staffToken("delivery")).contentType(ContentType.JSON).body(planBody(caseId, kind))
                .post("/api/v1/deliveries").then().statusCode(201).body("status", equalTo("planned"))
                .extract().path("id");
    }

    /** A plan of one entity's own handover: its counts, signers and messages alone, not the whole case's. */
    static String planForEntity(String caseId, String kind, String entityId) {
        return given().auth().oauth2(staffToken("delivery")).contentType(ContentType.JSON)
                .body(planBody(caseId, kind).replace("\"place\"", "\"entityId\":\"" + entityId + "\",\"place\""))
                .post("/api/v1/deliveries").then().statusCode(201).extract().path("id");
    }

    /** Records the handover of the planned delivery {@code id} with this cut-off; its answer, a 200. */
    static ValidatableResponse handOver(String id, Instant cutoff) {
        return given().auth().oauth2(staffToken("delivery")).contentType(ContentType.JSON).body(handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200);
    }

    /** A petition delivery of the case, planned and handed over now; its id. */
    static String handedOver(String caseId) {
        String id = plan(caseId, "petition");
        handOver(id, Instant.now());
        return id;
    }

    /**
     * A cut-off a few seconds back, in whole seconds as a handover records it: actions published at or before it are
     * in the pack, and the test's own clock and the service's cannot disagree about which side "now" is on.
     */
    static Instant recentCutoff() {
        return Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
    }

    static String handoverBody(Instant cutoff) {
        return """
                {"deliveredAt":"%s","cutoff":"%s","deliveredBy":"Team Malta","notes":"handed to the consul",
                 "evidence":["https://example.org/photo.jpg"]}""".formatted(cutoff, cutoff);
    }
}

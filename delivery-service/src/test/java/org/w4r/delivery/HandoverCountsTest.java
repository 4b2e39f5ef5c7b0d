package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w4r.delivery.messaging.StreamProgress;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.DeliveryEvent;
import org.w4r.events.Events;
import org.w4r.events.HandoverRecorded;
import org.w4r.events.MessageReviewed;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.CAMPAIGN;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * End to end through Kafka: actions on the stream (shuffled, duplicated, corrected, some after the cut-off), a handover
 * with a cut-off, and frozen counts equal to the ground truth at the cut-off, by entity and by type, forever after.
 */
@QuarkusTest
class HandoverCountsTest extends RunningService {
    @Inject
    StreamProgress progress;

    /** The ground truth: what every count up to the cut-off must be, per entity and per type. */
    record Truth(long total, Map<String, Long> byEntity, Map<String, Long> byType) {
        static Truth of(List<? extends ActionEvent> events, Instant cutoff) {
            Map<String, Long> byEntity = new TreeMap<>();
            Map<String, Long> byType = new TreeMap<>();
            long total = 0;
            for (ActionEvent e : events) {
                if (!e.occurredAt().isAfter(cutoff)) {
                    byEntity.merge(e.entityId(), e.countChange(), Long::sum);
                    byType.merge(e.type().code(), e.countChange(), Long::sum);
                    total += e.countChange();
                }
            }
            byEntity.values().removeIf(v -> v == 0);
            byType.values().removeIf(v -> v == 0);
            return new Truth(total, byEntity, byType);
        }
    }

    @Test
    void frozenCountsEqualTheTruthAtTheCutoffAndNeverChange() {
        String caseId = Streams.newCase(kafka);
        String otherCase = Streams.newCase(kafka);
        Instant cutoff = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        Random random = new Random(42);
        List<String> entities = List.of("ai-france", "ai-malta", "international-members");
        List<ActionType> types = List.of(ActionType.SIGNATURE, ActionType.LETTER, ActionType.EMAIL, ActionType.TWEET);
        List<ActionEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // half before the cut-off, half after, one exactly at it
            Instant at = i == 0 ? cutoff : cutoff.plusSeconds(random.nextInt(7200) - 3600L);
            ActionType type = types.get(random.nextInt(types.size()));
            events.add(Streams.action(caseId, entities.get(random.nextInt(entities.size())), type,
                    type == ActionType.LETTER ? 1 + random.nextInt(500) : 1, at));
        }
        ActionRecorded letters = Streams.action(caseId, "ai-malta", ActionType.LETTER, 1250, cutoff.minusSeconds(60));
        events.add(letters);
        events.add(new ActionCorrected(UUID.randomUUID(), letters.actionId(), CAMPAIGN, caseId, "ai-malta",
                ActionType.LETTER, Mode.OFFLINE, -50, letters.occurredAt(), Instant.now()));
        Truth truth = Truth.of(events, cutoff);

        List<ActionEvent> stream = new ArrayList<>(events);
        stream.addAll(events.subList(0, 40)); // duplicates, as an outbox relay re-sending after a crash would
        stream.add(Streams.action(otherCase, "ai-france", ActionType.SIGNATURE, 7, cutoff.minusSeconds(5)));
        stream.add(Streams.action(null, "ai-france", ActionType.TWEET, 3, cutoff.minusSeconds(5)));
        Collections.shuffle(stream, random);
        publishActions(stream);

        // wait until this service has seen every event (its preview of the cut-off equals the truth), then record
        await().untilAsserted(() -> assertCounts(counts(caseId, cutoff, "petition"), truth));
        String id = Streams.plan(caseId, "petition");
        JsonPath recorded = given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200)
                .body("status", equalTo("delivered")).body("handover.cutoff", equalTo(cutoff.toString()))
                .body("handover.deliveredBy", equalTo("Team Malta"))
                .body("handover.evidence[0]", equalTo("https://example.org/photo.jpg"))
                .body("handover.recordedBy", equalTo("test-delivery"))
                .extract().jsonPath().setRootPath("handover");
        assertCounts(recorded, truth);

        // the event carries the same frozen counts, and ids only
        ConsumerRecord<String, String> record = await().until(() -> TopicReader.readAll(kafka, Topics.DELIVERIES).stream()
                .filter(r -> r.value().contains(id) && r.value().contains("HandoverRecorded")).findFirst(),
                Optional::isPresent).orElseThrow();
        assertEquals(caseId, record.key());
        HandoverRecorded event = (HandoverRecorded) Events.fromJson(record.value(), DeliveryEvent.class);
        assertEquals(truth.total(), event.total());
        assertEquals(truth.byEntity(), new TreeMap<>(event.byEntity()));
        assertEquals(truth.byType(), new TreeMap<>(event.byType()));
        assertEquals(cutoff, event.cutoff());
        assertFalse(record.value().contains("Team Malta") || record.value().contains("Embassy"), record.value());

        // late arrivals, before and after the cut-off, change the live counts but never the frozen ones
        List<ActionEvent> late = List.of(Streams.action(caseId, "ai-france", ActionType.SIGNATURE, 1, cutoff.minusSeconds(30)),
                Streams.action(caseId, "ai-malta", ActionType.LETTER, 99, cutoff.minusSeconds(1)),
                Streams.action(caseId, "ai-france", ActionType.EMAIL, 1, cutoff.plusSeconds(1)));
        publishActions(late);
        List<ActionEvent> all = new ArrayList<>(events);
        all.addAll(late);
        await().untilAsserted(() -> assertCounts(counts(caseId, cutoff, "petition"), Truth.of(all, cutoff)));
        assertCounts(given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().statusCode(200)
                .extract().jsonPath().setRootPath("handover"), truth);
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(409).body("type", endsWith("/not-planned"));
        // one handover event, however often it was asked for, and none for the refused second handover
        String marker = Streams.plan(caseId, "petition");
        assertEquals(List.of(DeliveryTopic.planned(id), DeliveryTopic.handedOver(id), DeliveryTopic.planned(marker)),
                DeliveryTopic.beforeMarker(kafka, caseId, marker));
    }

    @Test
    void actionsAlreadyOnKafkaWhenTheHandoverIsRequestedAreAllFrozenWithoutWaiting() {
        // repeated, so a handover that froze a lagging ledger would miss some at least once
        for (int round = 0; round < 3; round++) {
            String caseId = Streams.newCase(kafka);
            String id = Streams.plan(caseId, "petition");
            Instant cutoff = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<ActionEvent> events = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                events.add(Streams.action(caseId, i % 2 == 0 ? "ai-france" : "ai-malta",
                        i % 3 == 0 ? ActionType.LETTER : ActionType.SIGNATURE, 1 + i % 7, cutoff.minusSeconds(1 + i)));
            }
            publishActions(events);
            // no waiting for the service to count them: the handover itself must
            JsonPath recorded = given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)
                    .body(Streams.handoverBody(cutoff)).post("/api/v1/deliveries/" + id + "/handover")
                    .then().statusCode(200).extract().jsonPath().setRootPath("handover");
            assertCounts(recorded, Truth.of(events, cutoff));
        }
    }

    @Test
    void aDeliveryForOneEntityFreezesOnlyThatEntitysCounts() {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
        publishActions(List.of(Streams.action(caseId, "ai-malta", ActionType.SIGNATURE, 1, cutoff.minusSeconds(5)),
                Streams.action(caseId, "ai-malta", ActionType.LETTER, 40, cutoff.minusSeconds(5)),
                Streams.action(caseId, "ai-france", ActionType.LETTER, 60, cutoff.minusSeconds(5))));
        await().untilAsserted(() -> assertEquals(101L, counts(caseId, cutoff, "petition").getLong("total")));
        String id = given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)
                .body(Streams.planBody(caseId, "petition").replace("\"place\"", "\"entityId\":\"ai-malta\",\"place\""))
                .post("/api/v1/deliveries").then().statusCode(201).extract().path("id");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200)
                .body("handover.total", equalTo(41)).body("handover.byEntity", equalTo(Map.of("ai-malta", 41)))
                .body("handover.byType", equalTo(Map.of("letter", 40, "signature", 1)));
    }

    @Test
    void aSolidarityHandoverCountsOnlyApprovedMessagesWhateverTheOrderOfReviews() {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        Instant t = Instant.now();
        ActionRecorded approved1 = Streams.action(caseId, "ai-france", ActionType.MESSAGE, 1, cutoff.minusSeconds(100));
        ActionRecorded approved2 = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.minusSeconds(50));
        ActionRecorded rejected = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.minusSeconds(40));
        ActionRecorded reconsidered = Streams.action(caseId, "ai-france", ActionType.MESSAGE, 1, cutoff.minusSeconds(30));
        ActionRecorded unreviewed = Streams.action(caseId, "ai-france", ActionType.MESSAGE, 1, cutoff.minusSeconds(20));
        ActionRecorded afterCutoff = Streams.action(caseId, "ai-france", ActionType.MESSAGE, 1, cutoff.plusSeconds(20));
        // reviews before their messages, and the later decision published first
        MessageReviewed first = Streams.review(reconsidered, MessageReviewed.APPROVED, t.minusSeconds(10));
        MessageReviewed second = Streams.review(reconsidered, MessageReviewed.REJECTED, t.minusSeconds(5));
        Streams.publish(kafka, Topics.MODERATION, caseId, second,
                Streams.review(approved1, MessageReviewed.APPROVED, t), Streams.review(approved2, MessageReviewed.APPROVED, t),
                Streams.review(rejected, MessageReviewed.REJECTED, t), first,
                Streams.review(afterCutoff, MessageReviewed.APPROVED, t),
                Streams.review(approved1, MessageReviewed.APPROVED, t));
        publishActions(List.of(approved1, approved2, rejected, reconsidered, unreviewed, afterCutoff,
                Streams.action(caseId, "ai-france", ActionType.SIGNATURE, 1, cutoff.minusSeconds(5))));

        // the last review on the topic counted means every review before it was applied
        await().untilAsserted(() -> assertEquals(3L, counts(caseId, cutoff.plusSeconds(30), "solidarity").getLong("total")));
        assertEquals(2L, counts(caseId, cutoff, "solidarity").getLong("total"));
        String id = Streams.plan(caseId, "solidarity");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200)
                .body("handover.total", equalTo(2))
                .body("handover.byEntity", equalTo(Map.of("ai-france", 1, "ai-malta", 1)))
                .body("handover.byType", equalTo(Map.of("message", 2)));
    }

    /**
     * An approved message that a bulk invalidation took out of the counts (petition-service, since 7 December 2026) leaves
     * a solidarity handover's count until the invalidation is reversed; one whose correction came before its approval
     * stays out. Before, the count read the reviews alone, and an invalidated message stayed frozen into a handover.
     */
    @Test
    void aMessageTakenOutOfTheCountsLeavesASolidarityHandoverUntilPutBack() {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        Instant t = Instant.now();
        List<ActionRecorded> written = Streams.messages(caseId, cutoff.minusSeconds(100), "ai-france", "ai-malta",
                "ai-france", "ai-france", "ai-france");
        ActionRecorded m1 = written.get(0), m2 = written.get(1), m3 = written.get(2), m5 = written.get(3), m6 = written.get(4);
        publishActions(written);
        Streams.publish(kafka, Topics.MODERATION, caseId, Streams.review(m1, MessageReviewed.APPROVED, t),
                Streams.review(m2, MessageReviewed.APPROVED, t), Streams.review(m3, MessageReviewed.APPROVED, t));
        await().untilAsserted(() -> assertEquals(3L, counts(caseId, cutoff, "solidarity").getLong("total")));

        // an invalidation of m1, m3 and the pending m5 (one partition: m5's correction is applied before the others')
        publishActions(List.of(correction(m5, -1), correction(m1, -1), correction(m3, -1)));
        await().untilAsserted(() -> assertEquals(1L, counts(caseId, cutoff, "solidarity").getLong("total")));

        // m5 approved after it was taken out, m1 put back by a reversal that left m3 out (rejected as abuse meanwhile)
        publishActions(List.of(correction(m1, 1)));
        Streams.publish(kafka, Topics.MODERATION, caseId, Streams.review(m5, MessageReviewed.APPROVED, t),
                Streams.review(m6, MessageReviewed.APPROVED, t));
        await().until(() -> progress.awaitApplied(List.of(Topics.ACTIONS, Topics.MODERATION), Duration.ofSeconds(1)));
        String id = Streams.plan(caseId, "solidarity");
        // m1 back, m5 and m3 out, m6 in
        assertEquals(3L, counts(caseId, cutoff, "solidarity").getLong("total"));
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200)
                .body("handover.total", equalTo(3))
                .body("handover.byEntity", equalTo(Map.of("ai-france", 2, "ai-malta", 1)))
                .body("handover.byType", equalTo(Map.of("message", 3)));
    }

    static ActionCorrected correction(ActionRecorded message, long delta) {
        return new ActionCorrected(UUID.randomUUID(), message.actionId(), message.campaignId(), message.caseId(),
                message.entityId(), message.type(), message.mode(), delta, message.occurredAt(), Instant.now());
    }

    /**
     * deliveredAt comes from the browser's clock, allowed 5 minutes ahead of the server's. A handover recorded "now"
     * without a cut-off took deliveredAt as its cut-off, which was then in the future for the server: a browser a
     * couple of seconds ahead got 400 "'cutoff' must not be in the future". The default is now the server's now.
     */
    @Test
    void aHandoverFromABrowserAheadOfTheServerWithoutACutoffIsFrozenAtTheServersNow() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        // the browser's clock a minute ahead: within the skew allowed, and ahead however slow this run is
        Instant before = Instant.now();
        Instant browserNow = before.plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        String cutoff = given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)
                .body("{\"deliveredAt\":\"%s\",\"deliveredBy\":\"Team Malta\"}".formatted(browserNow))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200)
                .body("handover.deliveredAt", equalTo(browserNow.toString())).extract().path("handover.cutoff");
        Instant after = Instant.now();
        // the server's clock when it recorded the handover: after the request was sent, before the answer came back
        Instant frozenAt = Instant.parse(cutoff);
        assertTrue(!frozenAt.isBefore(before.truncatedTo(ChronoUnit.MICROS)) && !frozenAt.isAfter(after),
                before + " <= " + frozenAt + " <= " + after);
        // a deliveredAt in the server's past is still the default cut-off, as it was
        String earlier = Streams.plan(caseId, "petition");
        Instant deliveredAt = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)
                .body("{\"deliveredAt\":\"%s\",\"deliveredBy\":\"Team Malta\"}".formatted(deliveredAt))
                .post("/api/v1/deliveries/" + earlier + "/handover").then().statusCode(200)
                .body("handover.cutoff", equalTo(deliveredAt.toString()));
    }

    /**
     * An instant is read at the microsecond, the grain PostgreSQL keeps. Until a read-only review (6 December 2026) a
     * cut-off sent to the nanosecond was kept as sent in {@code HandoverRecorded}, the audit entry and the rules, while
     * PgJDBC rounded it when binding: {@code 23:59:59.999999500Z} was stored, and counted, as the next day's
     * {@code 00:00:00Z}, so an action at midnight was frozen into a handover whose event said its cut-off was before it.
     */
    @Test
    void aCutoffSentToTheNanosecondIsCountedStoredPublishedAndAuditedAsOneInstant() {
        String caseId = Streams.newCase(kafka);
        Instant midnight = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant lastMicro = midnight.minusNanos(1000);
        publishActions(List.of(Streams.action(caseId, "ai-malta", ActionType.LETTER, 3, lastMicro),
                Streams.action(caseId, "ai-malta", ActionType.LETTER, 40, midnight)));
        await().untilAsserted(() -> assertEquals(43L, counts(caseId, midnight, "petition").getLong("total")));
        String id = Streams.plan(caseId, "petition");
        String cutoff = midnight.minusNanos(500).toString();      // 23:59:59.999999500Z
        String deliveredAt = midnight.minusNanos(1).toString();   // 23:59:59.999999999Z
        JsonPath recorded = given().auth().oauth2(DELIVERY).contentType(ContentType.JSON)
                .body("{\"deliveredAt\":\"%s\",\"cutoff\":\"%s\",\"deliveredBy\":\"Team Malta\"}".formatted(deliveredAt, cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200)
                .extract().jsonPath().setRootPath("handover");
        assertEquals(lastMicro.toString(), recorded.getString("cutoff"), "the cut-off stored");
        assertEquals(lastMicro.toString(), recorded.getString("deliveredAt"), "the handover's time stored");
        assertEquals(3L, recorded.getLong("total"), "the action at midnight is after the cut-off");

        ConsumerRecord<String, String> record = await().until(() -> TopicReader.readAll(kafka, Topics.DELIVERIES).stream()
                .filter(r -> r.value().contains(id) && r.value().contains("HandoverRecorded")).findFirst(),
                Optional::isPresent).orElseThrow();
        HandoverRecorded event = (HandoverRecorded) Events.fromJson(record.value(), DeliveryEvent.class);
        assertEquals(Instant.parse(recorded.getString("cutoff")), event.cutoff(), "the event's cut-off is the stored one");
        assertEquals(Instant.parse(recorded.getString("deliveredAt")), event.deliveredAt(),
                "the event's handover time is the stored one");
        assertEquals(Instant.parse(recorded.getString("recordedAt")), event.recordedAt(),
                "the event's record time is the stored one");
        assertEquals(3L, event.total());
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?subjectId=" + id).then().statusCode(200)
                .body("entries.find { it.action == 'delivery.handed-over' }.detail.cutoff", equalTo(lastMicro.toString()))
                .body("entries.find { it.action == 'delivery.handed-over' }.detail.deliveredAt", equalTo(lastMicro.toString()));
    }

    @Test
    void badHandoversAre400AndRecordNothing() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        Instant now = Instant.now();
        expect400(id, "{\"deliveredBy\":\"x\"}", "deliveredAt");
        expect400(id, Streams.handoverBody(now).replace("Team Malta", ""), "deliveredBy");
        expect400(id, Streams.handoverBody(now.plus(Duration.ofDays(2))), "deliveredAt");
        expect400(id, "{\"deliveredAt\":\"%s\",\"cutoff\":\"%s\",\"deliveredBy\":\"x\"}"
                .formatted(now.minusSeconds(60), now), "cutoff");
        expect400(id, Streams.handoverBody(now).replace("https://example.org/photo.jpg", "javascript:alert(1)"), "evidence");
        expect400(id, Streams.handoverBody(now).replace(now.toString(), "yesterday"), "deliveredAt");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).post("/api/v1/deliveries/" + id + "/handover")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(staffToken("coordinator")).contentType(ContentType.JSON).body(Streams.handoverBody(now))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(403);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().body("status", equalTo("planned"));
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(now))
                .post("/api/v1/deliveries/" + UUID.randomUUID() + "/handover").then().statusCode(404);
        String marker = Streams.plan(caseId, "petition");
        assertEquals(List.of(DeliveryTopic.planned(id), DeliveryTopic.planned(marker)),
                DeliveryTopic.beforeMarker(kafka, caseId, marker));
    }

    /**
     * An entity may post offline counts of up to 1,000,000 each, as many as it likes, and the ledger sums them; the
     * event contract takes at most 1,000,000,000 in a frozen figure. Past it the handover was inserted, then
     * {@code HandoverRecorded} refused to be built: rolled back, and answered 500 (a bug) on every retry (found by a
     * review, 6 Dec 2026). Now a 422 naming the figures, before anything is written; the pack preview of the same plan
     * says the same, and the counts preview still shows the figures staff must correct.
     */
    @Test
    void countsPastTheEventContractsBoundAre422NamingTheFigureAndRecordNothing() {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        List<ActionEvent> reports = new ArrayList<>();
        int reportsPastTheBound = (int) (Events.MAX_FROZEN_COUNT / Events.MAX_COUNT) + 1;
        for (int i = 0; i < reportsPastTheBound; i++) {
            reports.add(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), CAMPAIGN, caseId, "ai-malta",
                    ActionType.LETTER, Mode.OFFLINE, Events.MAX_COUNT, cutoff.minusSeconds(1 + i % 30), Instant.now()));
        }
        reports.add(Streams.action(caseId, "ai-france", ActionType.SIGNATURE, 1, cutoff.minusSeconds(5)));
        Streams.publishAll(kafka, Topics.ACTIONS, caseId, reports);
        long malta = reportsPastTheBound * Events.MAX_COUNT;
        await().untilAsserted(() -> assertEquals(malta + 1, counts(caseId, cutoff, "petition").getLong("total")));
        assertEquals(malta, counts(caseId, cutoff, "petition").getLong("byEntity.ai-malta"));

        String id = Streams.plan(caseId, "petition");
        for (int attempt = 0; attempt < 2; attempt++) {
            given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                    .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(422)
                    .contentType("application/problem+json").body("type", endsWith("/counts-out-of-range"))
                    .body("figures", equalTo(List.of("total", "byEntity.ai-malta", "byType.letter")))
                    .body("max", equalTo((int) Events.MAX_FROZEN_COUNT));
        }
        int asked = PetitionStub.REQUESTS.size();
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack-preview?until=" + cutoff)
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("/counts-out-of-range")).body("figures", equalTo(List.of("total",
                        "byEntity.ai-malta", "byType.letter")));
        assertEquals(asked, PetitionStub.REQUESTS.size(), "petition-service not asked for a pack that cannot be handed over");

        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().statusCode(200)
                .body("status", equalTo("planned"));
        assertEquals(0, Rows.number(db, "select count(*) from handover where delivery_id = ?::uuid", id));
        assertEquals(0, Rows.number(db, "select count(*) from pack_preview where delivery_id = ?::uuid", id));
        assertEquals(0, Rows.number(db, """
                select count(*) from (select payload from outbox union all select unnest(payloads) from outbox) e (v)
                where v like ?""", "%HandoverRecorded%" + id + "%"), "no HandoverRecorded in the outbox");
        String marker = Streams.plan(caseId, "petition");
        assertEquals(List.of(DeliveryTopic.planned(id), DeliveryTopic.planned(marker)),
                DeliveryTopic.beforeMarker(kafka, caseId, marker));
    }

    private void expect400(String id, String body, String field) {
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(body)
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo(field));
    }

    static JsonPath counts(String caseId, Instant until, String kind) {
        return given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId + "/counts?until=" + until + "&kind=" + kind)
                .then().statusCode(200).extract().jsonPath();
    }

    static void assertCounts(JsonPath json, Truth truth) {
        assertEquals(truth.total(), json.getLong("total"));
        assertEquals(truth.byEntity(), longs(json.getMap("byEntity")));
        assertEquals(truth.byType(), longs(json.getMap("byType")));
    }

    static Map<String, Long> longs(Map<String, Object> map) {
        Map<String, Long> result = new TreeMap<>();
        map.forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        return result;
    }

    void publishActions(List<? extends ActionEvent> events) {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                Map.of("bootstrap.servers", kafka, "acks", "all"),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (ActionEvent e : events) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.ACTIONS, e.key(), Events.toJson(e)));
            }
            producer.flush();
        }
    }
}

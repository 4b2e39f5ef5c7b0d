package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.service.CaseReconciliation;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.TopicReader;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * case-service's database restored from a backup, while the compacted {@code cases} topic kept what happened after it
 * (a read-only review, 6 December 2026). Simulated the other way round: the database stays, and the test puts on the
 * topic a record of the case newer than the database (a hold placed, or lifted, "after the backup"), then runs the
 * start-up work ({@link ReferencePublisher#startUp()}, what every start runs before serving). Before the check, the next
 * change of the case was announced with the database's hold state at a revision above the topic's, and every service
 * took it: the hold placed after the backup was cleared everywhere, the one lifted after it was enforced nowhere.
 *
 * <p>The topic's revisions here are ahead of the clock (an instance whose clock ran fast wrote them), so the next
 * change is newer than them only if the database's revision was raised to the topic's.
 */
@QuarkusTest
class RestoredDatabaseTest extends RunningService {
    @Inject
    ReferencePublisher publisher;

    @Inject
    ReferenceData referenceData;

    @Test
    void aHoldPlacedAfterTheBackupIsPlacedAgainAndKeptByTheNextEdit() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        Effects.awaitOutboxEmpty(relay);
        long backupRevision = revision(caseId);
        long holdId = unusedHoldId();
        Instant placedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long topicRevision = aheadOfTheClock();
        publish(caseId, new CaseChanged.Hold(holdId, placedAt), topicRevision);

        CaseReconciliation.Outcome outcome = publisher.startUp();

        Map<String, Object> row = Effects.caseRow(db, caseId);
        assertEquals(holdId, row.get("hold_id") == null ? null : ((Number) row.get("hold_id")).longValue(),
                "the hold is back in the database, under the id every service knows (backup at " + backupRevision + ")");
        assertEquals(placedAt, Effects.instant(row.get("hold_placed_at")));
        assertTrue(((Number) row.get("revision")).longValue() > topicRevision, "raised above the topic's");
        Map<String, Object> hold = Effects.row(db, "select * from case_hold where id = ?", holdId);
        assertEquals(caseId, hold.get("case_id"));
        assertNull(hold.get("lifted_at"));
        assertEquals(CaseReconciliation.RESTORED_BY, hold.get("placed_by"));
        assertEquals(CaseReconciliation.RESTORED_REASON, hold.get("reason"));
        assertEquals(List.of(Map.of("actor", "system", "detail", "{\"holdId\": " + holdId + ", \"topicRevision\": "
                        + topicRevision + "}")),
                Effects.rows(db, "select actor, detail::text as detail from audit_entry where subject_id = ? "
                        + "and action = 'case.hold.restored'", caseId));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("hold.holdId", equalTo((int) holdId)).body("hold.placedBy", equalTo("system"));
        assertEquals(List.of(caseId), outcome.holdsRestored().stream().filter(caseId::equals).toList(), "reported");

        Effects.awaitOutboxEmpty(relay); // the start's announcement: the held state above the topic's revision
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON).body("{\"goal\":2000}")
                .patch("/api/v1/cases/" + caseId).then().statusCode(200).body("hold.holdId", equalTo((int) holdId));
        CaseChanged edited = nextEvent(mark, caseId);
        assertTrue(edited.version() > topicRevision, "the next edit is newer than the topic's record: "
                + edited.version() + " after " + topicRevision);
        assertNotNull(edited.hold(), "and keeps the hold");
        assertEquals(holdId, edited.hold().holdId());

        // a hold placed now takes an id after every one on the topic, and the restored hold lifts as any other
        long next = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"reason\":\"threats\"}").put("/api/v1/cases/" + CaseLifecycleTest.newCase(
                        CaseLifecycleTest.openCampaign()) + "/hold").then().statusCode(200)
                .extract().jsonPath().getLong("hold.holdId");
        assertTrue(next > holdId, next + " after " + holdId);
        given().auth().oauth2(DemoCredentials.caseManager()).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + holdId)
                .then().statusCode(200).body("hold", nullValue());
    }

    @Test
    void aHoldLiftedAfterTheBackupIsEnforcedAgainEverywhere() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        long holdId = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"reason\":\"threats against the family\"}").put("/api/v1/cases/" + caseId + "/hold").then()
                .statusCode(200).extract().jsonPath().getLong("hold.holdId");
        Effects.awaitOutboxEmpty(relay);
        long topicRevision = aheadOfTheClock();
        publish(caseId, null, topicRevision);
        await().atMost(Effects.BOUND).until(() -> referenceData.cases().stream()
                .anyMatch(c -> caseId.equals(c.caseId()) && c.version() == topicRevision && c.hold() == null));
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);

        CaseReconciliation.Outcome outcome = publisher.startUp();

        Effects.awaitOutboxEmpty(relay);
        CaseChanged announced = nextEvent(mark, caseId);
        assertTrue(announced.version() > topicRevision, "the database's held state is announced above the topic's "
                + "unheld record: " + announced.version() + " after " + topicRevision + " (" + outcome + ")");
        assertNotNull(announced.hold(), "held");
        assertEquals(holdId, announced.hold().holdId());
        await("every reader holds the case again").atMost(Effects.BOUND).until(() -> referenceData.cases().stream()
                .anyMatch(c -> caseId.equals(c.caseId()) && c.hold() != null && c.hold().holdId() == holdId));
        assertEquals(announced.version(), revision(caseId));
        assertEquals(1, Effects.rows(db, "select 1 from audit_entry where subject_id = ? "
                + "and action = 'case.hold.reannounced' and actor = 'system'", caseId).size(), "audited");

        mark = Effects.Mark.now(kafka, Topics.CASES);
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON).body("{\"goal\":2000}")
                .patch("/api/v1/cases/" + caseId).then().statusCode(200).body("hold.holdId", equalTo((int) holdId));
        CaseChanged edited = nextEvent(mark, caseId);
        assertTrue(edited.version() > announced.version());
        assertEquals(holdId, edited.hold().holdId(), "the next edit keeps the hold");
    }

    /** A start that finds the topic no newer than the database changes nothing and announces no case twice. */
    @Test
    void aStartWithACurrentDatabaseChangesNothing() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        Effects.awaitOutboxEmpty(relay);
        long before = revision(caseId);

        CaseReconciliation.Outcome outcome = publisher.startUp();

        assertFalse(outcome.newerOnTopic().contains(caseId), outcome.toString());
        assertEquals(before, revision(caseId));
    }

    /**
     * A case created and held after the backup is on the topic only. It is stored again from there, held, at a
     * revision above the topic's, so it can neither be created again unheld nor announced unheld over every reader's
     * held record.
     */
    @Test
    void aHeldCaseOnlyOnTheTopicIsRebuiltHeld() {
        HeldAfterTheBackup held = heldAfterTheBackup();
        String caseId = held.caseId();
        Effects.awaitOutboxEmpty(relay);
        send(held.onTheTopic("global", null));
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);

        CaseReconciliation.Outcome outcome = publisher.startUp();

        Map<String, Object> row = Effects.caseRow(db, caseId);
        assertNotNull(row, "the case held on the topic is in the database again: " + outcome);
        assertEquals(held.holdId(), ((Number) row.get("hold_id")).longValue());
        assertEquals(held.placedAt(), Effects.instant(row.get("hold_placed_at")));
        assertEquals(1000L, ((Number) row.get("goal")).longValue(), "its fields from the topic");
        assertTrue(((Number) row.get("revision")).longValue() > held.topicRevision(), "above the topic's revision");
        assertTrue(outcome.casesRebuilt().contains(caseId), outcome.toString());
        assertEquals(1, Effects.rows(db, "select 1 from audit_entry where subject_id = ? and action = "
                + "'case.hold.restored' and actor = 'system' and detail ->> 'caseRebuilt' = 'true'", caseId).size());
        CaseChanged announced = nextEvent(mark, caseId);
        assertTrue(announced.version() > held.topicRevision(), announced.version() + " after " + held.topicRevision());
        assertEquals(held.holdId(), announced.hold().holdId(), "announced held");

        CaseLifecycleTest.post("/api/v1/cases", """
                {"caseId":"%s","campaignId":"%s","name":"Someone at risk","country":"mm","goal":5}"""
                .formatted(caseId, held.campaignId())).statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("duplicate-id"));
        await("every reader keeps it held").atMost(Effects.BOUND).until(() -> referenceData.cases().stream()
                .anyMatch(c -> caseId.equals(c.caseId()) && c.hold() != null && c.hold().holdId() == held.holdId()));
    }

    /**
     * A case created and held after the backup whose entity went with the backup too cannot be stored again: its hold
     * is noted, and creating the id later (here a case manager's POST) creates it held, above the topic's revision.
     */
    @Test
    void aHeldCaseOnlyOnTheTopicThatCannotBeRebuiltIsCreatedHeldLater() {
        HeldAfterTheBackup held = heldAfterTheBackup();
        String caseId = held.caseId();
        send(held.onTheTopic("local", CaseLifecycleTest.id("entity-lost")));

        CaseReconciliation.Outcome outcome = publisher.startUp();

        assertNull(Effects.caseRow(db, caseId), "its entity is not here: " + outcome);
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);

        long version = CaseLifecycleTest.post("/api/v1/cases", """
                        {"caseId":"%s","campaignId":"%s","name":"Someone at risk","country":"mm","goal":5}"""
                        .formatted(caseId, held.campaignId())).statusCode(201)
                .body("hold.holdId", equalTo((int) held.holdId())).body("hold.placedBy", equalTo("system"))
                .extract().jsonPath().getLong("version");

        assertTrue(version > held.topicRevision(), version + " after " + held.topicRevision());
        assertTrue(outcome.holdsNoted().contains(caseId), outcome.toString());
        CaseChanged created = nextEvent(mark, caseId);
        assertNotNull(created.hold(), "announced held");
        assertEquals(held.holdId(), created.hold().holdId());
        assertTrue(created.version() > held.topicRevision());
        assertEquals(List.of(Map.of("actor", "demo-case-manager", "holdId", String.valueOf(held.holdId()))),
                Effects.rows(db, "select actor, detail ->> 'holdId' as \"holdId\" from audit_entry where subject_id = ? "
                        + "and action = 'case.hold.restored'", caseId), "audited");
        assertNull(Effects.row(db, "select 1 from case_hold_noted where case_id = ?", caseId), "placed once");
        await("every reader keeps it held").atMost(Effects.BOUND).until(() -> referenceData.cases().stream()
                .anyMatch(c -> caseId.equals(c.caseId()) && c.version() == created.version() && c.hold() != null));
    }

    /**
     * A hold placed and lifted after the backup is on the topic in an older record of its case only: its id is not
     * given again, so a page read while it was open cannot lift a new hold it never saw.
     */
    @Test
    void aHoldIdPlacedAndLiftedAfterTheBackupIsNotGivenAgain() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        Effects.awaitOutboxEmpty(relay);
        long holdId = unusedHoldId();
        long held = aheadOfTheClock();
        publish(caseId, new CaseChanged.Hold(holdId, Instant.now().truncatedTo(ChronoUnit.MICROS)), held);
        publish(caseId, null, held + 1);

        publisher.startUp();

        long next = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"reason\":\"threats\"}").put("/api/v1/cases/" + caseId + "/hold").then().statusCode(200)
                .extract().jsonPath().getLong("hold.holdId");
        assertTrue(next > holdId, "a new hold's id " + next + " is after the lifted one's " + holdId);
        given().auth().oauth2(DemoCredentials.caseManager()).delete("/api/v1/cases/" + caseId + "/hold?holdId=" + holdId)
                .then().statusCode(409).body("openHoldId", equalTo((int) next));
    }

    /**
     * A case whose record on the topic is newer than the database (here unheld on both, its goal edited after the
     * backup) is announced above the topic's revision: that revision, which was the ETag of the lost state, names no
     * other state, so a form read at it is refused.
     */
    @Test
    void aCaseNewerOnTheTopicIsAnnouncedAboveItsRevision() {
        String caseId = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign());
        Effects.awaitOutboxEmpty(relay);
        long topicRevision = aheadOfTheClock();
        publish(caseId, null, topicRevision);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);

        CaseReconciliation.Outcome outcome = publisher.startUp();

        assertTrue(outcome.newerOnTopic().contains(caseId), outcome.toString());
        Effects.awaitOutboxEmpty(relay);
        await().atMost(Effects.BOUND).until(() -> !mark.caseEventsSince(caseId).isEmpty());
        List<Long> announced = mark.caseEventsSince(caseId).stream().map(CaseChanged::version).toList();
        assertTrue(announced.stream().allMatch(v -> v > topicRevision), "every announcement after the start is above "
                + topicRevision + ": " + announced);
        assertTrue(revision(caseId) > topicRevision);
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .header("If-Match", "\"" + topicRevision + "\"").body("{\"goal\":3000}").patch("/api/v1/cases/" + caseId)
                .then().statusCode(412);
    }

    /** A hold id above every one the database and the topic have given so far. */
    private long unusedHoldId() {
        return ((Number) Effects.row(db, "select nextval(pg_get_serial_sequence('case_hold', 'id')) + 1000 as id")
                .get("id")).longValue();
    }

    /** A case created and held after the backup, in a campaign the database has: only the topic will know it. */
    private record HeldAfterTheBackup(String campaignId, String caseId, long holdId, Instant placedAt,
                                      long topicRevision) {
        /** Its record on the topic, held, at {@code topicRevision}. */
        CaseChanged onTheTopic(String scope, String entityId) {
            return new CaseChanged(UUID.randomUUID(), caseId, campaignId, "Someone at risk", "MM", null, scope,
                    entityId, 1000L, "active", true, new CaseChanged.Hold(holdId, placedAt), topicRevision,
                    Instant.now(), null, null);
        }
    }

    private HeldAfterTheBackup heldAfterTheBackup() {
        return new HeldAfterTheBackup(CaseLifecycleTest.openCampaign(), CaseLifecycleTest.id("after-backup"),
                unusedHoldId(), Instant.now().truncatedTo(ChronoUnit.MICROS), aheadOfTheClock());
    }

    private void send(CaseChanged change) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, Topics.CASES, change.caseId(), change);
        }
    }

    private long revision(String caseId) {
        return ((Number) Effects.caseRow(db, caseId).get("revision")).longValue();
    }

    /** A revision ten minutes ahead of this clock, in case-service's microseconds. */
    private static long aheadOfTheClock() {
        Instant later = Instant.now().plus(Duration.ofMinutes(10));
        return later.getEpochSecond() * 1_000_000 + later.getNano() / 1_000;
    }

    /** The case as a record written after the backup: its fields as published, with {@code hold} and {@code revision}. */
    private void publish(String caseId, CaseChanged.Hold hold, long revision) {
        CaseChanged last = latest(caseId);
        CaseChanged after = new CaseChanged(UUID.randomUUID(), caseId, last.campaignId(), last.name(), last.country(),
                last.targetAuthority(), last.scope(), last.localEntityId(), last.goal(), last.status(),
                last.publicCounter(), hold, revision, Instant.now(), last.milestones(), last.demand());
        send(after);
    }

    private CaseChanged latest(String caseId) {
        return TopicReader.readAll(kafka, Topics.CASES).stream()
                .filter(r -> caseId.equals(r.key()) && r.value() != null).reduce((a, b) -> b)
                .map(r -> Events.fromJson(r.value(), CaseChanged.class)).orElseThrow();
    }

    /** The case's first event after {@code mark}, once the relay has sent it. */
    private CaseChanged nextEvent(Effects.Mark mark, String caseId) {
        Effects.awaitOutboxEmpty(relay);
        await().atMost(Effects.BOUND).until(() -> !mark.caseEventsSince(caseId).isEmpty());
        return mark.caseEventsSince(caseId).get(0);
    }
}

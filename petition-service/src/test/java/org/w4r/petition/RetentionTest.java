package org.w4r.petition;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.HandoverRecorded;
import org.w4r.events.Topics;
import org.w4r.petition.model.RetentionRun;
import org.w4r.petition.service.RetentionService;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/**
 * Issue 16 point 6: a campaign's signer and author data is anonymised six months (the default) after the later of its
 * close and its last handover, as delivery-service announces them on {@code deliveries}; counts and the keyed email
 * hashes stay; a dry run counts what would go; every run is recorded; the signer list can no longer be handed out.
 */
@QuarkusTest
@WithPlatformResources
class RetentionTest {
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Inject
    AgroalDataSource db;

    @Inject
    RetentionService retention;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    void publish(String topic, String key, Object event) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
                new StringSerializer(), new StringSerializer())) {
            ReferenceFixtures.send(producer, topic, key, event);
        }
    }

    void campaign(String campaignId, Instant opens, Instant closes) {
        publish(Topics.CAMPAIGNS, campaignId, new CampaignChanged(UUID.randomUUID(), campaignId, "Edition " + campaignId,
                opens, closes, false, List.of(), NOW));
    }

    void handover(String campaignId, String caseId, Instant deliveredAt) {
        publish(Topics.DELIVERIES, caseId, new HandoverRecorded(UUID.randomUUID(), UUID.randomUUID(), campaignId, caseId,
                null, "petition", deliveredAt.minus(Duration.ofDays(1)), deliveredAt, 1, Map.of("ai-france", 1L),
                Map.of("signature", 1L), deliveredAt));
    }

    static ValidatableResponse run(String token, String campaignId, boolean dryRun) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"campaignId\":\"" + campaignId + "\",\"dryRun\":" + dryRun + "}")
                .post("/api/v1/retention/runs").then();
    }

    static JsonPath schedule(String campaignId) {
        JsonPath all = given().auth().oauth2(staffToken("coordinator")).get("/api/v1/retention").then().statusCode(200)
                .body("after", equalTo("P6M")).extract().jsonPath();
        return new JsonPath(all.prettify()).setRootPath("campaigns.find { it.campaignId == '" + campaignId + "' }");
    }

    /** Name, country, show_name and the email hash of a signature. */
    List<String> signer(String actionId) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select name, country, show_name::text, encode(email_hmac, 'hex') from signature where action_id = cast(? as uuid)")) {
            ps.setString(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no signature " + actionId);
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= 4; i++) {
                    row.add(rs.getString(i));
                }
                return row;
            }
        }
    }

    String one(String sql, String param) {
        return Effects.valueOrNull(db, sql, param);
    }

    @Test
    void aCampaignIsAnonymisedSixMonthsAfterItsLastHandoverWithCountsAndEmailHashesKept() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String due = "due-" + suffix, later = "later-" + suffix;
        String dueCase = "due-case-" + suffix, laterCase = "later-case-" + suffix;
        // both open while their supporters sign
        campaign(due, NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(10)));
        campaign(later, NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(10)));
        for (String[] c : new String[][]{{dueCase, due}, {laterCase, later}}) {
            publish(Topics.CASES, c[0], new CaseChanged(UUID.randomUUID(), c[0], c[1], c[0], "AR", "Authorities", "global",
                    null, null, "active", true, null, ReferenceFixtures.version(), NOW));
        }
        String email = ErasureTest.email();
        String first = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> ErasureTest.sign("ai-france", dueCase, email), id -> id != null);
        String second = ErasureTest.sign("ai-malta", dueCase, ErasureTest.email());
        String third = ErasureTest.sign("ai-malta", dueCase, ErasureTest.email());
        String message = ErasureTest.message("ai-france", dueCase, ErasureTest.email());
        String kept = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> ErasureTest.sign("ai-france", laterCase, ErasureTest.email()), id -> id != null);
        String current = ErasureTest.sign("ai-france", ReferenceFixtures.CASES.get(0), ErasureTest.email());
        List<String> before = signer(first);
        assertEquals(List.of("Ada Lovelace", "FR", "true"), before.subList(0, 3));

        // open: nothing is due, a run is refused, a dry run counts what would go and changes nothing
        assertEquals("open", schedule(due).getString("state"));
        run(staffToken("coordinator"), due, false).statusCode(409).contentType("application/problem+json")
                .body("type", containsString("not-due")).body("state", equalTo("open"));
        run(staffToken("coordinator"), due, true).statusCode(200).body("dryRun", equalTo(true))
                .body("signatures", equalTo(3)).body("messages", equalTo(1))
                .body("byCase[0].caseId", equalTo(dueCase)).body("byCase[0].signatures", equalTo(3))
                .body("runBy", equalTo("test-coordinator"));
        assertEquals(before, signer(first));

        // both closed 300 days ago; the later one handed over 30 days ago, the due one 250 days ago. Older handovers
        // read afterwards do not move a campaign back, and a marker campaign's handover shows they were all read.
        campaign(due, NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(300)));
        campaign(later, NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(300)));
        handover(later, laterCase, NOW.minus(Duration.ofDays(30)));
        handover(due, dueCase, NOW.minus(Duration.ofDays(250)));
        handover(later, laterCase, NOW.minus(Duration.ofDays(280)));
        handover(due, dueCase, NOW.minus(Duration.ofDays(260)));
        String marker = "marker-" + suffix;
        handover(marker, "marker-case-" + suffix, NOW);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                one("select last_handover_at from campaign_handover where campaign_id = ?", marker) != null);
        JsonPath laterSchedule = schedule(later);
        assertEquals("scheduled", laterSchedule.getString("state"));
        assertEquals(NOW.minus(Duration.ofDays(30)), Instant.parse(laterSchedule.getString("lastHandoverAt")));
        assertEquals(NOW.minus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC).plus(Period.ofMonths(6)).toInstant(),
                Instant.parse(laterSchedule.getString("dueAt")));
        JsonPath dueSchedule = schedule(due);
        assertEquals("due", dueSchedule.getString("state"));
        assertEquals(NOW.minus(Duration.ofDays(250)), Instant.parse(dueSchedule.getString("lastHandoverAt")));
        run(staffToken("coordinator"), later, false).statusCode(409).body("type", containsString("not-due"))
                .body("dueAt", equalTo(laterSchedule.getString("dueAt")));
        // still deliverable until it runs
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + dueCase + "/signers.csv").then()
                .statusCode(200).body(containsString("Ada Lovelace"));

        // a late report, dated inside the closed campaign's window, is still taken before the campaign is anonymised
        String lateReport = "{\"caseId\":\"" + dueCase + "\",\"type\":\"letter\",\"count\":40,\"event\":{\"name\":"
                + "\"Late report\",\"date\":\"" + LocalDate.ofInstant(NOW.minus(Duration.ofDays(350)), ZoneOffset.UTC) + "\"}}";
        String lateId = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> ActionKindsTest
                .post("ai-france", "/api/v1/offline-counts", lateReport).statusCode(202).extract()
                .<String>path("results[0].actionId"), id -> id != null);

        // a flood taken out before: once the campaign is anonymised, its counts are final (the reversal is refused)
        String invalidation = InvalidationTest.invalidate("{\"campaignId\":\"" + due + "\",\"caseId\":\"" + dueCase
                + "\",\"entityId\":\"ai-malta\"}", 2).statusCode(201).extract().path("invalidationId");

        // the schedule's own pass takes the due campaign, and only it
        RetentionService.Schedule readBefore = retention.schedule(due, Instant.now());
        assertEquals("due", readBefore.state());
        List<RetentionRun> ran = retention.runDue(Instant.now());
        RetentionRun run = ran.stream().filter(r -> r.campaignId().equals(due)).findFirst().orElseThrow();
        assertTrue(ran.stream().noneMatch(r -> r.campaignId().equals(later)));
        assertEquals(3, run.signatures());
        assertEquals(1, run.messages());
        assertEquals(RetentionService.SCHEDULE, run.runBy());
        // another instance's pass, which read the campaign due before this one ran it, does not run it again
        String runsBefore = one("select count(*) from retention_run where campaign_id = ?", due);
        assertEquals(List.of(), retention.runEach(List.of(readBefore)));
        assertEquals(runsBefore, one("select count(*) from retention_run where campaign_id = ?", due));

        for (String id : List.of(first, second, third)) {
            List<String> after = signer(id);
            assertNull(after.get(0), "name of " + id);
            assertNull(after.get(1), "country of " + id);
            assertEquals("false", after.get(2));
            assertNotNull(after.get(3), "the email hash stays: a recount still counts a person once");
            assertNull(one("select counted_country from signature where action_id = cast(? as uuid)", id),
                    "nor the country it was counted under");
            assertNull(one("select email_domain_hmac from signature where action_id = cast(? as uuid)", id),
                    "nor the email's domain (a personal domain names its owner)");
        }
        assertEquals(before.get(3), signer(first).get(3));
        assertNull(one("select author_name from message where action_id = cast(? as uuid)", message));
        assertNull(one("select author_country from message where action_id = cast(? as uuid)", message));
        assertEquals("Stay strong,\nGrace from Arlington",
                one("select text from message where action_id = cast(? as uuid)", message));
        assertNotNull(one("select author_email_hmac from message where action_id = cast(? as uuid)", message));
        // another campaign's signers, due later or current, are untouched
        assertEquals("Ada Lovelace", signer(kept).get(0));
        assertNotNull(one("select email_domain_hmac from signature where action_id = cast(? as uuid)", kept));
        assertEquals("Ada Lovelace", signer(current).get(0));

        // nothing of the campaign can be handed out any more
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + dueCase + "/signers.csv").then()
                .statusCode(410).contentType("application/problem+json").body("type", containsString("signer-data-retired"))
                .body("campaignId", equalTo(due)).body("retiredAt", notNullValue());
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/messages?status=approved&caseId=" + dueCase).then()
                .statusCode(410).body("type", containsString("signer-data-retired"));
        given().auth().oauth2(staffToken("delivery")).get("/api/v1/cases/" + laterCase + "/signers.csv").then()
                .statusCode(200).body(containsString("Ada Lovelace"));

        // recorded: the schedule says retired, the runs are listed newest first, the trail has the run by the system
        JsonPath retired = schedule(due);
        assertEquals("retired", retired.getString("state"));
        assertNotNull(retired.getString("retiredAt"));
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/retention/runs?campaignId=" + due).then()
                .statusCode(200).body("size()", equalTo(2)).body("[0].dryRun", equalTo(false))
                .body("[0].runBy", equalTo("schedule")).body("[0].signatures", equalTo(3))
                .body("[1].dryRun", equalTo(true));
        assertEquals("system", one("select actor from audit_entry where action = 'retention.run' and subject_id = ?", due));
        // a second run finds nothing left, and says so
        run(staffToken("coordinator"), due, false).statusCode(200).body("signatures", equalTo(0))
                .body("messages", equalTo(0)).body("dryRun", equalTo(false));
        // its counts are final: no invalidation, no reversal of one made before
        InvalidationTest.reverse(invalidation).statusCode(409).body("type", containsString("campaign-retired"))
                .body("campaignId", equalTo(due));
        InvalidationTest.invalidate("{\"campaignId\":\"" + due + "\",\"caseId\":\"" + dueCase
                + "\",\"entityId\":\"ai-france\"}", 1).statusCode(409).body("type", containsString("campaign-retired"));
        // nor a new count dated inside its window, nor a correction of one counted before: each moved the final
        // counts by as much as it said until a read-only review of 6 December 2026
        ActionKindsTest.post("ai-france", "/api/v1/offline-counts", lateReport).statusCode(409)
                .contentType("application/problem+json").body("type", containsString("campaign-retired"))
                .body("campaignId", equalTo(due));
        ActionKindsTest.post("ai-france", "/api/v1/actions", "{\"type\":\"letter\",\"caseId\":\"" + dueCase
                + "\",\"occurredAt\":\"" + NOW.minus(Duration.ofDays(350)) + "\"}").statusCode(409)
                .body("type", containsString("campaign-retired"));
        given().auth().oauth2(entityKey("ai-france")).contentType("application/json")
                .body("{\"delta\":-10,\"reason\":\"recounted\"}").post("/api/v1/offline-counts/" + lateId + "/corrections")
                .then().statusCode(409).body("type", containsString("campaign-retired"));
        // an erasure by email still finds the person through the hash that stayed
        ErasureTest.erase(staffToken("coordinator"), email).then().statusCode(202);
    }

    /** A campaign closed 300 days ago and never handed over, so due, and an active case of it: {campaign, case}. */
    String[] dueCampaign(String prefix) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String campaignId = prefix + "-" + suffix, caseId = prefix + "-case-" + suffix;
        campaign(campaignId, NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(300)));
        publish(Topics.CASES, caseId, new CaseChanged(UUID.randomUUID(), caseId, campaignId, caseId, "AR", "Authorities",
                "global", null, null, "active", true, null, ReferenceFixtures.version(), NOW));
        return new String[]{campaignId, caseId};
    }

    /** A late report: dated inside the window of a campaign closed 300 days ago (null: now). */
    static final Instant LATE = NOW.minus(Duration.ofDays(350));

    static String message(String caseId, Instant occurredAt) {
        return """
                {"caseId":"%s","author":{"name":"Grace Hopper","country":"US","email":"%s"},"text":"Courage"%s}"""
                .formatted(caseId, ErasureTest.email(), occurredAt == null ? "" : ",\"occurredAt\":\"" + occurredAt + "\"");
    }

    static String signature(String caseId, Instant occurredAt) {
        return """
                {"caseIds":["%s"],"signer":{"name":"Ada Lovelace","email":"%s","country":"FR"},"consent":{"showName":true}%s}"""
                .formatted(caseId, ErasureTest.email(), occurredAt == null ? "" : ",\"occurredAt\":\"" + occurredAt + "\"");
    }

    /** Once petition-service knows the case: a late message of it, taken (the campaign is not anonymised yet). */
    static String lateMessageTaken(String caseId) {
        return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> ActionKindsTest
                .post("ai-france", "/api/v1/messages", message(caseId, LATE)).statusCode(202).extract()
                .<String>path("results[0].actionId"), id -> id != null);
    }

    static void refusedAsRetired(ValidatableResponse response, String campaignId) {
        response.statusCode(409).contentType("application/problem+json").body("type", containsString("campaign-retired"))
                .body("campaignId", equalTo(campaignId));
    }

    /**
     * A message or signature committed while the run of its campaign commits: the run's update could not see it, and
     * the schedule never runs a retired campaign again, so it kept its author's name for good (a read-only review, 6
     * December 2026). Here the run is held after its update, before it records itself, by a lock on its record's table.
     */
    @Test
    void aMessageSentWhileTheRunCommitsIsRefusedNotKeptWithItsName() throws Exception {
        String[] due = dueCampaign("race");
        String campaignId = due[0], caseId = due[1];
        lateMessageTaken(caseId);
        String batchKey = UUID.randomUUID().toString();
        String batch = "{\"items\":[{\"id\":\"m\",\"kind\":\"message\",\"body\":" + message(caseId, LATE) + "}]}";
        io.restassured.response.Response message, signature;
        java.util.concurrent.CompletableFuture<ValidatableResponse> running;
        try (Connection holder = db.getConnection()) {
            holder.setAutoCommit(false);
            try (java.sql.Statement lock = holder.createStatement()) {
                lock.execute("lock table retention_run in exclusive mode");
            }
            running = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> run(staffToken("coordinator"), campaignId, false));
            await().atMost(Duration.ofSeconds(60)).until(() -> Long.parseLong(one("""
                    select count(*) from pg_locks l join pg_class c on c.oid = l.relation
                    where c.relname = ? and not l.granted""", "retention_run")) > 0);
            message = ActionKindsTest.post("ai-france", "/api/v1/messages", message(caseId, LATE)).extract().response();
            signature = ActionKindsTest.post("ai-france", "/api/v1/signatures", signature(caseId, LATE)).extract()
                    .response();
            // a batch with an item turned away by the run: the whole batch, so its key does not keep "send it again"
            given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).header("Idempotency-Key", batchKey)
                    .body(batch).post("/api/v1/batches").then().statusCode(503)
                    .body("type", containsString("retention-run-in-progress"));
            holder.rollback();
        }
        running.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode(200).body("dryRun", equalTo(false));
        for (Object[] sent : new Object[][]{{message, "select author_name from message where action_id = cast(? as uuid)"},
                {signature, "select name from signature where action_id = cast(? as uuid)"}}) {
            io.restassured.response.Response r = (io.restassured.response.Response) sent[0];
            if (r.statusCode() == 503) { // the run under way: retry later, never kept under a key
                r.then().contentType("application/problem+json").header("Retry-After", "30")
                        .body("type", containsString("retention-run-in-progress"));
            } else if (r.statusCode() == 409) {
                refusedAsRetired(r.then(), campaignId);
            } else {
                assertEquals(202, r.statusCode(), r.asString());
                assertNull(one((String) sent[1], r.path("results[0].actionId")), "a name kept after the run: " + r.asString());
            }
        }
        refusedAsRetired(ActionKindsTest.post("ai-france", "/api/v1/messages", message(caseId, LATE)), campaignId);
        // sent again with its key once the run is done: answered anew (the item refused as retired), not the 503 again
        given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON).header("Idempotency-Key", batchKey)
                .body(batch).post("/api/v1/batches").then().statusCode(200)
                .body("results[0].status", equalTo(409)).body("results[0].problem.type", containsString("campaign-retired"));
    }

    /**
     * Once anonymised, a campaign takes no new name: not a late signature dated inside its window (nothing asked, and
     * it was stored with its name, for good), single or in a batch, nor anything after it was extended for an entity
     * (its close then lay ahead, so nothing asked either; a read-only review, 6 December 2026).
     */
    @Test
    void anAnonymisedCampaignTakesNoNewNameLateOrAfterAnExtension() {
        String[] due = dueCampaign("late");
        String campaignId = due[0], caseId = due[1];
        lateMessageTaken(caseId);
        run(staffToken("coordinator"), campaignId, false).statusCode(200).body("messages", equalTo(1));

        refusedAsRetired(ActionKindsTest.post("ai-france", "/api/v1/signatures", signature(caseId, LATE)), campaignId);
        ActionKindsTest.post("ai-france", "/api/v1/batches", "{\"items\":[{\"id\":\"s\",\"kind\":\"signature\","
                + "\"body\":" + signature(caseId, LATE) + "},{\"id\":\"m\",\"kind\":\"message\",\"body\":"
                + message(caseId, LATE) + "}]}").statusCode(200).body("accepted", equalTo(0))
                .body("results[0].status", equalTo(409)).body("results[0].problem.type", containsString("campaign-retired"))
                .body("results[1].status", equalTo(409));
        assertEquals("0", one("select count(*) from signature where campaign_id = ?", campaignId));

        publish(Topics.CAMPAIGNS, campaignId, new CampaignChanged(UUID.randomUUID(), campaignId, "Edition " + campaignId,
                NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(300)), false,
                List.of(new CampaignChanged.Extension("ai-france", NOW.plus(Duration.ofDays(10)))), Instant.now()));
        // outside the window until the extension is read; then inside it, and refused
        io.restassured.response.Response now = await().atMost(Duration.ofSeconds(60)).until(() -> ActionKindsTest
                .post("ai-france", "/api/v1/messages", message(caseId, null)).extract().response(), r -> r.statusCode() != 422);
        refusedAsRetired(now.then(), campaignId);
        refusedAsRetired(ActionKindsTest.post("ai-france", "/api/v1/signatures", signature(caseId, null)), campaignId);
        assertEquals("retired", schedule(campaignId).getString("state"));
        assertEquals("0", one("select count(*) from signature where campaign_id = ?", campaignId));
        assertEquals("0", one("select count(*) from message where campaign_id = ? and author_name is not null", campaignId));
    }

    /**
     * Only a campaign that can have been anonymised sends a late signature down the one-transaction path, outside the
     * group commit and its entity share: one closed {@code after} ago, or one known anonymised. A first version of the
     * check also took every campaign edited {@code after} past its opening, which a live campaign extended late in its
     * year is (a review of that change, 6 December 2026).
     */
    @Test
    void aLiveCampaignEditedLateInItsYearIsNotTakenForAnonymised() {
        CampaignChanged live = new CampaignChanged(UUID.randomUUID(), "live-late", "Edition", NOW.minus(Duration.ofDays(
                300)), NOW.plus(Duration.ofDays(10)), false, List.of(), Instant.now());
        CampaignChanged editedBefore = new CampaignChanged(UUID.randomUUID(), "live-late", "Edition", live.opensAt(),
                live.closesAt(), false, List.of(), Instant.now().minus(Duration.ofMinutes(5)));
        // edited before the last read of the runs (the service reads them at its start, then every minute)
        await().atMost(Duration.ofSeconds(90)).until(() -> !retention.mayBeRetired(editedBefore));
        // edited just now (after the last read of the runs): another instance's run may have committed since
        assertTrue(retention.mayBeRetired(live));
        CampaignChanged old = new CampaignChanged(UUID.randomUUID(), "old-edition", "Edition", NOW.minus(Duration.ofDays(
                400)), NOW.minus(Duration.ofDays(300)), false, List.of(), Instant.now());
        assertTrue(retention.mayBeRetired(old));
    }

    /**
     * A moderator's rejection as abuse takes a message out of the counts: refused once its campaign is anonymised, as
     * the counts are final (it published its correction all the same until a read-only review, 6 December 2026); a
     * rejection that is not abuse moves no count and is still taken.
     */
    @Test
    void anAbuseRejectionCannotMoveAnAnonymisedCampaignsCounts() {
        String[] due = dueCampaign("abuse");
        String campaignId = due[0], caseId = due[1];
        String first = lateMessageTaken(caseId);
        String second = ActionKindsTest.post("ai-france", "/api/v1/messages", message(caseId, LATE)).statusCode(202)
                .extract().path("results[0].actionId");
        run(staffToken("coordinator"), campaignId, false).statusCode(200).body("messages", equalTo(2));

        String abuse = "\"decision\":\"reject\",\"reason\":\"abuse\",\"abuse\":true";
        refusedAsRetired(given().auth().oauth2(staffToken("moderator")).contentType(ContentType.JSON)
                .body("{" + abuse + "}").post("/api/v1/messages/" + first + "/decision").then(), campaignId);
        refusedAsRetired(MessageQueueTest.bulk(staffToken("moderator"), "{\"campaignId\":\"" + campaignId + "\","
                + abuse + ",\"messageIds\":" + MessageQueueTest.json(List.of(first, second)) + "}"), campaignId);
        assertEquals("pending", one("select status from message where action_id = cast(? as uuid)", first));
        given().auth().oauth2(staffToken("moderator")).contentType(ContentType.JSON)
                .body("{\"decision\":\"reject\",\"reason\":\"off topic\"}").post("/api/v1/messages/" + first + "/decision")
                .then().statusCode(200).body("status", equalTo("rejected"));
    }

    @Test
    void onlyCoordinatorsSeeOrRunTheSchedule() {
        for (String role : List.of("case-manager", "delivery", "moderator")) {
            given().auth().oauth2(staffToken(role)).get("/api/v1/retention").then().statusCode(403);
            given().auth().oauth2(staffToken(role)).get("/api/v1/retention/runs").then().statusCode(403);
            run(staffToken(role), ReferenceFixtures.CAMPAIGN, true).statusCode(403);
        }
        given().auth().oauth2(entityKey("ai-france")).get("/api/v1/retention").then().statusCode(403);
        run(entityKey("ai-france"), ReferenceFixtures.CAMPAIGN, true).statusCode(403);
        given().get("/api/v1/retention").then().statusCode(401);
        run(staffToken("coordinator"), "no-such-campaign", true).statusCode(404);
        run(staffToken("coordinator"), "Not A Slug!", true).statusCode(400);
        given().auth().oauth2(staffToken("coordinator")).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/retention/runs").then().statusCode(400);
    }
}

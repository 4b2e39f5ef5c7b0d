package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import jakarta.inject.Inject;
import org.w4r.delivery.messaging.StreamProgress;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.MessageReviewed;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.staffToken;

/** The delivery pack: a PDF with the case, frozen counts and consented signers or approved messages; its digest stored. */
@QuarkusTest
class DeliveryPackTest extends RunningService {
    @Inject
    StreamProgress progress;

    @AfterEach
    void petitionServiceUp() {
        PetitionStub.down = false;
    }

    @Test
    void aPetitionPackHasTheCaseCountsAndConsentedSignersAndItsDigestIsStored() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        Streams.publish(kafka, org.w4r.events.Topics.ACTIONS, caseId,
                Streams.action(caseId, "ai-france", ActionType.SIGNATURE, 1, cutoff.minusSeconds(10)),
                Streams.action(caseId, "ai-malta", ActionType.LETTER, 1250, cutoff.minusSeconds(10)));
        await().untilAsserted(() -> assertEquals(1251L,
                HandoverCountsTest.counts(caseId, cutoff, "petition").getLong("total")));
        PetitionStub.SIGNERS_CSV.put(caseId, "name,country\r\n\"Lovelace, Ada\",GB\r\nMarie Curie,FR\r\n\"<b>Zoë \"\"Z\"\" Ng</b>\",SG\r\n");
        String id = Streams.plan(caseId, "petition");
        Streams.handOver(id, cutoff);

        Response response = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack");
        response.then().statusCode(200).contentType("application/pdf");
        byte[] pdf = response.asByteArray();
        String sha256 = PackDocumentTest.sha256(pdf);
        assertEquals(sha256, response.header("X-Pack-SHA256"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().statusCode(200)
                .body("handover.packSha256", equalTo(sha256));

        String text = text(pdf).replaceAll("[ \\t]+", " ");
        assertTrue(text.contains("Case " + caseId), text);
        assertTrue(text.contains("Authorities of " + caseId), text);
        assertTrue(text.contains("1,251"), text);
        assertTrue(text.contains("ai-france 1") && text.contains("ai-malta 1,250"), text);
        assertTrue(text.contains("Letters 1,250") && text.contains("Signatures 1"), text);
        assertTrue(text.contains("1. Lovelace, Ada (GB)") && text.contains("2. Marie Curie (FR)"), text);
        assertTrue(text.contains("3. <b>Zoë \"Z\" Ng</b> (SG)"), text);
        assertTrue(text.contains("Embassy of Myanmar"), text);

        // petition-service was asked with the caller's own token and the cut-off
        assertTrue(PetitionStub.REQUESTS.stream().anyMatch(r -> r.equals("GET /api/v1/cases/" + caseId
                + "/signers.csv?until=" + cutoff + " auth=Bearer " + DELIVERY)), PetitionStub.REQUESTS.toString());

        // the same pack again gives the same bytes; a changed signer list gives a new digest, stored again
        Response again = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack");
        assertEquals(sha256, again.header("X-Pack-SHA256"));
        PetitionStub.SIGNERS_CSV.put(caseId, "name,country\nMarie Curie,FR\n");
        Response changed = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack");
        String changedSha = PackDocumentTest.sha256(changed.asByteArray());
        assertFalse(changedSha.equals(sha256));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then()
                .body("handover.packSha256", equalTo(changedSha));
        // every copy served is on record, with its digest and to whom it went
        assertEquals(List.of(sha256 + " test-delivery", sha256 + " test-delivery", changedSha + " test-delivery"),
                Rows.strings(db, "select sha256 || ' ' || issued_to from pack_issue where delivery_id = ?::uuid order by id", id));
    }

    /**
     * petition-service's signers.csv defuses a name a spreadsheet would run as a formula; the pack handed to an
     * authority prints the name as signed (it printed "'@maria"; injection audit, 4 December 2026).
     */
    @Test
    void aSignerWhoseNameStartsLikeAFormulaIsPrintedAsSigned() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        PetitionStub.SIGNERS_CSV.put(caseId, "name,country\n'@maria,PT\n'-Ana Lima,BR\nO'Brien,IE\n");
        String id = Streams.plan(caseId, "petition");
        Streams.handOver(id, cutoff);
        String text = packText(id).replaceAll("[ \\t]+", " ");
        assertTrue(text.contains("1. @maria (PT)") && text.contains("2. -Ana Lima (BR)")
                && text.contains("3. O'Brien (IE)"), text);
        assertFalse(text.contains("'@maria") || text.contains("'-Ana"), text);
    }

    @Test
    void aSolidarityPackHasTheApprovedMessagesUpToTheCutoffAsText() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        ActionRecorded onTime = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.minusSeconds(60));
        ActionRecorded late = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.plusSeconds(60));
        approved(caseId, List.of(onTime, late), cutoff.plusSeconds(60));
        PetitionStub.MESSAGES_JSON.put(caseId, messagesJson(List.of(
                message(onTime, "Ada", "GB", "Stay strong, we are with you. <script>alert(1)</script>", "en"),
                message(late, "Late", "FR", "Written after the cut-off", "fr"))));
        String id = Streams.plan(caseId, "solidarity");
        Streams.handOver(id, cutoff);
        Response response = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack");
        response.then().statusCode(200);
        String text = text(response.asByteArray());
        assertTrue(text.contains("Approved solidarity messages (1)"), text);
        assertTrue(text.contains("Stay strong, we are with you. <script>alert(1)</script>"), text);
        assertFalse(text.contains("Written after the cut-off"), text);
        assertTrue(PetitionStub.REQUESTS.stream().anyMatch(r -> r.contains("/api/v1/messages?caseId=" + caseId + "&status=approved")),
                PetitionStub.REQUESTS.toString());
    }

    /**
     * A case with more approved messages than petition-service answers at once (1,000) has every one in its pack:
     * asked page after page ({@code after=} the last message id of the page before) until a short page. Until a
     * read-only review of 6 December 2026 the first page alone was asked for, and the pack held the 1,000 oldest.
     */
    @Test
    void aSolidarityPackHoldsEveryApprovedMessageBeyondOnePage() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        List<ActionRecorded> written = new java.util.ArrayList<>();
        List<Map<String, Object>> served = new java.util.ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            // some written in the same second, so the pages also split a run of equal times by id
            ActionRecorded m = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1,
                    cutoff.minusSeconds(600).plusSeconds(i / 7));
            written.add(m);
            served.add(message(m, "Author " + i, "MT", "Message number " + i, "en"));
        }
        approved(caseId, written, cutoff);
        PetitionStub.MESSAGES_JSON.put(caseId, messagesJson(served));
        String id = Streams.plan(caseId, "solidarity");
        int total = Streams.handOver(id, cutoff).extract().path("handover.total");
        assertEquals(1001, total);

        List<String> rows = messagesCsv(id);
        assertEquals(1001, rows.size());
        assertEquals(1001, rows.stream().map(r -> r.substring(0, r.indexOf(','))).distinct().count(), "each message once");
        // the second page asked after the first page's last message
        assertTrue(PetitionStub.REQUESTS.stream().anyMatch(r -> r.contains("/api/v1/messages?caseId=" + caseId)
                && r.contains("&after=")), PetitionStub.REQUESTS.toString());
    }

    /**
     * A solidarity pack prints the messages its handover counted: approved when the handover was recorded. One still
     * pending then and approved later is not counted (the counts are frozen), so it is not printed either. Until a
     * read-only review of 6 December 2026 the pages were petition-service's approved messages at the time the pack
     * was built, and the pack listed more messages than its cover counted.
     */
    @Test
    void aMessageApprovedAfterTheHandoverIsNotInItsPack() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        ActionRecorded counted = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.minusSeconds(60));
        ActionRecorded pending = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.minusSeconds(30));
        Streams.publish(kafka, org.w4r.events.Topics.ACTIONS, caseId, pending);
        approved(caseId, List.of(counted), cutoff);
        PetitionStub.MESSAGES_JSON.put(caseId, messagesJson(List.of(
                message(counted, "Ada", "GB", "Approved before the handover", "en"))));
        String id = Streams.plan(caseId, "solidarity");
        int total = Streams.handOver(id, cutoff).extract().path("handover.total");
        assertEquals(1, total);

        // moderation approves the pending one after the handover: petition-service now serves it as approved
        Streams.publish(kafka, org.w4r.events.Topics.MODERATION, caseId,
                Streams.review(pending, MessageReviewed.APPROVED, Instant.now().plusSeconds(1)));
        await().untilAsserted(() -> assertEquals(2L, HandoverCountsTest.counts(caseId, cutoff, "solidarity").getLong("total")));
        PetitionStub.MESSAGES_JSON.put(caseId, messagesJson(List.of(
                message(counted, "Ada", "GB", "Approved before the handover", "en"),
                message(pending, "Bea", "MT", "Approved after the handover", "en"))));

        List<String> rows = messagesCsv(id);
        assertEquals(total, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains(counted.actionId().toString()), rows.toString());
        String text = packText(id);
        assertTrue(text.contains("Approved solidarity messages (1)") && text.contains("Approved before the handover"), text);
        assertFalse(text.contains("Approved after the handover"), text);
    }

    /**
     * A pack prints the messages its handover counted, whatever a bulk invalidation did after it: petition-service lists
     * approved messages invalidated or not, and this service prints the ids its handover kept (or, for one recorded
     * before V9, reads each message's corrections as of the handover). One invalidated after the handover is printed
     * (it was counted); one invalidated before it and put back since is not.
     */
    @Test
    void aPackPrintsTheMessagesItsHandoverCountedWhateverIsInvalidatedOrPutBackAfter() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        List<ActionRecorded> written = Streams.messages(caseId, cutoff.minusSeconds(60), "ai-malta", "ai-malta", "ai-malta");
        ActionRecorded kept = written.get(0), back = written.get(1), plain = written.get(2);
        approved(caseId, written, cutoff);
        Streams.publish(kafka, org.w4r.events.Topics.ACTIONS, caseId, HandoverCountsTest.correction(back, -1));
        await().untilAsserted(() -> assertEquals(2L, HandoverCountsTest.counts(caseId, cutoff, "solidarity").getLong("total")));
        listed(caseId, written, "Invalidated after the handover", "Put back after the handover", "Never invalidated");
        String id = Streams.plan(caseId, "solidarity");
        int total = Streams.handOver(id, cutoff).extract().path("handover.total");
        assertEquals(2, total);

        Streams.publish(kafka, org.w4r.events.Topics.ACTIONS, caseId, HandoverCountsTest.correction(kept, -1),
                HandoverCountsTest.correction(back, 1));
        await().until(() -> progress.awaitApplied(List.of(org.w4r.events.Topics.ACTIONS), Duration.ofSeconds(1)));
        assertEquals(2L, HandoverCountsTest.counts(caseId, cutoff, "solidarity").getLong("total"), "now: back and plain");

        List<String> rows = messagesCsv(id);
        assertEquals(total, rows.size(), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.contains(kept.actionId().toString())), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.contains(plain.actionId().toString())), rows.toString());
        String text = packText(id);
        assertTrue(text.contains("Invalidated after the handover") && text.contains("Never invalidated"), text);
        assertFalse(text.contains("Put back after the handover"), text);

        // a handover recorded before its messages were kept (V9) is printed from the corrections recorded by its time
        try (var c = db.getConnection();
             var delete = c.prepareStatement("delete from handover_message where delivery_id = ?")) {
            delete.setObject(1, java.util.UUID.fromString(id));
            assertEquals(2, delete.executeUpdate());
        }
        text = packText(id);
        assertTrue(text.contains("Invalidated after the handover") && text.contains("Never invalidated"), text);
        assertFalse(text.contains("Put back after the handover"), text);
    }

    /**
     * A pack prints the messages its handover counted, kept with it (V9), not those approved as of its record time as
     * read when the pack is built: a review dated before the handover that this service applied only after it (on Kafka
     * then, or from a petition-service clock ahead) was printed, though the cover did not count it (a read-only review,
     * 6 December 2026, docs/reliability.md).
     */
    @Test
    void aReviewAppliedAfterTheHandoverIsNotPrintedThoughDatedBeforeIt() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        List<ActionRecorded> written = Streams.messages(caseId, cutoff.minusSeconds(60), "ai-malta", "ai-malta");
        ActionRecorded counted = written.get(0), late = written.get(1);
        approved(caseId, List.of(counted), cutoff);
        Streams.publish(kafka, org.w4r.events.Topics.ACTIONS, caseId, late);
        listed(caseId, written, "Counted at the handover", "Reviewed before the handover, applied after it");
        String id = Streams.plan(caseId, "solidarity");
        var handover = Streams.handOver(id, cutoff).extract().jsonPath();
        assertEquals(1, handover.getInt("handover.total"));

        Instant recordedAt = Instant.parse(handover.getString("handover.recordedAt"));
        Streams.publish(kafka, org.w4r.events.Topics.MODERATION, caseId,
                Streams.review(late, MessageReviewed.APPROVED, recordedAt.minusSeconds(1)));
        await().untilAsserted(() -> assertEquals(2L, HandoverCountsTest.counts(caseId, cutoff, "solidarity").getLong("total")));

        List<String> rows = messagesCsv(id);
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains(counted.actionId().toString()), rows.toString());
        assertFalse(packText(id).contains("Reviewed before"));
    }

    /** petition-service's approved messages of the case: {@code written}, with these texts, by authors of Malta. */
    private static void listed(String caseId, List<ActionRecorded> written, String... texts) throws Exception {
        List<Map<String, Object>> listed = new java.util.ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            listed.add(message(written.get(i), "Author " + i, "MT", texts[i], "en"));
        }
        PetitionStub.MESSAGES_JSON.put(caseId, messagesJson(listed));
    }

    /**
     * Solidarity messages written (the actions) and approved on the streams at {@code reviewedAt}, as petition-service
     * and its moderation publish them; returns once this service counts them all up to {@code until}.
     */
    private void approved(String caseId, List<ActionRecorded> messages, Instant until) {
        Instant reviewedAt = Instant.now();
        Streams.publishAll(kafka, org.w4r.events.Topics.ACTIONS, caseId, messages);
        Streams.publishAll(kafka, org.w4r.events.Topics.MODERATION, caseId, messages.stream()
                .map(m -> Streams.review(m, MessageReviewed.APPROVED, reviewedAt)).toList());
        long expected = messages.stream().filter(m -> !m.occurredAt().isAfter(until)).count();
        await().untilAsserted(() -> assertEquals(expected,
                HandoverCountsTest.counts(caseId, until, "solidarity").getLong("total")));
    }

    /** A message as petition-service serves it, stored when it was written. */
    static Map<String, Object> message(ActionRecorded action, String author, String country, String text,
                                       String language) {
        Map<String, Object> message = new java.util.LinkedHashMap<>();
        message.put("messageId", action.actionId().toString());
        message.put("caseId", action.caseId());
        message.put("entityId", action.entityId());
        message.put("author", Map.of("name", author, "country", country));
        message.put("text", text);
        message.put("language", language);
        message.put("occurredAt", action.occurredAt().toString());
        message.put("createdAt", action.occurredAt().toString());
        return message;
    }

    static String messagesJson(List<Map<String, Object>> messages) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(messages);
    }

    /** The rows of the ZIP's messages.csv, without its header. */
    private static List<String> messagesCsv(String id) throws Exception {
        return new String(packZip(id).get("messages.csv"), java.nio.charset.StandardCharsets.UTF_8).lines().skip(1).toList();
    }

    /** The files of the delivery's pack.zip, by name. */
    private static Map<String, byte[]> packZip(String id) throws Exception {
        return PackDocumentTest.unzip(given().auth().oauth2(DELIVERY)
                .get("/api/v1/deliveries/" + id + "/pack.zip").then().statusCode(200).extract().asByteArray());
    }

    /** The text of the delivery's pack (the PDF). */
    private static String packText(String id) throws Exception {
        return text(given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack")
                .then().statusCode(200).extract().asByteArray());
    }

    /**
     * The pack lists the messages its cover counts: both go by the time a message was written (occurredAt), which an
     * entity may send late. Until this was found, the pack kept messages by the time petition-service stored them
     * (createdAt), so one written before the cut-off and posted after it was counted on the cover and missing from
     * the pages and messages.csv.
     */
    @Test
    void aMessageWrittenBeforeTheCutoffAndPostedAfterItIsInThePackItsCoverCounts() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        ActionRecorded onTime = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.minusSeconds(60));
        ActionRecorded postedLate = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.minusSeconds(30));
        ActionRecorded writtenLate = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.plusSeconds(1));
        Instant reviewedAt = Instant.now();
        Streams.publish(kafka, org.w4r.events.Topics.ACTIONS, caseId, onTime, postedLate, writtenLate);
        Streams.publish(kafka, org.w4r.events.Topics.MODERATION, caseId,
                Streams.review(onTime, MessageReviewed.APPROVED, reviewedAt),
                Streams.review(postedLate, MessageReviewed.APPROVED, reviewedAt),
                Streams.review(writtenLate, MessageReviewed.APPROVED, reviewedAt));
        // each as petition-service serves it: occurredAt as the entity sent it, createdAt when it was stored
        PetitionStub.MESSAGES_JSON.put(caseId, """
                [{"messageId":"%2$s","caseId":"%1$s","entityId":"ai-malta","author":{"name":"Ada","country":"GB"},
                  "text":"Written and posted in time","language":"en","occurredAt":"%3$s","createdAt":"%3$s"},
                 {"messageId":"%4$s","caseId":"%1$s","entityId":"ai-malta","author":{"name":"Bea","country":"MT"},
                  "text":"Written in time, posted late","language":"en","occurredAt":"%5$s","createdAt":"%6$s"},
                 {"messageId":"%7$s","caseId":"%1$s","entityId":"ai-malta","author":{"name":"Cy","country":"FR"},
                  "text":"Written after the cut-off","language":"en","occurredAt":"%8$s","createdAt":"%8$s"}]"""
                .formatted(caseId, onTime.actionId(), onTime.occurredAt(), postedLate.actionId(),
                        postedLate.occurredAt(), cutoff.plusSeconds(3), writtenLate.actionId(), writtenLate.occurredAt()));
        // the last review counted (the one after the cut-off) means the others were applied
        await().untilAsserted(() -> assertEquals(3L,
                HandoverCountsTest.counts(caseId, cutoff.plusSeconds(2), "solidarity").getLong("total")));
        String id = Streams.plan(caseId, "solidarity");
        int total = Streams.handOver(id, cutoff).extract().path("handover.total");
        assertEquals(2, total);

        String text = packText(id);
        // the pages list as many messages as the cover counts, the one posted late among them
        assertTrue(text.contains("Approved solidarity messages (" + total + ")"), text);
        assertTrue(text.contains("Written and posted in time") && text.contains("Written in time, posted late"), text);
        assertFalse(text.contains("Written after the cut-off"), text);
        List<String> rows = messagesCsv(id);
        assertEquals(total, rows.size(), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.contains(postedLate.actionId().toString())), rows.toString());
        // petition-service was asked for the messages written up to the cut-off
        assertTrue(PetitionStub.REQUESTS.stream().anyMatch(r -> r.contains("/api/v1/messages?caseId=" + caseId)
                && r.contains("until=" + cutoff + " ")), PetitionStub.REQUESTS.toString());
    }

    /**
     * A plan naming an entity (a section handing over its own petition) gets a pack of that entity's alone: its counts
     * and cover always were, but until a read-only audit (4 December 2026) its signer list, in the PDF and the ZIP, was
     * every entity's of the case, as the export was asked for the case only. A global plan of the same case still
     * names every entity's signers.
     */
    @Test
    void aPackForOneEntityNamesOnlyTheSignersThatEntityTookAndAGlobalOneEveryones() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        Streams.publish(kafka, org.w4r.events.Topics.ACTIONS, caseId,
                Streams.action(caseId, "ai-france", ActionType.SIGNATURE, 2, cutoff.minusSeconds(10)),
                Streams.action(caseId, "ai-malta", ActionType.SIGNATURE, 1, cutoff.minusSeconds(10)));
        PetitionStub.signers(caseId, java.util.Map.of(
                "ai-france", List.of("\"Ada Lovelace\",\"FR\"", "\"Marie Curie\",\"FR\""),
                "ai-malta", List.of("\"Mario Borg\",\"MT\"")));
        String malta = Streams.planForEntity(caseId, "petition", "ai-malta");

        // the preview names whom the pack will name
        String preview = text(given().auth().oauth2(DELIVERY).queryParam("until", cutoff.toString())
                .get("/api/v1/deliveries/" + malta + "/pack-preview").then().statusCode(200).extract().asByteArray());
        assertTrue(preview.contains("1. Mario Borg (MT)"), preview);
        assertFalse(preview.contains("Ada Lovelace") || preview.contains("Marie Curie"), preview);

        Streams.handOver(malta, cutoff)
                .body("handover.byEntity", equalTo(java.util.Map.of("ai-malta", 1)));
        String text = packText(malta);
        assertTrue(text.contains("People who agreed to be named (1)") && text.contains("1. Mario Borg (MT)"), text);
        assertFalse(text.contains("Ada Lovelace") || text.contains("Marie Curie"), text);
        Map<String, byte[]> zip = packZip(malta);
        assertEquals(List.of("name,country", "\"Mario Borg\",\"MT\""),
                new String(zip.get("signers.csv"), java.nio.charset.StandardCharsets.UTF_8).lines().toList());
        // petition-service was asked for the entity's signers, by the plan's entity
        assertTrue(PetitionStub.REQUESTS.stream().anyMatch(r -> r.equals("GET /api/v1/cases/" + caseId
                + "/signers.csv?until=" + cutoff + "&entityId=ai-malta auth=Bearer " + DELIVERY)), PetitionStub.REQUESTS.toString());

        String global = Streams.plan(caseId, "petition");
        Streams.handOver(global, cutoff)
                .body("handover.byEntity", equalTo(java.util.Map.of("ai-france", 2, "ai-malta", 1)));
        String all = packText(global);
        assertTrue(all.contains("People who agreed to be named (3)") && all.contains("Ada Lovelace (FR)")
                && all.contains("Marie Curie (FR)") && all.contains("Mario Borg (MT)"), all);
    }

    /** A solidarity plan naming an entity asks petition-service for that entity's messages, and holds only those. */
    @Test
    void aSolidarityPackForOneEntityHoldsOnlyThatEntitysMessages() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        ActionRecorded french = Streams.action(caseId, "ai-france", ActionType.MESSAGE, 1, cutoff.minusSeconds(60));
        ActionRecorded maltese = Streams.action(caseId, "ai-malta", ActionType.MESSAGE, 1, cutoff.minusSeconds(60));
        approved(caseId, List.of(french, maltese), cutoff);
        PetitionStub.MESSAGES_JSON.put(caseId, messagesJson(List.of(
                message(french, "Ada", "FR", "From a French supporter", "en"),
                message(maltese, "Mario", "MT", "From a Maltese supporter", "en"))));
        String id = Streams.planForEntity(caseId, "solidarity", "ai-malta");
        Streams.handOver(id, cutoff);
        String text = packText(id);
        assertTrue(text.contains("Approved solidarity messages (1)") && text.contains("From a Maltese supporter"), text);
        assertFalse(text.contains("From a French supporter"), text);
        assertTrue(PetitionStub.REQUESTS.stream().anyMatch(r -> r.contains("/api/v1/messages?caseId=" + caseId
                + "&status=approved&limit=1000&entityId=ai-malta&until=" + cutoff + " ")), PetitionStub.REQUESTS.toString());
    }

    /** Issue 16.6: once petition-service anonymised the campaign, a past pack is only its SHA-256. */
    @Test
    void aPackOfARetiredCampaignIsGoneAndItsDigestStays() throws Exception {
        for (String kind : List.of("petition", "solidarity")) {
            String caseId = Streams.newCaseSignedBy(kafka, "Marie Curie,FR");
            String id = Streams.plan(caseId, kind);
            Streams.handOver(id, Instant.now());
            Response issued = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack");
            issued.then().statusCode(200);
            String sha256 = PackDocumentTest.sha256(issued.asByteArray());

            PetitionStub.RETIRED.add(caseId);
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(410)
                    .contentType("application/problem+json").body("type", endsWith("/pack-retired"))
                    .body("packSha256", equalTo(sha256)).body("packCreatedAt", org.hamcrest.Matchers.notNullValue());
            // nothing new was issued; the handover still names the last copy's digest
            assertEquals(1, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid", id));
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().body("handover.packSha256", equalTo(sha256));
        }
        // a handover that never issued a pack: gone all the same, with nothing to verify
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        Streams.handOver(id, Instant.now());
        PetitionStub.RETIRED.add(caseId);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(410)
                .body("type", endsWith("/pack-retired")).body("packSha256", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void noPackBeforeTheHandoverNorWhilePetitionServiceIsDown() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/not-delivered"));
        Streams.handOver(id, Instant.now());
        PetitionStub.down = true;
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", equalTo("10"))
                .body("type", endsWith("/petition-service-unavailable"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().body("handover.packSha256",
                org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(staffToken("coordinator")).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(403);
        assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid", id));
    }

    @Test
    void noSignerListLeavesWhileTheCaseIsHeld() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        Streams.handOver(id, Instant.now());
        int asked = PetitionStub.REQUESTS.size();
        Streams.hold(kafka, caseId, 45);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/case-on-hold"));
        assertTrue(PetitionStub.REQUESTS.subList(asked, PetitionStub.REQUESTS.size()).stream()
                .noneMatch(r -> r.contains(caseId)), "petition-service must not be asked for a held case's signers");
        assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid", id));
    }

    /**
     * A hold that reached petition-service before this service (its DeliveryGate answers 409 case-on-hold while this
     * read model still has the case free) refuses the pack and the preview as this service's own hold does: 409
     * naming the hold, nothing issued, previewed or audited. It was 503 petition-service-unavailable with Retry-After
     * until a read-only review (6 December 2026).
     */
    @Test
    void aHoldPetitionServiceHasBeforeThisServiceRefusesPackAndPreviewWithNothingIssued() {
        String caseId = Streams.newCaseSignedBy(kafka, "Marie Curie,FR");
        String petition = Streams.handedOver(caseId);
        String solidarity = Streams.plan(caseId, "solidarity");
        Streams.handOver(solidarity, Instant.now());
        String planned = Streams.plan(caseId, "petition");
        PetitionStub.HELD.put(caseId, 48L);
        try {
            for (String path : List.of(petition + "/pack", petition + "/pack.zip", solidarity + "/pack",
                    planned + "/pack-preview")) {
                given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + path).then().statusCode(409)
                        .contentType("application/problem+json").header("Retry-After", org.hamcrest.Matchers.nullValue())
                        .body("type", equalTo("https://w4r.example.org/problems/case-on-hold"))
                        .body("caseId", equalTo(caseId)).body("hold.holdId", equalTo(48))
                        .body("hold.placedAt", equalTo("2027-02-01T08:00:00Z"));
            }
        } finally {
            PetitionStub.HELD.remove(caseId);
        }
        given().auth().oauth2(DELIVERY).get("/api/v1/cases/" + caseId).then().body("onHold", equalTo(false));
        for (String id : List.of(petition, solidarity, planned)) {
            assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid", id));
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then()
                    .body("handover.packSha256", org.hamcrest.Matchers.nullValue());
            given().auth().oauth2(staffToken("coordinator")).get("/api/v1/audit?subjectId=" + id).then().statusCode(200)
                    .body("entries.action", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("delivery.pack.issued")))
                    .body("entries.action", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("delivery.pack.previewed")));
        }
    }

    /**
     * A token petition-service already has revoked (its directory had the tombstone before this one's) is the caller's
     * 401, not this service's 503: nothing issued.
     */
    @Test
    void aCredentialPetitionServiceHasRevokedGetsNoPackAnd401() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.handedOver(caseId);
        PetitionStub.REVOKED.add(DELIVERY);
        try {
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(401)
                    .contentType("application/problem+json").body("type", endsWith("/unauthorized"));
        } finally {
            PetitionStub.REVOKED.remove(DELIVERY);
        }
        assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid", id));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(200);
    }

    /**
     * petition-service refuses a cut-off more than 366 days ahead with 400; the preview took one up to ten years ahead
     * and passed it on, and the 400 came back as {@code 503 petition-service-unavailable} with Retry-After: a request
     * no retry could mend (read-only review, 6 December 2026). It is the caller's 400 here now, naming the field,
     * before petition-service is asked; the counts preview beside it takes the same bound.
     */
    @Test
    void aPreviewCutoffBeyondPetitionServicesYearIsTheCallers400() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        int asked = PetitionStub.REQUESTS.size();
        String twoYears = Instant.now().plus(java.time.Duration.ofDays(730)).truncatedTo(ChronoUnit.SECONDS).toString();
        for (String path : List.of("/api/v1/deliveries/" + id + "/pack-preview", "/api/v1/cases/" + caseId + "/counts")) {
            given().auth().oauth2(DELIVERY).queryParam("until", twoYears).get(path).then().statusCode(400)
                    .contentType("application/problem+json").header("Retry-After", org.hamcrest.Matchers.nullValue())
                    .body("type", endsWith("/invalid-field")).body("field", equalTo("until"));
        }
        assertTrue(PetitionStub.REQUESTS.subList(asked, PetitionStub.REQUESTS.size()).stream()
                .noneMatch(r -> r.contains(caseId)), "petition-service must not be asked for a cut-off it refuses");
        assertEquals(0, Rows.number(db, "select count(*) from pack_preview where delivery_id = ?::uuid", id));
        // within the year, as petition-service takes it
        String elevenMonths = Instant.now().plus(java.time.Duration.ofDays(330)).truncatedTo(ChronoUnit.SECONDS).toString();
        given().auth().oauth2(DELIVERY).queryParam("until", elevenMonths)
                .get("/api/v1/deliveries/" + id + "/pack-preview").then().statusCode(200);
    }

    /**
     * A 400 from petition-service is a request this service should never have made (it checks what it forwards by
     * petition-service's bounds): a 500 naming the refusal, with no Retry-After, nothing issued. It was 503
     * petition-service-unavailable with Retry-After until a read-only review (6 December 2026), telling the caller to
     * send again what could never succeed.
     */
    @Test
    void aRequestPetitionServiceRefusesAsBadIsOurFaultNotARetry() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.handedOver(caseId);
        String planned = Streams.plan(caseId, "petition");
        PetitionStub.REFUSED.add(caseId);
        try {
            for (String path : List.of(id + "/pack", id + "/pack.zip", planned + "/pack-preview")) {
                given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + path).then().statusCode(500)
                        .contentType("application/problem+json").header("Retry-After", org.hamcrest.Matchers.nullValue())
                        .body("type", endsWith("/petition-service-refused"));
            }
        } finally {
            PetitionStub.REFUSED.remove(caseId);
        }
        assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid", id));
        assertEquals(0, Rows.number(db, "select count(*) from pack_preview where delivery_id = ?::uuid", planned));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(200);
    }

    static String text(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    static List<String> lines(String text) {
        return List.of(text.split("\\R"));
    }
}

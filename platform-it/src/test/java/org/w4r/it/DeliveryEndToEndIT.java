package org.w4r.it;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.DeliveryEvent;
import org.w4r.events.Events;
import org.w4r.events.HandoverRecorded;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery end to end through the packaged services and Kafka: actions posted to petition-service, counted by
 * tally-service and by delivery-service's own ledger, a handover recorded with a cut-off, frozen counts equal to the
 * tally at the cut-off (and unchanged by later actions), the tally showing it delivered, and a delivery pack built
 * from petition-service's consented signer list. The demo hold on paing-phyo-min stops its deliveries.
 */
class DeliveryEndToEndIT extends PlatformSupport {
    static final String CASE = "germain-rukuki";

    static String sign(String entityId, boolean showName, String name) {
        return given().auth().oauth2(platform.tokens.get(entityId)).contentType(ContentType.JSON).body("""
                        {"caseIds":["%s"],"signer":{"name":"%s","email":"%s@example.org","country":"FR"},
                         "consent":{"showName":%s}}""".formatted(CASE, name, UUID.randomUUID(), showName))
                .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(202)
                .body("results[0].status", equalTo("accepted")).extract().path("results[0].actionId");
    }

    /**
     * The case's total as the stream says it must be once {@code actionIds} are on it: the sum over every action event
     * of the case, each event once. Actions are keyed by case, so everything before them is on the same partition
     * before them; a tally that shows this has applied all of it, demo history included.
     */
    static long totalOnTheStreamWith(java.util.List<String> actionIds) {
        java.util.Map<String, Long> byEvent = new java.util.HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            byEvent.clear();
            seen.clear();
            for (ConsumerRecord<String, String> r : TopicReader.readAll(platform.kafka, Topics.ACTIONS)) {
                if (r.value() != null && CASE.equals(r.key())) {
                    org.w4r.events.ActionEvent e = Events.fromJson(r.value(), org.w4r.events.ActionEvent.class);
                    if ("w4r-demo".equals(e.campaignId())) {
                        byEvent.put(e.eventId().toString(), e.countChange());
                        seen.add(e.actionId().toString());
                    }
                }
            }
            return seen.containsAll(actionIds);
        });
        return byEvent.values().stream().mapToLong(Long::longValue).sum();
    }

    static JsonPath tallyOfCase() {
        return given().auth().oauth2(platform.tokens.get("demo-coordinator"))
                .get(platform.tally.url() + "/api/v1/totals/cases/" + CASE)
                .then().statusCode(200).extract().jsonPath();
    }

    static JsonPath deliveryCounts(Instant until) {
        return given().auth().oauth2(platform.tokens.get("demo-delivery"))
                .get(platform.delivery.url() + "/api/v1/cases/" + CASE + "/counts?kind=petition&until=" + until)
                .then().statusCode(200).extract().jsonPath();
    }

    static Map<String, Long> longs(Map<String, Object> map) {
        Map<String, Long> result = new TreeMap<>();
        if (map != null) {
            map.forEach((k, v) -> result.put(k, ((Number) v).longValue()));
        }
        return result;
    }

    @Test
    void actionsPostedThenAHandoverFreezesCountsEqualToTheTallyAtTheCutoff() throws Exception {
        java.util.List<String> posted = new java.util.ArrayList<>();
        posted.add(sign("ai-france", true, "Ada Lovelace"));
        posted.add(sign("ai-france", false, "Not Named"));
        posted.add(sign("ai-netherlands", true, "Grace Hopper"));
        posted.add(given().auth().oauth2(platform.tokens.get("ai-netherlands")).contentType(ContentType.JSON)
                .body("{\"type\":\"email\",\"caseId\":\"" + CASE + "\"}")
                .post(platform.petitions.url() + "/api/v1/actions").then().statusCode(202)
                .extract().path("results[0].actionId"));
        long expected = totalOnTheStreamWith(posted);
        await().atMost(Duration.ofSeconds(60)).until(() -> tallyOfCase().getLong("total") == expected);
        // in microseconds, as PostgreSQL keeps it, so the pack can be read back to the same instant
        Instant cutoff = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        JsonPath atCutoff = tallyOfCase();
        // delivery-service's own ledger has caught up with the same events
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(atCutoff.getLong("total"), deliveryCounts(cutoff).getLong("total")));

        String delivery = platform.delivery.url();
        String token = platform.tokens.get("demo-delivery");
        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body("""
                        {"caseId":"%s","kind":"petition","recipient":{"kind":"embassy","name":"Burundian Ambassador in Kenya"},
                         "place":{"city":"Nairobi","country":"KE"},"plannedFor":"%s"}""".formatted(CASE, cutoff))
                .post(delivery + "/api/v1/deliveries").then().statusCode(201).extract().path("id");
        JsonPath handover = given().auth().oauth2(token).contentType(ContentType.JSON).body("""
                        {"deliveredAt":"%s","cutoff":"%s","deliveredBy":"Kenya team","evidence":[]}""".formatted(cutoff, cutoff))
                .post(delivery + "/api/v1/deliveries/" + id + "/handover").then().statusCode(200)
                .body("status", equalTo("delivered")).extract().jsonPath().setRootPath("handover");
        assertEquals(atCutoff.getLong("total"), handover.getLong("total"));
        assertEquals(longs(atCutoff.getMap("byEntity")), longs(handover.getMap("byEntity")));
        assertEquals(longs(atCutoff.getMap("byType")), longs(handover.getMap("byType")));

        // on the stream, with the same counts and no names
        ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(60)).until(() ->
                TopicReader.readAll(platform.kafka, Topics.DELIVERIES).stream()
                        .filter(r -> r.value().contains(id) && r.value().contains("HandoverRecorded")).findFirst(),
                Optional::isPresent).orElseThrow();
        HandoverRecorded event = (HandoverRecorded) Events.fromJson(record.value(), DeliveryEvent.class);
        assertEquals(atCutoff.getLong("total"), event.total());
        assertFalse(record.value().contains("Kenya team") || record.value().contains("Ambassador"), record.value());

        // the tally shows it delivered; later actions raise the tally, never the frozen counts
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(atCutoff.getLong("total"), tallyOfCase().getLong("delivered")));
        String late = sign("ai-france", true, "Late Signer");
        long afterLate = totalOnTheStreamWith(java.util.List.of(late));
        assertEquals(expected + 1, afterLate);
        await().atMost(Duration.ofSeconds(60)).until(() -> tallyOfCase().getLong("total") == afterLate);
        given().auth().oauth2(token).get(delivery + "/api/v1/deliveries/" + id).then().statusCode(200)
                .body("handover.total", equalTo((int) atCutoff.getLong("total")));

        // the pack: petition-service's consented signers up to the cut-off, and its digest stored
        Response pack = given().auth().oauth2(token).get(delivery + "/api/v1/deliveries/" + id + "/pack");
        pack.then().statusCode(200).contentType("application/pdf");
        byte[] pdf = pack.asByteArray();
        assertTrue(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1).startsWith("%PDF-"));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf));
        given().auth().oauth2(token).get(delivery + "/api/v1/deliveries/" + id).then()
                .body("handover.packSha256", equalTo(sha256));
        // what the pack says: the case, the frozen figures, the named signers up to the cut-off and no one else
        String text;
        try (org.apache.pdfbox.pdmodel.PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            text = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
        }
        java.util.List<String> lines = text.lines().map(String::strip).toList();
        // the document as an ambassador reads it (docs/delivery-service.md): names and labels, numbers as English writes them
        String staff = platform.tokens.get("demo-coordinator");
        String cases = platform.cases.url();
        String caseName = given().auth().oauth2(staff).get(cases + "/api/v1/cases/" + CASE)
                .then().statusCode(200).extract().path("name");
        assertTrue(lines.contains(caseName), text);
        assertTrue(lines.contains("Write for Rights (demo with the 2020 cases)"), text);
        String minute = java.time.format.DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", java.util.Locale.ENGLISH)
                .withZone(java.time.ZoneOffset.UTC).format(cutoff);
        assertTrue(lines.contains(String.format(java.util.Locale.ENGLISH, "%,d", atCutoff.getLong("total"))), text);
        assertTrue(lines.contains("actions taken for this case up to " + minute), text);
        longs(atCutoff.getMap("byEntity")).forEach((entity, count) -> {
            String name = given().auth().oauth2(staff).get(cases + "/api/v1/entities/" + entity)
                    .then().statusCode(200).extract().path("name");
            assertTrue(lines.contains(name + " " + String.format(java.util.Locale.ENGLISH, "%,d", count)), name + " " + count + " not in\n" + text);
        });
        java.util.Properties labels = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(TestPlatform.ROOT.resolve(
                "delivery-service/src/main/resources/pack/en.properties"))) {
            labels.load(in);
        }
        longs(atCutoff.getMap("byType")).forEach((type, count) -> assertTrue(
                lines.contains(labels.getProperty("type." + type) + " " + String.format(java.util.Locale.ENGLISH, "%,d", count)), type + ": " + count + " not in\n" + text));
        assertTrue(text.contains("Ada Lovelace (FR)") && text.contains("Grace Hopper (FR)"), text);
        assertFalse(text.contains("Not Named"), "a signer who did not agree to be named is in the pack");
        assertFalse(text.contains("Late Signer"), "a signer after the cut-off is in the pack");
    }

    @Test
    void theDemoHoldOnPaingPhyoMinStopsItsDeliveries() {
        String token = platform.tokens.get("demo-delivery");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("""
                        {"caseId":"paing-phyo-min","kind":"petition","recipient":{"kind":"target-authority","name":"Myanmar authorities"},
                         "plannedFor":"2027-02-01T00:00:00Z"}""")
                .post(platform.delivery.url() + "/api/v1/deliveries").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/case-on-hold"))
                .body("caseId", equalTo("paing-phyo-min"));
        given().auth().oauth2(token).get(platform.petitions.url() + "/api/v1/cases/paing-phyo-min/signers.csv").then()
                .statusCode(409);
    }
}

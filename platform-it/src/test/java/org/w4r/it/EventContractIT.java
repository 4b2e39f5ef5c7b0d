package org.w4r.it;

import com.github.fge.jackson.JsonLoader;
import com.github.fge.jsonschema.core.exceptions.ProcessingException;
import com.github.fge.jsonschema.main.JsonSchema;
import com.github.fge.jsonschema.main.JsonSchemaFactory;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.TopicReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event contract on the wire: after personal data has gone in through every write that takes it (a signature,
 * a solidarity message and its approval, a delivery and its handover, an erasure), every record on every topic, read
 * back from Kafka, validates against its published JSON schema, and none carries any of that personal data in its key,
 * value or headers.
 */
class EventContractIT {
    /** The schema of each reference topic's one event type; the others are named by the record's eventType. */
    static final Map<String, String> SCHEMA_OF_TOPIC = Map.of(Topics.CAMPAIGNS, "campaign-changed",
            Topics.CASES, "case-changed", Topics.ENTITIES, "entity-changed", Topics.CREDENTIALS, "credential-changed",
            Topics.ERASURES, "signer-erased", Topics.MODERATION, "message-reviewed");

    @Test
    void everyRecordOnEveryTopicMatchesItsSchemaAndCarriesNoPersonalData() throws Exception {
        TestPlatform platform = TestPlatform.get();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String signerName = "Wanjiru Contract" + run;
        String signerEmail = "wanjiru.contract." + run + "@example.org";
        String authorName = "Tomasz Author" + run;
        String authorEmail = "tomasz.author." + run + "@example.net";
        String messageText = "Stay strong, we are with you " + run;
        String deliveredBy = "Olusegun Courier" + run;
        String recipient = "Minister Adaeze" + run;
        List<String> personal = List.of(signerName, signerEmail, signerEmail.substring(0, signerEmail.indexOf('@')),
                authorName, authorEmail, messageText, deliveredBy, recipient);

        String france = platform.tokens.get("ai-france");
        String actionId = given().auth().oauth2(france).contentType(ContentType.JSON)
                .body(Map.of("caseIds", List.of("jani-silva"), "signer", Map.of("name", signerName, "email", signerEmail,
                        "country", "KE"), "consent", Map.of("showName", true)))
                .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(202)
                .extract().path("results[0].actionId");
        String messageId = given().auth().oauth2(france).contentType(ContentType.JSON)
                .body(Map.of("caseId", "jani-silva", "author", Map.of("name", authorName, "country", "PL",
                        "email", authorEmail), "text", messageText, "language", "en"))
                .post(platform.petitions.url() + "/api/v1/messages").then().statusCode(202)
                .extract().path("messageId");
        String moderator = platform.tokens.get("demo-moderator");
        if (messageId == null) { // the answer names the action; find the message in the queue by its text
            messageId = await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(moderator)
                    .get(platform.petitions.url() + "/api/v1/messages?caseId=jani-silva&status=pending&limit=1000")
                    .then().statusCode(200).extract().jsonPath()
                    .getString("find { it.text == '" + messageText + "' }.messageId"), id -> id != null);
        }
        given().auth().oauth2(moderator).contentType(ContentType.JSON).body(Map.of("decision", "approve"))
                .post(platform.petitions.url() + "/api/v1/messages/" + messageId + "/decision").then().statusCode(200);

        String delivery = platform.tokens.get("demo-delivery");
        String deliveryId = given().auth().oauth2(delivery).contentType(ContentType.JSON)
                .body(Map.of("caseId", "jani-silva", "kind", "petition", "recipient", Map.of("kind", "embassy",
                        "name", recipient), "place", Map.of("city", "Bogota", "country", "CO"),
                        "plannedFor", Instant.now().toString()))
                .post(platform.delivery.url() + "/api/v1/deliveries").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(delivery).contentType(ContentType.JSON)
                .body(Map.of("deliveredAt", Instant.now().minusSeconds(5).toString(), "deliveredBy", deliveredBy))
                .post(platform.delivery.url() + "/api/v1/deliveries/" + deliveryId + "/handover").statusCode() == 200);
        String erasureId = given().auth().oauth2(france).contentType(ContentType.JSON)
                .body(Map.of("email", signerEmail)).post(platform.petitions.url() + "/api/v1/erasures")
                .then().statusCode(202).extract().path("erasureId");

        // each write has reached its topic before the topics are read
        String messageRef = messageId;
        await().atMost(Duration.ofSeconds(60)).until(() -> onTopic(platform, Topics.ACTIONS, actionId)
                && onTopic(platform, Topics.MODERATION, messageRef) && onTopic(platform, Topics.DELIVERIES, deliveryId)
                && onTopic(platform, Topics.ERASURES, erasureId));

        List<String> problems = new ArrayList<>();
        Map<String, Integer> checked = new TreeMap<>();
        List<String> topics = new ArrayList<>();
        for (Topics.Spec spec : Topics.specs(6)) {
            topics.add(spec.name());
        }
        for (String topic : topics) {
            for (ConsumerRecord<String, String> record : TopicReader.readAll(platform.kafka, topic)) {
                checked.merge(topic, 1, Integer::sum);
                String where = topic + "@" + record.partition() + ":" + record.offset();
                StringBuilder wire = new StringBuilder(String.valueOf(record.key())).append('\n')
                        .append(String.valueOf(record.value()));
                for (Header header : record.headers()) {
                    wire.append('\n').append(header.key()).append('=')
                            .append(header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
                }
                String lower = wire.toString().toLowerCase(Locale.ROOT);
                for (String p : personal) {
                    if (lower.contains(p.toLowerCase(Locale.ROOT))) {
                        problems.add(where + " carries personal data '" + p + "'");
                    }
                }
                if (topic.endsWith(".dead-letter")) {
                    continue; // what a consumer could not apply, kept as it came: checked for personal data only
                }
                if (record.value() == null) {
                    if (!topic.equals(Topics.CREDENTIALS)) { // a tombstone revokes a key; nothing else is deleted
                        problems.add(where + " is a tombstone");
                    }
                    continue;
                }
                // Jackson, not rest-assured's JsonPath: that compiles a Groovy expression per call, 22 ms a record,
                // 204 s of CI's 36 minutes for the 9,184 records the replay and the bench leave on the topics
                String schema = SCHEMA_OF_TOPIC.getOrDefault(topic,
                        kebab(JsonLoader.fromString(record.value()).path("eventType").asText()));
                if (!matches(schema, record.value())) {
                    problems.add(where + " does not match " + schema + ": " + record.value());
                }
            }
        }
        System.out.println("records checked by topic: " + checked);
        assertFalse(matches("action-recorded", "{\"eventType\":\"ActionRecorded\"}"), "a schema that refuses nothing");
        assertEquals(List.of(), problems);
        for (String topic : List.of(Topics.ACTIONS, Topics.MODERATION, Topics.DELIVERIES, Topics.ERASURES,
                Topics.CAMPAIGNS, Topics.CASES, Topics.ENTITIES, Topics.CREDENTIALS)) {
            assertTrue(checked.getOrDefault(topic, 0) > 0, "nothing read from " + topic);
        }
    }

    /**
     * Each schema compiled once: rest-assured's matcher loads and compiles its schema again for every value, about
     * 8 ms a record, and the topics hold ten thousand records once the replay and the bench have run (81 s of CI).
     */
    private final Map<String, JsonSchema> compiled = new HashMap<>();

    private boolean matches(String schema, String json) {
        try {
            JsonSchema compiledSchema = compiled.get(schema);
            if (compiledSchema == null) {
                compiledSchema = JsonSchemaFactory.byDefault().getJsonSchema("resource:/schemas/" + schema + ".schema.json");
                compiled.put(schema, compiledSchema);
            }
            return compiledSchema.validInstance(JsonLoader.fromString(json));
        } catch (ProcessingException | IOException e) {
            return false; // no such schema, or not JSON: a problem of the record's
        }
    }

    static boolean onTopic(TestPlatform platform, String topic, String id) {
        return TopicReader.readAll(platform.kafka, topic).stream().anyMatch(r -> r.value() != null && r.value().contains(id));
    }

    /** ActionRecorded → action-recorded. */
    static String kebab(String eventType) {
        if (eventType == null) {
            return "(no eventType)";
        }
        return eventType.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}

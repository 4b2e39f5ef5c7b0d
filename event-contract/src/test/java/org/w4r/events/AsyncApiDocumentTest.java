package org.w4r.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code asyncapi.yaml}, the event contract as AsyncAPI 3.0, against the code it describes: a topic, an event record
 * or a schema added without the document (or a channel left behind after a topic went) fails here.
 * <p>
 * "Valid AsyncAPI" is checked with the specification's own JSON Schema (AsyncAPI 3.0.0 as the AsyncAPI initiative
 * publishes it in {@code @asyncapi/specs} 6.11.1, {@code schemas/3.0.0-without-$id.json}, Apache-2.0, copied to
 * {@code src/test/resources/asyncapi/}), the same schema AsyncAPI's reference parser validates with. No Java
 * library from Maven Central validates 3.0 documents: apicurio-data-models reads them but has no 3.0 validation
 * rules (its issue #935), and jasyncapi only maps them to classes. The checks against the code are ours.
 */
class AsyncApiDocumentTest {
    /** Messages that are not event records, so have no schema file: a tombstone, and a record set aside as read. */
    static final Set<String> NOT_EVENTS = Set.of("CredentialRevoked", "DeadLetter");

    static JsonNode document;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = Events.class.getResourceAsStream("/asyncapi.yaml")) {
            assertNotNull(in, "asyncapi.yaml is missing from event-contract's resources");
            document = new YAMLMapper().readTree(in);
        }
    }

    @Test
    void theDocumentIsValidAsyncApi3() throws IOException {
        assertEquals("3.0.0", document.path("asyncapi").asText());
        assertEquals(List.of(), specificationErrors(document));
    }

    @Test
    void theSpecificationSchemaRefusesABrokenDocument() throws IOException {
        // the check above can fail: an AsyncAPI 2 style operation and a message without its channel are refused
        ObjectNode broken = document.deepCopy();
        ((ObjectNode) broken.path("operations").path("petitionSendsActions")).put("action", "publish");
        ((ObjectNode) broken.path("operations").path("tallyReceivesActions")).remove("channel");
        assertFalse(specificationErrors(broken).isEmpty());
    }

    @Test
    void everyTopicHasAChannelAndEveryChannelIsATopic() throws IllegalAccessException {
        Set<String> topics = new TreeSet<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                topics.add((String) field.get(null));
            }
        }
        Topics.specs(1).forEach(spec -> topics.add(spec.name()));
        assertEquals(topics, new TreeSet<>(channelsByAddress().keySet()));
    }

    @Test
    void everyChannelIsConfiguredAsServicesCreateItsTopic() {
        Map<String, JsonNode> channels = channelsByAddress();
        for (Topics.Spec spec : Topics.specs(6)) {
            JsonNode kafka = channels.get(spec.name()).path("bindings").path("kafka");
            // actions: the document gives the default of w4r.topics.actions.partitions, as specs(6) does here
            assertEquals(spec.partitions(), kafka.path("partitions").asInt(), spec.name() + ": partitions");
            Map<String, String> documented = new TreeMap<>();
            kafka.path("topicConfiguration").fields().forEachRemaining(e -> documented.put(e.getKey(),
                    e.getValue().isArray() ? String.join(",", texts(e.getValue())) : e.getValue().asText()));
            if ("delete".equals(documented.get("cleanup.policy")) && !spec.configs().containsKey("cleanup.policy")) {
                documented.remove("cleanup.policy"); // the broker's default, stated for the reader
            }
            assertEquals(new TreeMap<>(spec.configs()), documented, spec.name() + ": topic configuration");
        }
    }

    @Test
    void everyEventMessagesPayloadIsTheSchemaFileOfItsEvent() throws IOException {
        ObjectMapper json = new ObjectMapper();
        document.path("components").path("messages").fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode message = entry.getValue();
            assertEquals(name, message.path("name").asText(), name + ": name");
            if (NOT_EVENTS.contains(name)) {
                assertFalse(message.path("payload").has("$ref"), name + " is not an event: it has no schema file");
                return;
            }
            String ref = message.path("payload").path("$ref").asText();
            assertTrue(ref.matches("schemas/[a-z-]+\\.schema\\.json"), name + ": payload must reference a schema file of "
                    + "event-contract, not copy it: " + message.path("payload"));
            try (InputStream in = Events.class.getResourceAsStream("/" + ref)) {
                assertNotNull(in, name + ": " + ref + " does not exist");
                JsonNode schema = json.readTree(in);
                assertEquals(name, schema.path("title").asText(), ref + " is the schema of another event");
                if (schema.path("properties").has("eventType")) {
                    assertEquals(List.of(name), texts(schema.path("properties").path("eventType").path("enum")), ref);
                }
            } catch (IOException e) {
                throw new AssertionError(ref + " cannot be read", e);
            }
        });
    }

    @Test
    void everySchemaFileAndEveryEventRecordHasItsMessage() throws IOException, URISyntaxException, ClassNotFoundException {
        Set<String> referenced = new TreeSet<>();
        Set<String> messages = new TreeSet<>();
        document.path("components").path("messages").fields().forEachRemaining(e -> {
            messages.add(e.getKey());
            if (e.getValue().path("payload").has("$ref")) {
                referenced.add(e.getValue().path("payload").path("$ref").asText());
            }
        });
        assertEquals(files("/schemas/action-recorded.schema.json", ".schema.json", "schemas/"), referenced,
                "every schema file is a message's payload");
        Set<String> expected = new TreeSet<>(eventRecords());
        expected.addAll(NOT_EVENTS);
        assertEquals(expected, messages, "one message per event record of org.w4r.events");
    }

    @Test
    void everyEventMessageSaysItsKeyAndItsHeaders() {
        document.path("components").path("messages").fields().forEachRemaining(e -> {
            JsonNode message = e.getValue();
            JsonNode headers = local(message.path("headers"));
            if ("DeadLetter".equals(e.getKey())) {
                assertEquals(Set.of("w4r-reason", "w4r-error"), names(headers.path("properties")));
                assertTrue(message.path("bindings").path("kafka").path("key").isMissingNode(), "a dead letter has no key");
                return;
            }
            assertEquals(Set.of("traceparent", "tracestate"), names(headers.path("properties")), e.getKey());
            JsonNode key = local(message.path("bindings").path("kafka").path("key"));
            assertEquals("string", key.path("type").asText(), e.getKey() + ": key");
            assertFalse(key.path("description").asText().isBlank(), e.getKey() + ": what the key is");
        });
    }

    @Test
    void everyReferenceResolvesAndEveryOperationSendsOrReceivesMessagesOfItsChannel() {
        document.path("channels").fields().forEachRemaining(c -> c.getValue().path("messages").fields()
                .forEachRemaining(m -> assertNotNull(local(m.getValue()), c.getKey() + "/" + m.getKey())));
        document.path("operations").fields().forEachRemaining(o -> {
            String channelRef = o.getValue().path("channel").path("$ref").asText();
            assertNotNull(local(o.getValue().path("channel")), o.getKey());
            for (JsonNode message : o.getValue().path("messages")) {
                String ref = message.path("$ref").asText();
                assertTrue(ref.startsWith(channelRef + "/messages/"), o.getKey() + ": " + ref + " is not of " + channelRef);
                assertNotNull(local(message), o.getKey() + ": " + ref);
            }
            assertFalse(o.getValue().path("tags").isEmpty(), o.getKey() + ": which service");
        });
    }

    @Test
    void everyTopicHasASenderAndEveryEventTopicAReceiver() {
        Map<String, Set<String>> actions = new TreeMap<>();
        document.path("operations").fields().forEachRemaining(o -> actions.computeIfAbsent(
                local(o.getValue().path("channel")).path("address").asText(), a -> new TreeSet<>())
                .add(o.getValue().path("action").asText()));
        for (String topic : channelsByAddress().keySet()) {
            Set<String> expected = topic.endsWith(".dead-letter") ? Set.of("send") : Set.of("send", "receive");
            assertEquals(expected, actions.getOrDefault(topic, Set.of()), topic); // a dead letter is read by a person
        }
    }

    static List<String> specificationErrors(JsonNode candidate) throws IOException {
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
            return schema.validate(candidate).stream().map(Object::toString).toList();
        }
    }

    static Map<String, JsonNode> channelsByAddress() {
        Map<String, JsonNode> channels = new TreeMap<>();
        document.path("channels").forEach(c -> channels.put(c.path("address").asText(), c));
        return channels;
    }

    /** A local {@code $ref} ("#/components/…") followed; any other node as it is. Null when it points at nothing. */
    static JsonNode local(JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        String ref = node.path("$ref").asText();
        assertTrue(ref.startsWith("#/"), "not a local reference: " + ref);
        JsonNode target = document.at(ref.substring(1));
        return target.isMissingNode() ? null : local(target);
    }

    /** The public records of org.w4r.events that carry an eventId: the event types. */
    static Set<String> eventRecords() throws IOException, URISyntaxException, ClassNotFoundException {
        Set<String> records = new TreeSet<>();
        for (String file : files("Events.class", ".class", "")) {
            if (file.contains("$")) {
                continue;
            }
            Class<?> type = Class.forName("org.w4r.events." + file.substring(0, file.length() - ".class".length()));
            if (type.isRecord() && Stream.of(type.getRecordComponents()).map(RecordComponent::getName)
                    .anyMatch("eventId"::equals)) {
                records.add(type.getSimpleName());
            }
        }
        return records;
    }

    /**
     * The files beside {@code sibling} (a resource of event-contract's main classes: test-classes holds a package of
     * the same name, so a directory name alone could find the wrong one).
     */
    static Set<String> files(String sibling, String suffix, String prefix) throws IOException, URISyntaxException {
        Path dir = Path.of(Events.class.getResource(sibling).toURI()).getParent();
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).map(n -> prefix + n)
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}

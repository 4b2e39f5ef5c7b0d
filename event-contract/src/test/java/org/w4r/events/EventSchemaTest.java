package org.w4r.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.module.jsv.JsonSchemaValidator.matchesJsonSchemaInClasspath;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every event type serialises to JSON its published schema accepts, and reads back unchanged. */
class EventSchemaTest {
    static final Instant T = Instant.parse("2020-12-10T09:30:00Z");
    static final String HASH = "a".repeat(64);

    static Matcher<?> schema(String name) {
        return matchesJsonSchemaInClasspath("schemas/" + name + ".schema.json");
    }

    @Test
    void actionRecordedMatchesItsSchemaAndRoundTrips() {
        ActionEvent event = new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "nassima-al-sada",
                "ai-france", ActionType.SIGNATURE, Mode.ONLINE, 1, T, T);
        String json = Events.toJson(event);
        assertThat(json, (Matcher) schema("action-recorded"));
        assertEquals(event, Events.fromJson(json, ActionEvent.class));
        assertEquals("nassima-al-sada", event.key());
    }

    @Test
    void theSignerCountryTravelsAndAnOlderEventWithoutItReadsAsUnknown() {
        ActionEvent signed = new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "el-hiblu-3",
                "ai-france", ActionType.SIGNATURE, Mode.ONLINE, 1, T, T, "FR");
        String json = Events.toJson(signed);
        assertThat(json, (Matcher) schema("action-recorded"));
        assertEquals(signed, Events.fromJson(json, ActionEvent.class));
        assertEquals("FR", Events.fromJson(json, ActionEvent.class).signerCountry());
        ActionEvent corrected = new ActionCorrected(UUID.randomUUID(), signed.actionId(), "w4r-2020", "el-hiblu-3",
                "ai-france", ActionType.SIGNATURE, Mode.ONLINE, -1, T, T, "FR");
        assertThat(Events.toJson(corrected), (Matcher) schema("action-corrected"));
        assertEquals(corrected, Events.fromJson(Events.toJson(corrected), ActionEvent.class));
        String older = json.replace(",\"signerCountry\":\"FR\"", "");
        assertFalse(older.contains("signerCountry"), older);
        assertEquals(null, Events.fromJson(older, ActionEvent.class).signerCountry());
        assertThat(json.replace("\"FR\"", "\"fr\""), not((Matcher) schema("action-recorded")));
        for (String bad : List.of("\"fr\"", "\"FRA\"", "\"\"", "\"<script>\"")) {
            org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                    () -> Events.fromJson(json.replace("\"FR\"", bad), ActionEvent.class), bad);
        }
    }

    @Test
    void actionWithoutCaseIsKeyedByEntity() {
        ActionEvent event = new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", null,
                "ai-france", ActionType.LETTER, Mode.OFFLINE, 1250, T, T);
        String json = Events.toJson(event);
        assertFalse(json.contains("caseId"), json);
        assertThat(json, (Matcher) schema("action-recorded"));
        assertEquals("entity:ai-france", event.key());
    }

    @Test
    void actionCorrectedMatchesItsSchemaAndSubtracts() {
        ActionEvent event = new ActionCorrected(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "el-hiblu-3",
                "ai-malta", ActionType.LETTER, Mode.OFFLINE, -50, T, T);
        String json = Events.toJson(event);
        assertThat(json, (Matcher) schema("action-corrected"));
        assertEquals(event, Events.fromJson(json, ActionEvent.class));
        assertEquals(-50, event.countChange());
    }

    @Test
    void schemaRefusesPersonalDataOnTheStream() {
        String withEmail = Events.toJson(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020",
                "el-hiblu-3", "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, 1, T, T))
                .replace("}", ",\"email\":\"someone@example.org\"}");
        assertThat(withEmail, not((Matcher) schema("action-recorded")));
    }

    @Test
    void referenceEventsMatchTheirSchemas() {
        assertThat(Events.toJson(new CampaignChanged(UUID.randomUUID(), "w4r-2020", "Write for Rights 2020", T, T,
                true, List.of(new CampaignChanged.Extension("ai-france", T)), T)), (Matcher) schema("campaign-changed"));
        assertThat(Events.toJson(new CaseChanged(UUID.randomUUID(), "paing-phyo-min", "w4r-2020", "Paing Phyo Min",
                "MM", "Myanmar authorities", "global", null, 500_000L, "active", false,
                new CaseChanged.Hold(7, T), 3, T)), (Matcher) schema("case-changed"));
        assertThat(Events.toJson(new EntityChanged(UUID.randomUUID(), "ai-france", "France", "FR", "section", T)),
                (Matcher) schema("entity-changed"));
        assertThat(Events.toJson(new CredentialChanged(UUID.randomUUID(), "key_abc", HASH, "entity", "ai-france", null,
                T, T)), (Matcher) schema("credential-changed"));
        assertThat(Events.toJson(new CredentialChanged(UUID.randomUUID(), "key_def", HASH, "coordinator", null,
                "coordinator", null, T)), (Matcher) schema("credential-changed"));
        assertThat(Events.toJson(new SignerErased(UUID.randomUUID(), UUID.randomUUID(), "ai-france",
                List.of("el-hiblu-3"), T)), (Matcher) schema("signer-erased"));
    }

    @Test
    void aHoldOnTheStreamNamesNoReasonAndNoPerson() {
        String json = Events.toJson(new CaseChanged(UUID.randomUUID(), "paing-phyo-min", "w4r-2020", "Paing Phyo Min",
                "MM", "Myanmar authorities", "global", null, null, "active", false, new CaseChanged.Hold(7, T), 3, T));
        assertThat(json.replace("\"holdId\":7", "\"holdId\":7,\"reason\":\"threats\""), not((Matcher) schema("case-changed")));
    }

    @Test
    void anEventThatCouldNeverBeAppliedIsUnreadable() {
        String valid = Events.toJson(new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "el-hiblu-3",
                "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, 1, T, T));
        Events.fromJson(valid, ActionEvent.class);
        for (String poison : List.of(valid.replace("\"type\":\"signature\",", ""),
                valid.replace("\"count\":1", "\"count\":9223372036854775807"),
                valid.replace("\"count\":1", "\"count\":99999999999999999999999"),
                valid.replace("\"count\":1", "\"count\":0"),
                valid.replace("\"entityId\":\"ai-malta\",", ""))) {
            org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                    () -> Events.fromJson(poison, ActionEvent.class), poison);
        }
    }

    @Test
    void deliveryEventsMatchTheirSchemasAndRoundTrip() {
        UUID delivery = UUID.randomUUID();
        DeliveryEvent planned = new DeliveryPlanned(UUID.randomUUID(), delivery, "w4r-2020", "el-hiblu-3", null,
                "petition", "target-authority", "MT", T, T);
        DeliveryEvent handover = new HandoverRecorded(UUID.randomUUID(), delivery, "w4r-2020", "el-hiblu-3", null,
                "petition", T, T, 3, java.util.Map.of("ai-malta", 2L, "ai-france", 1L), java.util.Map.of("signature", 3L), T);
        DeliveryEvent cancelled = new DeliveryCancelled(UUID.randomUUID(), delivery, "w4r-2020", "el-hiblu-3", T);
        assertThat(Events.toJson(planned), (Matcher) schema("delivery-planned"));
        assertThat(Events.toJson(handover), (Matcher) schema("handover-recorded"));
        assertThat(Events.toJson(cancelled), (Matcher) schema("delivery-cancelled"));
        assertEquals(handover, Events.fromJson(Events.toJson(handover), DeliveryEvent.class));
        assertThat(Events.toJson(new MessageReviewed(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "el-hiblu-3",
                "ai-malta", MessageReviewed.APPROVED, T, T)), (Matcher) schema("message-reviewed"));
    }

    @Test
    void readersIgnoreFieldsAddedByNewerProducers() {
        String json = Events.toJson(new CredentialChanged(UUID.randomUUID(), "key_m", HASH, "moderator", null, "mod",
                null, T)).replace("}", ",\"addedLater\":true}");
        assertEquals("moderator", Events.fromJson(json, CredentialChanged.class).role());
    }

    // ---- The records refuse what their schemas refuse (read-only review, 6 December 2026) ----

    /** One valid event of each schema, as the JSON its producer writes, and the type its consumers read it as. */
    record Sample(String schema, Class<?> record, Class<?> readAs, Object event) {
        String json() {
            return Events.toJson(event);
        }
    }

    static List<Sample> samples() {
        UUID delivery = UUID.randomUUID();
        return List.of(
                new Sample("action-recorded", ActionRecorded.class, ActionEvent.class, new ActionRecorded(UUID.randomUUID(),
                        UUID.randomUUID(), "w4r-2020", "el-hiblu-3", "ai-malta", ActionType.SIGNATURE, Mode.ONLINE, 1, T, T,
                        "MT")),
                new Sample("action-corrected", ActionCorrected.class, ActionEvent.class, new ActionCorrected(
                        UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "el-hiblu-3", "ai-malta", ActionType.LETTER,
                        Mode.OFFLINE, -5, T, T)),
                new Sample("message-reviewed", MessageReviewed.class, MessageReviewed.class, new MessageReviewed(
                        UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "el-hiblu-3", "ai-malta",
                        MessageReviewed.APPROVED, T, T)),
                new Sample("delivery-planned", DeliveryPlanned.class, DeliveryEvent.class, new DeliveryPlanned(
                        UUID.randomUUID(), delivery, "w4r-2020", "el-hiblu-3", "ai-malta", "petition", "embassy", "MT", T, T)),
                new Sample("handover-recorded", HandoverRecorded.class, DeliveryEvent.class, handover(3,
                        Map.of("ai-malta", 2L, "ai-france", 1L), Map.of("signature", 3L), T, T)),
                new Sample("delivery-cancelled", DeliveryCancelled.class, DeliveryEvent.class, new DeliveryCancelled(
                        UUID.randomUUID(), delivery, "w4r-2020", "el-hiblu-3", T)),
                new Sample("campaign-changed", CampaignChanged.class, CampaignChanged.class, new CampaignChanged(
                        UUID.randomUUID(), "w4r-2020", "Write for Rights 2020", T, T.plus(Duration.ofDays(100)), true,
                        List.of(new CampaignChanged.Extension("ai-france", T.plus(Duration.ofDays(130)))), T)),
                new Sample("case-changed", CaseChanged.class, CaseChanged.class, caseAt(3, List.of(25, 50, 100))),
                new Sample("entity-changed", EntityChanged.class, EntityChanged.class, new EntityChanged(UUID.randomUUID(),
                        "ai-france", "France", "FR", "section", T)),
                new Sample("credential-changed", CredentialChanged.class, CredentialChanged.class, new CredentialChanged(
                        UUID.randomUUID(), "key_abc", HASH, "entity", "ai-france", null, T, T)),
                new Sample("signer-erased", SignerErased.class, SignerErased.class, new SignerErased(UUID.randomUUID(),
                        UUID.randomUUID(), "ai-france", List.of("el-hiblu-3"), T)));
    }

    static HandoverRecorded handover(long total, Map<String, Long> byEntity, Map<String, Long> byType, Instant cutoff,
                                     Instant deliveredAt) {
        return new HandoverRecorded(UUID.randomUUID(), UUID.randomUUID(), "w4r-2020", "el-hiblu-3", null, "petition",
                cutoff, deliveredAt, total, byEntity, byType, T);
    }

    static CaseChanged caseAt(long version, List<Integer> milestones) {
        return new CaseChanged(UUID.randomUUID(), "paing-phyo-min", "w4r-2020", "Paing Phyo Min", "MM",
                "Myanmar authorities", "global", null, 500_000L, "active", true, new CaseChanged.Hold(7, T), version, T,
                milestones, "Release him");
    }

    static boolean schemaAccepts(String schema, String json) {
        return schema(schema).matches(json);
    }

    /** The record refuses the JSON (Events.fromJson: unreadable), so every consumer sets it aside. */
    static void recordRefuses(Class<?> readAs, String json) {
        assertThrows(UncheckedIOException.class, () -> Events.fromJson(json, readAs), json);
    }

    /** Both the schema and the record refuse {@code json}: they agree. */
    static void bothRefuse(Sample sample, String json) {
        assertFalse(schemaAccepts(sample.schema(), json), "the schema takes " + json);
        recordRefuses(sample.readAs(), json);
    }

    static String edited(String json, Consumer<ObjectNode> edit) {
        try {
            ObjectNode node = (ObjectNode) Events.mapper().readTree(json);
            edit.accept(node);
            return Events.mapper().writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> required(String schema) {
        try (InputStream in = Events.class.getResourceAsStream("/schemas/" + schema + ".schema.json")) {
            List<String> names = new ArrayList<>();
            Events.mapper().readTree(in).path("required").forEach(n -> names.add(n.asText()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every field a schema requires, the record requires: without it (or null) the event cannot be built, so it is
     * unreadable wherever it is read. The one exception is a field of a primitive type (a count, a flag, a version),
     * which Jackson reads as 0 or false when absent: the lowest version, no public counter, not current; a count of 0
     * is refused anyway. Before, {@code eventId} was optional in five records (read-only review, 6 December 2026).
     */
    @Test
    void everyFieldASchemaRequiresTheRecordRequires() {
        for (Sample sample : samples()) {
            String json = sample.json();
            assertThat(json, (Matcher) schema(sample.schema()));
            assertEquals(sample.event(), Events.fromJson(json, sample.readAs()), "round trip of " + sample.schema());
            assertTrue(required(sample.schema()).contains("eventId"), sample.schema());
            for (String field : required(sample.schema())) {
                assertFalse(schemaAccepts(sample.schema(), edited(json, n -> n.remove(field))), sample.schema() + " " + field);
                if (primitive(sample.record(), field)) {
                    continue;
                }
                recordRefuses(sample.readAs(), edited(json, n -> n.remove(field)));
                recordRefuses(sample.readAs(), edited(json, n -> n.putNull(field)));
            }
        }
    }

    static boolean primitive(Class<?> record, String field) {
        return Arrays.stream(record.getRecordComponents()).filter(c -> c.getName().equals(field))
                .map(RecordComponent::getType).anyMatch(Class::isPrimitive);
    }

    /** What nested objects and lists require: a hold's start, an extension whole, no null item in a list. */
    @Test
    void nestedFieldsAndListItemsAreRequiredToo() {
        Map<String, Sample> by = new LinkedHashMap<>();
        samples().forEach(s -> by.put(s.schema(), s));
        Sample caseChanged = by.get("case-changed");
        bothRefuse(caseChanged, edited(caseChanged.json(), n -> ((ObjectNode) n.get("hold")).remove("placedAt")));
        bothRefuse(caseChanged, edited(caseChanged.json(), n -> ((ObjectNode) n.get("hold")).put("holdId", 0)));
        Sample campaign = by.get("campaign-changed");
        bothRefuse(campaign, edited(campaign.json(), n -> ((ObjectNode) n.get("extensions").get(0)).remove("closesAt")));
        bothRefuse(campaign, edited(campaign.json(), n -> ((ObjectNode) n.get("extensions").get(0)).remove("entityId")));
        bothRefuse(campaign, edited(campaign.json(), n -> ((ArrayNode) n.get("extensions")).addNull()));
        Sample erased = by.get("signer-erased");
        bothRefuse(erased, edited(erased.json(), n -> ((ArrayNode) n.get("caseIds")).addNull()));
        // written until 7 December 2026, on a topic kept for good: still read, by the schema and the record alike
        String withActionIds = edited(erased.json(), n -> n.putArray("actionIds").add(UUID.randomUUID().toString()));
        assertTrue(schemaAccepts(erased.schema(), withActionIds), withActionIds);
        assertEquals(Events.fromJson(erased.json(), SignerErased.class),
                Events.fromJson(withActionIds, SignerErased.class));
        assertFalse(erased.json().contains("actionIds"), "never written since: " + erased.json());
        Sample review = by.get("message-reviewed");
        bothRefuse(review, edited(review.json(), n -> n.put("decision", "maybe")));
        Sample action = by.get("action-recorded");
        bothRefuse(action, edited(action.json(), n -> n.put("count", 1_000_001)));
        // the JSON literal null reads as no event: every consumer must take it as unreadable itself (BatchConsumer,
        // case-service's CasesOnTopic)
        assertNull(Events.fromJson("null", CaseChanged.class));
    }

    /**
     * A case's milestones as the schema bounds them: 1 to 10 distinct percentages from 1 to 1,000. {@code [null]} was
     * taken, and tally-service's unboxing of it failed every count of the case, all its actions dead-lettered.
     */
    @Test
    void milestonesAreBoundedAsTheSchemaSays() {
        Sample sample = new Sample("case-changed", CaseChanged.class, CaseChanged.class, caseAt(3, List.of(25, 50)));
        String json = sample.json();
        assertThat(json, (Matcher) schema("case-changed"));
        assertThat(edited(json, n -> n.remove("milestones")), (Matcher) schema("case-changed"));
        assertThat(edited(json, n -> n.putArray("milestones").add(1).add(1000)), (Matcher) schema("case-changed"));
        Events.fromJson(edited(json, n -> n.putArray("milestones").add(1).add(1000)), CaseChanged.class);
        assertNull(Events.fromJson(edited(json, n -> n.remove("milestones")), CaseChanged.class).milestones());
        List<Consumer<ObjectNode>> poison = List.of(
                n -> n.putArray("milestones").addNull(),
                n -> n.putArray("milestones").add(25).addNull(),
                n -> n.putArray("milestones"),
                n -> n.putArray("milestones").add(0),
                n -> n.putArray("milestones").add(-25),
                n -> n.putArray("milestones").add(1001),
                n -> n.putArray("milestones").add(50).add(50),
                n -> {
                    ArrayNode eleven = n.putArray("milestones");
                    for (int p = 10; p <= 110; p += 10) {
                        eleven.add(p);
                    }
                });
        for (Consumer<ObjectNode> edit : poison) {
            bothRefuse(sample, edited(json, edit));
        }
        assertThrows(IllegalArgumentException.class, () -> caseAt(3, Arrays.asList(25, null)), "built in code too");
    }

    /**
     * A case's version is case-service's clock in microseconds, bounded by schema and record alike at year 9999 (a
     * version near {@code Long.MAX_VALUE} froze the case in every reader, who keep the highest), and never by the
     * reader's clock: a case-service whose clock runs days ahead still places holds every reader must keep.
     */
    @Test
    void aVersionAheadOfTheClockIsKeptAndOnePastYear9999Refused() {
        Sample sample = new Sample("case-changed", CaseChanged.class, CaseChanged.class, caseAt(3, null));
        String json = sample.json();
        long inAnHour = micros(Instant.now().plus(Duration.ofHours(1)));
        long inTwoDays = micros(Instant.now().plus(Duration.ofDays(2)));
        long inTwoYears = micros(Instant.now().plus(Duration.ofDays(730)));
        for (long version : new long[]{0, 3, micros(Instant.now()), inAnHour, inTwoDays, inTwoYears,
                Events.MAX_VERSION}) {
            String ok = edited(json, n -> n.put("version", version));
            assertThat(ok, (Matcher) schema("case-changed"));
            assertEquals(version, Events.fromJson(ok, CaseChanged.class).version());
        }
        bothRefuse(sample, edited(json, n -> n.put("version", Long.MAX_VALUE)));
        bothRefuse(sample, edited(json, n -> n.put("version", Events.MAX_VERSION + 1)));
        bothRefuse(sample, edited(json, n -> n.put("version", -1)));
        assertThrows(IllegalArgumentException.class, () -> caseAt(Long.MAX_VALUE, null), "built in code too");
        assertThrows(IllegalArgumentException.class, () -> new CaseChanged(null, "c", "w", "n", "MM", null, "global",
                null, null, "active", true, null, 1, T), "an eventId is required");
    }

    static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    /**
     * A handover's counts are 0 to 1,000,000,000, its breakdowns sum to its total, its delivery and cut-off are at most
     * 30 days ahead. Before, only three fields were checked: a negative or huge count overflowed tally's sum (every
     * dashboard read failed), a delivery dated years ahead postponed petition-service's anonymisation as long.
     */
    @Test
    void aHandoverIsCheckedWhole() {
        Sample sample = new Sample("handover-recorded", HandoverRecorded.class, DeliveryEvent.class,
                handover(3, Map.of("ai-malta", 2L, "ai-france", 1L), Map.of("signature", 3L), T, T));
        String json = sample.json();
        // the schema and the record agree on the counts
        bothRefuse(sample, edited(json, n -> n.put("total", -3)));
        bothRefuse(sample, edited(json, n -> n.put("total", Long.MAX_VALUE)));
        bothRefuse(sample, edited(json, n -> ((ObjectNode) n.get("byEntity")).put("ai-malta", -2)));
        bothRefuse(sample, edited(json, n -> ((ObjectNode) n.get("byType")).put("signature", Long.MAX_VALUE)));
        bothRefuse(sample, edited(json, n -> ((ObjectNode) n.get("byEntity")).putNull("ai-malta")));
        long max = Events.MAX_FROZEN_COUNT;
        String largest = Events.toJson(handover(max, Map.of("ai-malta", max), Map.of("signature", max), T, T));
        assertThat(largest, (Matcher) schema("handover-recorded"));
        Events.fromJson(largest, DeliveryEvent.class);
        bothRefuse(sample, edited(largest, n -> {
            n.put("total", max + 1);
            ((ObjectNode) n.get("byEntity")).put("ai-malta", max + 1);
            ((ObjectNode) n.get("byType")).put("signature", max + 1);
        }));
        String nothing = Events.toJson(handover(0, Map.of(), Map.of(), T, T));
        assertThat(nothing, (Matcher) schema("handover-recorded"));
        Events.fromJson(nothing, DeliveryEvent.class);

        // what the schema cannot say, the record checks: the sums, and the dates against the clock
        for (String poison : List.of(
                edited(json, n -> n.put("total", 4)),
                edited(json, n -> ((ObjectNode) n.get("byType")).put("letter", 1)),
                edited(json, n -> ((ObjectNode) n.get("byEntity")).remove("ai-france")),
                edited(json, n -> n.put("deliveredAt", "9999-12-31T00:00:00Z")),
                edited(json, n -> n.put("cutoff", "9999-12-31T00:00:00Z")),
                edited(json, n -> n.put("deliveredAt", Instant.now().plus(Duration.ofDays(31)).toString())))) {
            assertThat("a schema cannot say it", poison, (Matcher) schema("handover-recorded"));
            recordRefuses(DeliveryEvent.class, poison);
        }
        Instant soon = Instant.now().plus(Duration.ofDays(5));
        Events.fromJson(Events.toJson(handover(3, Map.of("ai-malta", 3L), Map.of("letter", 3L), soon, soon)),
                DeliveryEvent.class);
        assertThrows(IllegalArgumentException.class, () -> handover(3, Map.of("ai-malta", 2L), Map.of("letter", 3L),
                T, T), "built in code too");
    }
}

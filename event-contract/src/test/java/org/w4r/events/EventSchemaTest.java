package org.w4r.events;

import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.module.jsv.JsonSchemaValidator.matchesJsonSchemaInClasspath;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
                List.of("el-hiblu-3"), List.of(UUID.randomUUID()), T)), (Matcher) schema("signer-erased"));
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
}

package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The campaign and entity endpoints that only ever had their status code looked at, or nothing at all: each write is
 * checked where it matters (the row, the event other services build their read model from, the reads after it), and
 * each read against what was written.
 */
@QuarkusTest
class ReferenceEndpointsTest extends RunningService {
    @Test
    void aCampaignIsCreatedEditedAndReadBack() {
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CAMPAIGNS);
        String id = CaseLifecycleTest.id("camp");
        Instant opens = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant closes = opens.plus(40, ChronoUnit.DAYS);
        CaseLifecycleTest.post("/api/v1/campaigns", """
                {"campaignId":"%s","name":"Write for Rights","opensAt":"%s","closesAt":"%s"}""".formatted(id, opens, closes))
                .statusCode(201).header("Location", endsWith("/api/v1/campaigns/" + id)).body("current", equalTo(false));
        assertCampaign(mark, id, "Write for Rights", opens, closes);

        Instant later = closes.plus(10, ChronoUnit.DAYS);
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"name\":\"Write for Rights, extended\",\"closesAt\":\"" + later + "\"}")
                .patch("/api/v1/campaigns/" + id).then().statusCode(200)
                .body("name", equalTo("Write for Rights, extended")).body("opensAt", equalTo(opens.toString()))
                .body("closesAt", equalTo(later.toString()));
        assertCampaign(mark, id, "Write for Rights, extended", opens, later);

        // refused edits leave it as it was, everywhere
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body("{\"closesAt\":\"" + opens.minus(1, ChronoUnit.DAYS) + "\"}").patch("/api/v1/campaigns/" + id)
                .then().statusCode(400).body("field", equalTo("closesAt"));
        given().auth().oauth2(DemoCredentials.coordinator()).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .patch("/api/v1/campaigns/" + id).then().statusCode(403);
        given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .patch("/api/v1/campaigns/no-such-campaign").then().statusCode(404);
        String marker = CaseLifecycleTest.openCampaign();
        await().atMost(Effects.BOUND).until(() -> mark.keysSince(Topics.CAMPAIGNS).contains(marker));
        assertEquals(2, mark.keysSince(Topics.CAMPAIGNS).stream().filter(id::equals).count(),
                "one event for the creation, one for the edit, none for a refusal");
        assertCampaign(mark, id, "Write for Rights, extended", opens, later);

        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/campaigns/no-such-campaign").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(DemoCredentials.token("ai-france")).get("/api/v1/campaigns/" + id).then().statusCode(403);
        given().get("/api/v1/campaigns/" + id).then().statusCode(401);
    }

    /** The row, both reads and the latest event all say the same. */
    private void assertCampaign(Effects.Mark mark, String id, String name, Instant opens, Instant closes) {
        Map<String, Object> row = Effects.row(db, "select * from campaign where id = ?", id);
        assertEquals(name, row.get("name"));
        assertEquals(opens, Effects.instant(row.get("opens_at")));
        assertEquals(closes, Effects.instant(row.get("closes_at")));
        assertEquals(false, row.get("current"));
        for (String delivery : List.of("demo-delivery", "demo-moderator", "demo-coordinator")) {
            given().auth().oauth2(DemoCredentials.token(delivery)).get("/api/v1/campaigns/" + id).then().statusCode(200)
                    .body("campaignId", equalTo(id)).body("name", equalTo(name))
                    .body("opensAt", equalTo(opens.toString())).body("closesAt", equalTo(closes.toString()))
                    .body("current", equalTo(false));
        }
        JsonPath list = given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/campaigns").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(name, list.getString("find { it.campaignId == '" + id + "' }.name"));
        await().atMost(Effects.BOUND).untilAsserted(() -> {
            CampaignChanged event = mark.since(Topics.CAMPAIGNS).stream().filter(r -> id.equals(r.key()))
                    .reduce((a, b) -> b).map(r -> Events.fromJson(r.value(), CampaignChanged.class)).orElseThrow();
            assertEquals(name, event.name());
            assertEquals(opens, event.opensAt());
            assertEquals(closes, event.closesAt());
            assertFalse(event.current());
        });
    }

    @Test
    void anEntityIsCreatedAndReadBack() {
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.ENTITIES);
        String id = CaseLifecycleTest.id("ai-test-structure");
        CaseLifecycleTest.post("/api/v1/entities", """
                {"entityId":"%s","name":"Test structure","country":"pt","kind":"structure"}""".formatted(id))
                .statusCode(201).header("Location", endsWith("/api/v1/entities/" + id))
                .body("country", equalTo("PT")).body("kind", equalTo("structure"));
        assertEntity(mark, id, "Test structure", "PT", "structure");

        CaseLifecycleTest.post("/api/v1/entities", "{\"entityId\":\"" + id + "\",\"name\":\"Again\"}").statusCode(409);
        CaseLifecycleTest.post("/api/v1/entities", "{\"entityId\":\"" + CaseLifecycleTest.id("ai-test")
                + "\",\"name\":\"x\",\"kind\":\"club\"}").statusCode(400).body("field", equalTo("kind"));
        String marker = CredentialsTest.newEntity();
        await().atMost(Effects.BOUND).until(() -> mark.keysSince(Topics.ENTITIES).contains(marker));
        assertEquals(List.of(id, marker), mark.keysSince(Topics.ENTITIES), "the refusals published nothing");
        assertEntity(mark, id, "Test structure", "PT", "structure");

        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/entities/ai-nowhere").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(DemoCredentials.token("ai-france")).get("/api/v1/entities/ai-france").then().statusCode(403);
    }

    private void assertEntity(Effects.Mark mark, String id, String name, String country, String kind) {
        Map<String, Object> row = Effects.row(db, "select * from entity where id = ?", id);
        assertEquals(name, row.get("name"));
        assertEquals(country, row.get("country"));
        assertEquals(kind, row.get("kind"));
        given().auth().oauth2(DemoCredentials.token("demo-delivery")).get("/api/v1/entities/" + id).then()
                .statusCode(200).body("entityId", equalTo(id)).body("name", equalTo(name))
                .body("country", equalTo(country)).body("kind", equalTo(kind));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/entities").then().statusCode(200)
                .body("find { it.entityId == '" + id + "' }.name", equalTo(name));
        await().atMost(Effects.BOUND).untilAsserted(() -> {
            List<EntityChanged> events = mark.since(Topics.ENTITIES).stream().filter(r -> id.equals(r.key()))
                    .map(r -> Events.fromJson(r.value(), EntityChanged.class)).toList();
            assertEquals(1, events.size(), "one event for one entity");
            assertEquals(name, events.get(0).name());
            assertEquals(country, events.get(0).country());
            assertEquals(kind, events.get(0).kind());
        });
    }

    /**
     * An entity's case ids are {@code <entityId>-...}, so {@code ai-belgium} held {@code ai-belgium-flemish}'s whole
     * namespace, and an entity {@code ai} would hold every {@code ai-...} one (found by a read-only review, 6 December
     * 2026). An id overlapping an existing entity's either way round, created, imported or in a dry run, is a 409 naming
     * the entity there, with nothing stored or published; two lines of one file overlapping each other too.
     */
    @Test
    void anEntityIdNeverOverlapsAnotherEntitysNamespace() {
        String manager = DemoCredentials.caseManager();
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.ENTITIES);
        String outer = CaseLifecycleTest.id("e"), inner = CaseLifecycleTest.id("e") + "-sub";
        for (String id : List.of(outer, inner)) {
            CaseLifecycleTest.post("/api/v1/entities", "{\"entityId\":\"" + id + "\",\"name\":\"Section\"}")
                    .statusCode(201);
        }
        // a new id inside an existing entity's namespace, and one whose namespace holds an existing entity's
        Map<String, String> existingByNew = Map.of(outer + "-sub", outer, inner.substring(0, inner.length() - "-sub".length()),
                inner);
        existingByNew.forEach((id, existing) -> {
            CaseLifecycleTest.post("/api/v1/entities", "{\"entityId\":\"" + id + "\",\"name\":\"Overlapping\"}")
                    .statusCode(409).contentType("application/problem+json")
                    .body("type", endsWith("/entity-id-overlaps")).body("existingEntityId", equalTo(existing))
                    .body("detail", containsString("'" + existing + "'"));
            given().auth().oauth2(manager).contentType("text/csv").body("entity_id,name,reported_actions\n" + id + ",x,1\n")
                    .post("/api/v1/entities/import").then().statusCode(409).contentType("application/problem+json")
                    .body("type", endsWith("/entity-id-overlaps")).body("existingEntityId", equalTo(existing))
                    .body("line", equalTo(2));
            given().auth().oauth2(manager).contentType("text/csv").body("entity_id,name,reported_actions\n" + id + ",x,1\n")
                    .post("/api/v1/entities/import?dryRun=true").then().statusCode(200)
                    .body("results[0].status", equalTo("refused"))
                    .body("results[0].problem.type", endsWith("/entity-id-overlaps"))
                    .body("results[0].problem.existingEntityId", equalTo(existing));
            assertNull(Effects.row(db, "select 1 from entity where id = ?", id), "no entity " + id);
        });
        // an entity 'e' would hold every 'e-...' entity's namespace
        CaseLifecycleTest.post("/api/v1/entities", "{\"entityId\":\"e\",\"name\":\"Everything\"}").statusCode(409)
                .body("type", endsWith("/entity-id-overlaps")).body("existingEntityId", startsWith("e-"));
        assertNull(Effects.row(db, "select 1 from entity where id = 'e'"));

        // in one file, a line overlapping an earlier line's entity, either order; the whole file is refused
        String first = CaseLifecycleTest.id("e");
        for (List<String> lines : List.of(List.of(first, first + "-sub"), List.of(first + "-sub", first))) {
            String csv = "entity_id,name,reported_actions\n" + lines.get(0) + ",A,1\n" + lines.get(1) + ",B,1\n";
            given().auth().oauth2(manager).contentType("text/csv").body(csv).post("/api/v1/entities/import?dryRun=true")
                    .then().statusCode(200).body("results.status", equalTo(List.of("ok", "refused")))
                    .body("results[1].problem.type", endsWith("/entity-id-overlaps"))
                    .body("results[1].problem.existingEntityId", equalTo(lines.get(0)));
            given().auth().oauth2(manager).contentType("text/csv").body(csv).post("/api/v1/entities/import").then()
                    .statusCode(409).body("type", endsWith("/entity-id-overlaps")).body("line", equalTo(3));
            for (String id : lines) {
                assertNull(Effects.row(db, "select 1 from entity where id = ?", id), "no entity " + id);
            }
        }

        String marker = CredentialsTest.newEntity();
        await().atMost(Effects.BOUND).until(() -> mark.keysSince(Topics.ENTITIES).contains(marker));
        assertEquals(List.of(outer, inner, marker), mark.keysSince(Topics.ENTITIES), "the refusals published nothing");
    }

    @Test
    void importedEntitiesAreStoredPublishedAndReadable() {
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.ENTITIES);
        String a = CaseLifecycleTest.id("ai-test-a"), b = CaseLifecycleTest.id("ai-test-b");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions,country,kind\n" + a + ",Section A,12,MT,section\n"
                        + b + ",Office B,3,,regional-office\n")
                .post("/api/v1/entities/import").then().statusCode(201)
                .body("entityId", equalTo(List.of(a, b)));
        assertEntity(mark, a, "Section A", "MT", "section");
        assertEntity(mark, b, "Office B", null, "regional-office");

        // one bad row refuses the file: its good rows are neither stored nor published
        String good = CaseLifecycleTest.id("ai-test-good");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + good + ",Good,1\nBad Id,Bad,1\n")
                .post("/api/v1/entities/import").then().statusCode(400).body("line", equalTo(3));
        given().auth().oauth2(DemoCredentials.token("ai-france")).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + good + ",Good,1\n")
                .post("/api/v1/entities/import").then().statusCode(403);
        assertNull(Effects.row(db, "select * from entity where id = ?", good));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/entities/" + good).then().statusCode(404);
        String marker = CredentialsTest.newEntity();
        await().atMost(Effects.BOUND).until(() -> mark.keysSince(Topics.ENTITIES).contains(marker));
        assertEquals(List.of(a, b, marker), mark.keysSince(Topics.ENTITIES));
    }

    @Test
    void importedCasesAreStoredPublishedAndReadable() {
        String campaign = CaseLifecycleTest.openCampaign();
        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);
        String a = CaseLifecycleTest.id("csv"), b = CaseLifecycleTest.id("csv");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions,target_authority\n"
                        + a + ",A story,Malta,MT,1000,Prime Minister\n" + b + ",Another story,Chile,CL,,\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import").then().statusCode(201)
                .body("caseId", equalTo(List.of(a, b)));
        await().atMost(Effects.BOUND).until(() -> mark.keysSince(Topics.CASES).containsAll(List.of(a, b)));
        List<ConsumerRecord<String, String>> records = mark.since(Topics.CASES);
        assertEquals(List.of(a, b), records.stream().map(ConsumerRecord::key).toList(), "one event per imported case");
        CaseChanged first = Events.fromJson(records.get(0).value(), CaseChanged.class);
        Map<String, Object> row = Effects.caseRow(db, a);
        assertEquals("active", row.get("status"), "a case manager's import is active at once");
        assertEquals(1000L, row.get("goal"));
        assertEquals("MT", row.get("country"));
        assertEquals("Prime Minister", row.get("target_authority"));
        assertEquals(campaign, row.get("campaign_id"));
        assertEquals(row.get("revision"), first.version());
        assertEquals("active", first.status());
        assertEquals(1000L, first.goal());
        assertEquals(campaign, first.campaignId());
        assertTrue(first.publicCounter());
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases?campaign=" + campaign).then()
                .statusCode(200).body("caseId", equalTo(List.of(a, b).stream().sorted().toList()))
                .body("find { it.caseId == '" + b + "' }.country", equalTo("CL"))
                .body("find { it.caseId == '" + b + "' }.goal", equalTo(null));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases").then().statusCode(200)
                .body("caseId", hasItem(a)).body("caseId", not(hasItem("no-such-case")));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases?campaign=NOT_A_SLUG").then()
                .statusCode(400);
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2\n" + CaseLifecycleTest.id("csv") + ",x,Malta,MT\n")
                .post("/api/v1/campaigns/no-such-campaign/cases/import").then().statusCode(404);
    }
}

package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A refused write (400, 403, 404, 409, 422) publishes nothing: every other service would act on an event for a change
 * that never happened. After the refusals, one accepted write per topic is the marker; once the markers are on Kafka
 * (the relay sends in commit order), nothing but them may be found after the mark.
 */
@QuarkusTest
class NothingPublishedOnRefusalTest extends RunningService {
    record Refusal(String what, int status, Supplier<Response> call) {
    }

    @Test
    void refusedWritesOfCasesEntitiesAndCredentialsPublishNothing() {
        String manager = DemoCredentials.caseManager();
        String coordinator = DemoCredentials.coordinator();
        Instant now = Instant.now();
        String campaign = CaseLifecycleTest.openCampaign();
        String closedCampaign = CaseLifecycleTest.campaign(now.minus(90, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS));
        String active = CaseLifecycleTest.newCase(campaign);
        CaseLifecycleTest.status(active, "active").statusCode(200);
        String held = CaseLifecycleTest.newCase(campaign);
        given().auth().oauth2(manager).contentType("application/json").body("{\"reason\":\"threats\"}")
                .put("/api/v1/cases/" + held + "/hold").then().statusCode(200);
        // a draft case whose campaign then closes: activating it is a 422
        String closing = CaseLifecycleTest.openCampaign();
        String lateDraft = CaseLifecycleTest.newCase(closing);
        given().auth().oauth2(manager).contentType("application/json")
                .body("{\"closesAt\":\"" + now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS) + "\"}")
                .patch("/api/v1/campaigns/" + closing).then().statusCode(200);
        String entity = CredentialsTest.newEntity();
        String own = CredentialsTest.managerKey(entity, null);
        given().auth().oauth2(own).post("/api/v1/entities/" + entity + "/keys").then().statusCode(201);
        given().auth().oauth2(own).post("/api/v1/entities/" + entity + "/keys").then().statusCode(201);
        String staff = CaseLifecycleTest.id("delivery");
        given().auth().oauth2(manager).contentType("application/json")
                .body("{\"principal\":\"" + staff + "\",\"role\":\"delivery\"}").post("/api/v1/staff").then().statusCode(201);
        String moderator = DemoCredentials.token("demo-moderator");
        String france = DemoCredentials.token("ai-france");

        List<Refusal> refusals = new ArrayList<>();
        // cases
        refusals.add(new Refusal("case with an unknown country", 400, () -> json(manager, "{\"caseId\":\""
                + CaseLifecycleTest.id("c") + "\",\"campaignId\":\"" + campaign + "\",\"name\":\"x\",\"country\":\"XZ\"}")
                .post("/api/v1/cases")));
        refusals.add(new Refusal("case by a coordinator", 403, () -> json(coordinator, "{\"caseId\":\""
                + CaseLifecycleTest.id("c") + "\",\"campaignId\":\"" + campaign + "\",\"name\":\"x\",\"country\":\"MM\"}")
                .post("/api/v1/cases")));
        refusals.add(new Refusal("case of an unknown campaign", 404, () -> json(manager, "{\"caseId\":\""
                + CaseLifecycleTest.id("c") + "\",\"campaignId\":\"no-such-campaign\",\"name\":\"x\",\"country\":\"MM\"}")
                .post("/api/v1/cases")));
        refusals.add(new Refusal("duplicate case", 409, () -> json(manager, "{\"caseId\":\"" + active
                + "\",\"campaignId\":\"" + campaign + "\",\"name\":\"x\",\"country\":\"MM\"}").post("/api/v1/cases")));
        refusals.add(new Refusal("case of a closed campaign", 422, () -> json(manager, "{\"caseId\":\""
                + CaseLifecycleTest.id("c") + "\",\"campaignId\":\"" + closedCampaign
                + "\",\"name\":\"x\",\"country\":\"MM\"}").post("/api/v1/cases")));
        refusals.add(new Refusal("edit with a negative goal", 400, () -> json(manager, "{\"goal\":-1,\"name\":\"y\"}")
                .patch("/api/v1/cases/" + active)));
        refusals.add(new Refusal("edit by a delivery token", 403, () -> json(DemoCredentials.token("demo-delivery"),
                "{\"goal\":1}").patch("/api/v1/cases/" + active)));
        refusals.add(new Refusal("active back to draft", 409, () -> json(manager, "{\"status\":\"draft\"}")
                .post("/api/v1/cases/" + active + "/status")));
        refusals.add(new Refusal("activation in a closed campaign", 422, () -> json(manager, "{\"status\":\"active\"}")
                .post("/api/v1/cases/" + lateDraft + "/status")));
        refusals.add(new Refusal("hold on a held case", 409, () -> json(manager, "{\"reason\":\"again\"}")
                .put("/api/v1/cases/" + held + "/hold")));
        refusals.add(new Refusal("hold by a moderator", 403, () -> json(moderator, "{\"reason\":\"x\"}")
                .put("/api/v1/cases/" + active + "/hold")));
        refusals.add(new Refusal("hold without a reason", 400, () -> json(manager, "{\"reason\":\" \"}")
                .put("/api/v1/cases/" + active + "/hold")));
        refusals.add(new Refusal("hold on an unknown case", 404, () -> json(manager, "{\"reason\":\"x\"}")
                .put("/api/v1/cases/no-such-case/hold")));
        refusals.add(new Refusal("lift where there is no hold", 409, () -> given().auth().oauth2(manager)
                .delete("/api/v1/cases/" + active + "/hold?holdId=1")));
        refusals.add(new Refusal("cases file with a bad second row", 400, () -> given().auth().oauth2(manager)
                .contentType("text/csv").body("case_id,name,country,iso2,estimated_actions\n" + CaseLifecycleTest.id("csv")
                        + ",Good,Malta,MT,10\nBad Id,Bad,Malta,MT,10\n").post("/api/v1/campaigns/" + campaign + "/cases/import")));
        refusals.add(new Refusal("an entity importing an active case", 403, () -> given().auth().oauth2(france)
                .contentType("text/csv").body("case_id,name,country,iso2,status\n" + CaseLifecycleTest.id("ai-france")
                        + ",Good,France,FR,draft\n" + CaseLifecycleTest.id("ai-france") + ",x,France,FR,active\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import")));
        refusals.add(new Refusal("an entity importing a case outside its own ids", 400, () -> given().auth().oauth2(france)
                .contentType("text/csv").body("case_id,name,country,iso2\n" + CaseLifecycleTest.id("ai-france")
                        + ",Good,France,FR\n" + CaseLifecycleTest.id("csv") + ",x,France,FR\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import")));
        // entities
        refusals.add(new Refusal("entity named as a staff principal", 409, () -> json(manager, "{\"entityId\":\"" + staff
                + "\",\"name\":\"x\"}").post("/api/v1/entities")));
        refusals.add(new Refusal("duplicate entity", 409, () -> json(manager, "{\"entityId\":\"" + entity
                + "\",\"name\":\"x\"}").post("/api/v1/entities")));
        refusals.add(new Refusal("entity inside another's namespace", 409, () -> json(manager, "{\"entityId\":\""
                + entity + "-sub\",\"name\":\"x\"}").post("/api/v1/entities")));
        refusals.add(new Refusal("entity whose namespace holds another's", 409, () -> json(manager, "{\"entityId\":\""
                + entity.substring(0, entity.lastIndexOf('-')) + "\",\"name\":\"x\"}").post("/api/v1/entities")));
        refusals.add(new Refusal("entities file with a line inside another's namespace", 409, () -> given().auth()
                .oauth2(manager).contentType("text/csv").body("entity_id,name,reported_actions\n"
                        + CaseLifecycleTest.id("ai-test") + ",Good,1\n" + entity + "-sub,Inside,1\n")
                .post("/api/v1/entities/import")));
        refusals.add(new Refusal("entity of an unknown kind", 400, () -> json(manager, "{\"entityId\":\""
                + CaseLifecycleTest.id("ai-test") + "\",\"name\":\"x\",\"kind\":\"club\"}").post("/api/v1/entities")));
        refusals.add(new Refusal("entity by a coordinator", 403, () -> json(coordinator, "{\"entityId\":\""
                + CaseLifecycleTest.id("ai-test") + "\",\"name\":\"x\"}").post("/api/v1/entities")));
        refusals.add(new Refusal("entities file with a duplicate last row", 409, () -> given().auth().oauth2(manager)
                .contentType("text/csv").body("entity_id,name,reported_actions\n" + CaseLifecycleTest.id("ai-test")
                        + ",Good,1\n" + entity + ",Again,1\n").post("/api/v1/entities/import")));
        // credentials
        refusals.add(new Refusal("a fourth key by the entity itself", 409, () -> given().auth().oauth2(own)
                .post("/api/v1/entities/" + entity + "/keys")));
        refusals.add(new Refusal("a key for another entity", 403, () -> given().auth().oauth2(own)
                .post("/api/v1/entities/ai-france/keys")));
        refusals.add(new Refusal("a key for an unknown entity", 404, () -> given().auth().oauth2(manager)
                .post("/api/v1/entities/ai-nowhere/keys")));
        refusals.add(new Refusal("a key that expired already", 400, () -> json(manager, "{\"expiresAt\":\""
                + now.minus(1, ChronoUnit.DAYS) + "\"}").post("/api/v1/entities/" + entity + "/keys")));
        refusals.add(new Refusal("revoking an unknown key", 404, () -> given().auth().oauth2(manager)
                .delete("/api/v1/entities/" + entity + "/keys/key_nosuchkey")));
        refusals.add(new Refusal("revoking another entity's key", 403, () -> given().auth().oauth2(own)
                .delete("/api/v1/entities/ai-france/keys/key_nosuchkey")));
        refusals.add(new Refusal("a staff token of another role", 409, () -> json(manager, "{\"principal\":\"" + staff
                + "\",\"role\":\"coordinator\"}").post("/api/v1/staff")));
        refusals.add(new Refusal("a staff token of no role", 400, () -> json(manager, "{\"principal\":\""
                + CaseLifecycleTest.id("p") + "\",\"role\":\"admin\"}").post("/api/v1/staff")));
        refusals.add(new Refusal("a staff token by a moderator", 403, () -> json(moderator, "{\"principal\":\""
                + CaseLifecycleTest.id("p") + "\",\"role\":\"moderator\"}").post("/api/v1/staff")));
        refusals.add(new Refusal("revoking a token under another principal", 404, () -> given().auth().oauth2(manager)
                .delete("/api/v1/staff/demo-coordinator/tokens/key_nosuchkey")));

        Effects.awaitOutboxEmpty(relay);
        Map<String, Object> stored = stored();
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES, Topics.ENTITIES, Topics.CREDENTIALS, Topics.CAMPAIGNS);
        List<String> wrong = new ArrayList<>();
        for (Refusal r : refusals) {
            Response answer = r.call().get();
            if (answer.statusCode() != r.status()) {
                wrong.add(r.what() + ": " + answer.statusCode() + " " + answer.asString());
            }
        }
        assertEquals(List.of(), wrong, "each write is refused as expected");
        assertEquals(stored, stored(), "nothing stored");

        // markers: one accepted write per topic, after every refusal
        String markerCase = CaseLifecycleTest.newCase(campaign);
        String markerEntity = CredentialsTest.newEntity();
        String markerKey = given().auth().oauth2(manager).post("/api/v1/entities/" + markerEntity + "/keys").then()
                .statusCode(201).extract().path("keyId");
        mark.publishedOnly(Map.of(Topics.CASES, markerCase, Topics.ENTITIES, markerEntity, Topics.CREDENTIALS, markerKey));
        assertEquals(List.of(), mark.keysSince(Topics.CAMPAIGNS));
    }

    private static RequestSpecification json(String token, String body) {
        return given().auth().oauth2(token).contentType("application/json").body(body);
    }

    /** What a refused write could have left in the database. */
    private Map<String, Object> stored() {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String table : List.of("campaign", "campaign_extension", "case_file", "case_hold", "entity", "credential",
                "outbox", "outbox_dead_letter")) {
            state.put(table, Effects.row(db, "select count(*) as n from " + table).get("n"));
        }
        state.put("case versions", Effects.row(db, "select sum(revision) as s, max(changed_at) as t from case_file"));
        state.put("revocations", Effects.row(db, "select count(*) as n from credential where revoked_at is not null").get("n"));
        return state;
    }
}

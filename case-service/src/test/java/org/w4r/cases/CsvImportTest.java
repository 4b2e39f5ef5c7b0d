package org.w4r.cases;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CsvImportTest extends RunningService {
    /** {@code w4r.cases.max-local-per-entity} in the test profile. */
    static final int LOCAL_CAP = 5;

    @TestHTTPResource("/")
    URL base;

    /** {@code n} new ids in the entity's own namespace, where an entity's key may create cases. */
    static List<String> localIds(String entity, int n) {
        return IntStream.range(0, n).mapToObj(i -> CaseLifecycleTest.id(entity)).toList();
    }

    static String localCases(List<String> ids) {
        return ids.stream().map(id -> id + ",A national story,Australia,AU,100\n")
                .collect(Collectors.joining("", "case_id,name,country,iso2,estimated_actions\n", ""));
    }

    static ValidatableResponse importAs(String token, String campaign, List<String> ids, boolean dryRun) {
        return given().auth().oauth2(token).contentType("text/csv").body(localCases(ids))
                .post("/api/v1/campaigns/" + campaign + "/cases/import" + (dryRun ? "?dryRun=true" : "")).then();
    }

    long localCasesStored(String campaign, String entity) {
        return (Long) Effects.row(db, "select count(*) as n from case_file where campaign_id = ? and local_entity_id = ?",
                campaign, entity).get("n");
    }

    @Test
    void anEntityImportsItsOwnLocalCases() {
        String campaign = CaseLifecycleTest.openCampaign();
        String a = CaseLifecycleTest.id("ai-australia"), b = CaseLifecycleTest.id("ai-australia");
        given().auth().oauth2(DemoCredentials.token("ai-australia")).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions\n" + a + ",A national story,Australia,AU,1000\n"
                        + b + ",Another story,Australia,AU,\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import")
                .then().statusCode(201).body("$", hasSize(2))
                .body("[0].scope", equalTo("local")).body("[0].localEntityId", equalTo("ai-australia"))
                .body("[0].goal", equalTo(1000))
                // an entity proposes cases; a case manager reviews and activates them
                .body("[0].status", equalTo("draft")).body("[0].publicCounter", equalTo(false))
                .body("[1].status", equalTo("draft")).body("[1].publicCounter", equalTo(false));
        given().auth().oauth2(DemoCredentials.token("ai-australia")).contentType("text/csv")
                .body("case_id,name,country,iso2,status\n" + CaseLifecycleTest.id("ai-australia") + ",x,Australia,AU,active\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import").then().statusCode(403);
        CaseLifecycleTest.status(a, "active").statusCode(200).body("status", equalTo("active"));
        given().auth().oauth2(DemoCredentials.token("ai-australia")).contentType("text/csv")
                .body("case_id,name,country,iso2,scope\n" + CaseLifecycleTest.id("ai-australia") + ",x,Australia,AU,global\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import").then().statusCode(403);
    }

    @Test
    void oneBadRowRefusesTheWholeFileNamingItsLine() {
        String campaign = CaseLifecycleTest.openCampaign();
        String good = CaseLifecycleTest.id("good");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions\n" + good + ",Good,Malta,MT,10\nBad Id,Bad,Malta,MT,10\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import")
                .then().statusCode(400).contentType("application/problem+json").body("line", equalTo(3));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + good).then().statusCode(404);
    }

    @Test
    void entitiesImportFromTheReportsFormat() {
        String id = CaseLifecycleTest.id("ai-test");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + id + ",Test section,12\n")
                .post("/api/v1/entities/import").then().statusCode(201).body("[0].kind", equalTo("section"));
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + id + ",Again,12\n")
                .post("/api/v1/entities/import").then().statusCode(409).body("line", equalTo(2));
    }

    /**
     * A file a spreadsheet saved as Windows-1252 ("Gática": the byte E1 is no UTF-8) is refused whole, dry run
     * included: it was imported with U+FFFD in the name, published and printed (a read-only review, 8 December 2026).
     */
    @Test
    void aFileThatIsNotUtf8IsRefusedDryRunIncluded() {
        String id = CaseLifecycleTest.id("ai-test");
        byte[] latin1 = ("entity_id,name,reported_actions\n" + id + ",G\u00e1tica section,12\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String dryRun : java.util.List.of("?dryRun=true", "")) {
            given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv").body(latin1)
                    .post("/api/v1/entities/import" + dryRun).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("UTF-8"));
        }
        given().auth().oauth2(DemoCredentials.caseManager()).get("/api/v1/entities/" + id).then().statusCode(404);
    }

    /**
     * Issue 21: the admin page previews a file before anything is written. Every line is checked with the import's
     * own rules, each refusal kept with its line (a bad shape, a duplicate of an earlier line, an unknown entity, an
     * existing id), and nothing is stored, published or audited; the same file without the bad lines then imports.
     */
    @Test
    void aDryRunNamesEveryRefusedLineAndWritesNothing() {
        String campaign = CaseLifecycleTest.openCampaign();
        String a = CaseLifecycleTest.id("dry"), b = CaseLifecycleTest.id("dry"), taken = CaseLifecycleTest.newCase(campaign);
        String lines = "case_id,name,country,iso2,estimated_actions,scope,local_entity_id\n"
                + a + ",Fine,Malta,MT,10,,\n"              // line 2
                + "Bad Id,Bad,Malta,MT,10,,\n"              // 3: shape
                + a + ",Again,Malta,MT,10,,\n"             // 4: the id of line 2
                + b + ",Local,Malta,MT,10,local,no-such-entity\n" // 5: unknown entity
                + taken + ",Exists,Malta,MT,10,,\n";        // 6: stored already
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv").body(lines)
                .post("/api/v1/campaigns/" + campaign + "/cases/import?dryRun=true")
                .then().statusCode(200).body("dryRun", equalTo(true)).body("lines", equalTo(5)).body("refused", equalTo(4))
                .body("results.line", equalTo(java.util.List.of(2, 3, 4, 5, 6)))
                .body("results.status", equalTo(java.util.List.of("ok", "refused", "refused", "refused", "refused")))
                .body("results[0].id", equalTo(a)).body("results[0].problem", equalTo(null))
                .body("results[1].problem.field", equalTo("caseId")).body("results[1].problem.line", equalTo(3))
                .body("results[2].problem.type", org.hamcrest.Matchers.endsWith("duplicate-id"))
                .body("results[3].problem.status", equalTo(404))
                .body("results[4].problem.type", org.hamcrest.Matchers.endsWith("duplicate-id"));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + a).then().statusCode(404);
        AuditTrailTest.trail("subjectId=" + a).then().statusCode(200).body("entries", hasSize(0));

        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions\n" + a + ",Fine,Malta,MT,10\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import?dryRun=true")
                .then().statusCode(200).body("refused", equalTo(0)).body("results[0].status", equalTo("ok"));
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions\n" + a + ",Fine,Malta,MT,10\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import").then().statusCode(201);
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + a).then().statusCode(200);
    }

    @Test
    void anEntityDryRunChecksEveryLine() {
        String fresh = CaseLifecycleTest.id("ai-dry");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions,country\n" + fresh + ",Dry section,1,MT\nai-france,Exists,1,FR\n"
                        + fresh + "-2,Bad country,1,XX\n")
                .post("/api/v1/entities/import?dryRun=true")
                .then().statusCode(200).body("refused", equalTo(2))
                .body("results.status", equalTo(java.util.List.of("ok", "refused", "refused")))
                .body("results[2].problem.field", equalTo("country"));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/entities/" + fresh).then().statusCode(404);
        given().auth().oauth2(DemoCredentials.coordinator()).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + fresh + ",x,1\n")
                .post("/api/v1/entities/import?dryRun=true").then().statusCode(403);
    }

    /**
     * An entity key imported up to 10,000 local cases a request, as often as it liked, and every case is held in every
     * service's memory (found by a read-only audit, 4 December 2026). An entity's own imports may bring it to at most
     * {@code w4r.cases.max-local-per-entity} local cases in a campaign: a file that would pass the cap is refused whole
     * with a 409 naming it, and nothing is stored, published or audited (its dry run says the same); a file within it
     * is imported; the cap is per campaign; a case manager is not refused by it.
     */
    @Test
    void anEntitysImportsStopAtItsCapOfLocalCasesInACampaign() {
        String campaign = CaseLifecycleTest.openCampaign();
        String entity = CredentialsTest.newEntity();
        String own = CredentialsTest.managerKey(entity, null);
        importAs(own, campaign, localIds(entity, 3), false).statusCode(201).body("$", hasSize(3));

        Effects.awaitOutboxEmpty(relay);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES);
        List<String> over = localIds(entity, LOCAL_CAP - 3 + 1);
        importAs(own, campaign, over, true).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/too-many-local-cases"));
        importAs(own, campaign, over, false).statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/too-many-local-cases")).body("maxLocalCases", equalTo(LOCAL_CAP))
                .body("localCases", equalTo(3)).body("requested", equalTo(over.size()));
        assertEquals(3, localCasesStored(campaign, entity), "nothing stored");
        for (String id : over) {
            given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + id).then().statusCode(404);
            AuditTrailTest.trail("subjectId=" + id).then().statusCode(200).body("entries", hasSize(0));
        }

        // exactly up to the cap is within it; what the refused file would have published is not on the topic
        List<String> within = localIds(entity, LOCAL_CAP - 3);
        importAs(own, campaign, within, false).statusCode(201).body("$", hasSize(within.size()));
        await().atMost(Effects.BOUND).until(() -> mark.keysSince(Topics.CASES).containsAll(within));
        assertEquals(within.stream().sorted().toList(), mark.keysSince(Topics.CASES).stream().sorted().toList(),
                "nothing published for the refused file");
        importAs(own, campaign, localIds(entity, 1), false).statusCode(409).body("localCases", equalTo(LOCAL_CAP));
        assertEquals(LOCAL_CAP, localCasesStored(campaign, entity));

        // another campaign counts for itself
        importAs(own, CaseLifecycleTest.openCampaign(), localIds(entity, LOCAL_CAP), false).statusCode(201);
        // a case manager may give the entity more local cases in this campaign
        String more = CaseLifecycleTest.id("local");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,scope,local_entity_id\n" + more + ",x,Australia,AU,local," + entity + "\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import").then().statusCode(201)
                .body("[0].localEntityId", equalTo(entity));
        assertEquals(LOCAL_CAP + 1, localCasesStored(campaign, entity));
    }

    /**
     * The cap is decided with the entity's row locked: imports of one entity sent at once take turns, so they cannot
     * all count the same few cases and pass the cap together. Rounds on fresh campaigns: the window is short.
     */
    @Test
    void importsOfOneEntityAtOnceCannotPassItsCapTogether() throws Exception {
        String entity = CredentialsTest.newEntity();
        String own = CredentialsTest.managerKey(entity, null);
        for (int round = 0; round < 3; round++) {
            String campaign = CaseLifecycleTest.openCampaign();
            assertEquals(LOCAL_CAP, importAtOnce(own, entity, campaign, 3 * LOCAL_CAP), "one case per import, up to the cap");
            assertEquals(LOCAL_CAP, localCasesStored(campaign, entity));
        }
    }

    /** Sends {@code parallel} one-case imports at once; returns how many were imported (every other must be a 409). */
    private int importAtOnce(String token, String entity, String campaign, int parallel) throws Exception {
        List<HttpRequest> imports = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            imports.add(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                            + "/api/v1/campaigns/" + campaign + "/cases/import"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofString(localCases(localIds(entity, 1)))).build());
        }
        return AtOnce.created(imports, "too-many-local-cases");
    }

    /**
     * A line the service refuses (an existing id, an unknown entity) did not end the dry run's file as it should: the
     * import called {@code create} through its own interceptors, whose refusal marked the whole transaction
     * rollback-only, and the next valid line's outbox row could not be written: 500 (a read-only review, 6 December
     * 2026). Each valid line after a refused one is "ok": a case manager's cases here, an entity's and entities below.
     */
    @Test
    void aDryRunGoesOnPastALineTheServiceRefused() {
        String campaign = CaseLifecycleTest.openCampaign();
        String taken = CaseLifecycleTest.newCase(campaign), fresh = CaseLifecycleTest.id("dry");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions,scope,local_entity_id\n"
                        + taken + ",Exists,Malta,MT,10,,\n"                                        // 2: stored already
                        + CaseLifecycleTest.id("dry") + ",Local,Malta,MT,10,local,no-such-entity\n" // 3: unknown entity
                        + fresh + ",Fine,Malta,MT,10,,\n")                                          // 4
                .post("/api/v1/campaigns/" + campaign + "/cases/import?dryRun=true")
                .then().statusCode(200).body("refused", equalTo(2))
                .body("results.status", equalTo(List.of("refused", "refused", "ok")))
                .body("results[0].problem.type", endsWith("/duplicate-id")).body("results[1].problem.status", equalTo(404))
                .body("results[2].id", equalTo(fresh));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + fresh).then().statusCode(404);
    }

    @Test
    void anEntitysDryRunGoesOnPastALineTheServiceRefused() {
        String campaign = CaseLifecycleTest.openCampaign();
        String entity = CredentialsTest.newEntity();
        String own = CredentialsTest.managerKey(entity, null);
        List<String> ids = localIds(entity, 2);
        importAs(own, campaign, ids.subList(0, 1), false).statusCode(201);
        importAs(own, campaign, ids, true).statusCode(200).body("refused", equalTo(1))
                .body("results.status", equalTo(List.of("refused", "ok")))
                .body("results[0].problem.type", endsWith("/duplicate-id"));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + ids.get(1)).then().statusCode(404);
    }

    @Test
    void anEntitiesDryRunGoesOnPastALineTheServiceRefused() {
        String newEntity = CaseLifecycleTest.id("ai-dry");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions\nai-france,Exists,1\n" + newEntity + ",Fine,1\n")
                .post("/api/v1/entities/import?dryRun=true")
                .then().statusCode(200).body("refused", equalTo(1))
                .body("results.status", equalTo(List.of("refused", "ok")))
                .body("results[0].problem.type", endsWith("/duplicate-id"));
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/entities/" + newEntity).then().statusCode(404);
    }

    /** The import itself is still all or none: a valid line before a refused one is neither stored nor audited. */
    @Test
    void anImportWithALineTheServiceRefusesStoresNothing() {
        String campaign = CaseLifecycleTest.openCampaign();
        String taken = CaseLifecycleTest.newCase(campaign), fresh = CaseLifecycleTest.id("all"), after = CaseLifecycleTest.id("all");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,estimated_actions\n" + fresh + ",Fine,Malta,MT,10\n" + taken
                        + ",Exists,Malta,MT,10\n" + after + ",Fine,Malta,MT,10\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/duplicate-id")).body("line", equalTo(3));
        String newEntity = CaseLifecycleTest.id("ai-all");
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("entity_id,name,reported_actions\n" + newEntity + ",Fine,1\nai-france,Exists,1\n")
                .post("/api/v1/entities/import")
                .then().statusCode(409).contentType("application/problem+json").body("line", equalTo(3));
        for (String id : List.of(fresh, after)) {
            given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/" + id).then().statusCode(404);
            AuditTrailTest.trail("subjectId=" + id).then().statusCode(200).body("entries", hasSize(0));
        }
        given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/entities/" + newEntity).then().statusCode(404);
        AuditTrailTest.trail("subjectId=" + newEntity).then().statusCode(200).body("entries", hasSize(0));
    }

    /**
     * An entity key, which may not read cases, learnt which case ids exist (drafts, other campaigns' cases; ids are
     * slugs of people's names) from its import's "case 'X' exists already" (a read-only review, 6 December 2026). Its
     * ids must start with its own id and a dash, checked before any lookup: an existing id outside that namespace is
     * answered exactly as one that does not exist, in a dry run and in an import; inside it, a taken id is one of its own
     * cases. A case manager still creates any id, a local case of the entity's too.
     */
    @Test
    void anEntitysCaseIdsAreInItsOwnNamespace() {
        String campaign = CaseLifecycleTest.openCampaign();
        String entity = CredentialsTest.newEntity();
        String own = CredentialsTest.managerKey(entity, null);
        String draft = CaseLifecycleTest.newCase(CaseLifecycleTest.openCampaign()); // another campaign's draft
        String absent = CaseLifecycleTest.id("case");
        for (boolean dryRun : List.of(true, false)) {
            for (String probe : List.of(draft, "nassima-al-sada", absent)) {
                ValidatableResponse answer = importAs(own, campaign, List.of(probe), dryRun);
                (dryRun ? answer.statusCode(200).rootPath("results[0].problem") : answer.statusCode(400)
                        .contentType("application/problem+json"))
                        .body("status", equalTo(400)).body("type", endsWith("/invalid-field"))
                        .body("field", equalTo("caseId")).body("line", equalTo(2))
                        .body("detail", org.hamcrest.Matchers.containsString("'" + entity + "-...'"));
            }
        }
        // the entity's id alone, or another entity's namespace that merely starts the same way, is not its own
        importAs(own, campaign, List.of(entity), false).statusCode(400).body("field", equalTo("caseId"));
        importAs(own, campaign, List.of(entity + "x-1"), false).statusCode(400).body("field", equalTo("caseId"));

        String mine = CaseLifecycleTest.id(entity);
        importAs(own, campaign, List.of(mine), false).statusCode(201).body("[0].caseId", equalTo(mine));
        importAs(own, campaign, List.of(mine), false).statusCode(409).body("type", endsWith("/duplicate-id"));
        given().auth().oauth2(DemoCredentials.caseManager()).contentType("text/csv")
                .body("case_id,name,country,iso2,scope,local_entity_id\n" + absent + ",x,Malta,MT,local," + entity + "\n")
                .post("/api/v1/campaigns/" + campaign + "/cases/import").then().statusCode(201)
                .body("[0].localEntityId", equalTo(entity));
    }

    /**
     * {@code ai-belgium}'s namespace held {@code ai-belgium-flemish}'s: its key's dry run learnt from
     * {@code duplicate-id} which of the other entity's cases existed, and its import took their ids (found by a read-only
     * review, 6 December 2026). Such entities can no longer be created ({@code ReferenceEndpointsTest}), so the inner one
     * is written straight into the database, as one from before would hold it. The outer entity's key is refused there
     * as outside its namespace, before any lookup: a taken id and a free one get the same answer.
     */
    @Test
    void anEntityDoesNotReachIntoTheNamespaceOfAnEntityInsideItsOwn() {
        String campaign = CaseLifecycleTest.openCampaign();
        String outer = CaseLifecycleTest.id("e"), inner = outer + "-sub";
        CaseLifecycleTest.post("/api/v1/entities", "{\"entityId\":\"" + outer + "\",\"name\":\"Outer section\"}")
                .statusCode(201);
        Effects.update(db, "insert into entity (id, name, kind, changed_at) values (?, 'Older sub-section', 'section', now())",
                inner);
        String outerKey = CredentialsTest.managerKey(outer, null), innerKey = CredentialsTest.managerKey(inner, null);
        String taken = CaseLifecycleTest.id(inner), free = CaseLifecycleTest.id(inner);
        importAs(innerKey, campaign, List.of(taken), false).statusCode(201).body("[0].localEntityId", equalTo(inner));

        for (String probe : List.of(taken, free)) {
            importAs(outerKey, campaign, List.of(probe), true).statusCode(200).body("refused", equalTo(1))
                    .rootPath("results[0].problem")
                    .body("status", equalTo(400)).body("type", endsWith("/invalid-field"))
                    .body("field", equalTo("caseId")).body("line", equalTo(2))
                    .body("detail", org.hamcrest.Matchers.containsString("'" + inner + "-...'"));
            importAs(outerKey, campaign, List.of(probe), false).statusCode(400).contentType("application/problem+json")
                    .body("type", endsWith("/invalid-field")).body("field", equalTo("caseId")).body("line", equalTo(2));
        }
        assertEquals(inner, Effects.caseRow(db, taken).get("local_entity_id"), "the inner entity's case stays its own");
        org.junit.jupiter.api.Assertions.assertNull(Effects.caseRow(db, free), "nothing stored");
        assertEquals(0L, localCasesStored(campaign, outer));

        // the rest of its namespace is still its own, and the inner entity's namespace the inner entity's
        String mine = CaseLifecycleTest.id(outer);
        importAs(outerKey, campaign, List.of(mine), false).statusCode(201).body("[0].localEntityId", equalTo(outer));
        importAs(innerKey, campaign, List.of(free), false).statusCode(201).body("[0].localEntityId", equalTo(inner));
    }
}

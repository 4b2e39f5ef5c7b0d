package org.w4r.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Staff send whole forms, so an edit from a form loaded before a colleague's change wrote the old values back over it,
 * unseen. An edit now names the version it was made on (If-Match, as a read's ETag gave it): made on a case, campaign
 * or entity that changed since, it is refused with 412 and changes and publishes nothing; a current version, "*" or
 * none is applied and answered with the next ETag; a malformed one is a 400; and of editors who read one version and
 * send their edits at once, exactly one is applied.
 */
@QuarkusTest
class EditedSinceTest extends RunningService {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EDITED_SINCE = "/problems/edited-since";

    @TestHTTPResource("/")
    URL base;

    /** The record's ETag, as a read of it answers it: its version, quoted. */
    static String etag(String path) {
        ValidatableResponse read = given().auth().oauth2(DemoCredentials.coordinator()).get(path).then().statusCode(200);
        String etag = read.extract().header("ETag");
        assertEquals("\"" + read.extract().jsonPath().getLong("version") + "\"", etag, path + ": the ETag is the version");
        return etag;
    }

    static ValidatableResponse edit(String method, String path, String body, String ifMatch) {
        RequestSpecification request = given().auth().oauth2(DemoCredentials.caseManager()).contentType(ContentType.JSON)
                .body(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.request(method, path).then();
    }

    /** The 412 an edit of an older version gets, naming the version the record is at now. */
    static void refusedAsEditedSince(ValidatableResponse answer, String now) {
        long current = answer.statusCode(412).contentType("application/problem+json").body("type", endsWith(EDITED_SINCE))
                .extract().jsonPath().getLong("currentVersion");
        assertEquals(now, "\"" + current + "\"", "the problem names the version the record is at");
    }

    static String casePath(String caseId) {
        return "/api/v1/cases/" + caseId;
    }

    static String campaignPath(String campaignId) {
        return "/api/v1/campaigns/" + campaignId;
    }

    static String entityPath(String entityId) {
        return "/api/v1/entities/" + entityId;
    }

    /** A new campaign, a case in it and an entity: a record of each kind whose edits name a version. */
    record Records(String campaign, String caseId, String entity) {
        static Records fresh() {
            String campaign = CaseLifecycleTest.openCampaign();
            return new Records(campaign, CaseLifecycleTest.newCase(campaign), CredentialsTest.newEntity());
        }

        /** Each record's path, with an edit of it that a form could send. */
        Map<String, String> edits() {
            Map<String, String> edits = new LinkedHashMap<>();
            edits.put(casePath(caseId), "{\"goal\":5}");
            edits.put(campaignPath(campaign), "{\"name\":\"Edited\"}");
            edits.put(entityPath(entity), "{\"name\":\"Edited\"}");
            return edits;
        }
    }

    /** An extension past the end of a campaign {@link CaseLifecycleTest#openCampaign} made. */
    static String extension() {
        return "{\"closesAt\":\"" + Instant.now().plus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS) + "\"}";
    }

    @Test
    void anEditMadeOnAnOlderVersionIsRefusedAndChangesNothingAnywhere() {
        Records records = Records.fresh();
        String campaign = records.campaign(), caseId = records.caseId(), entity = records.entity();
        String caseRead = etag(casePath(caseId)), campaignRead = etag(campaignPath(campaign)),
                entityRead = etag(entityPath(entity));
        // a colleague's changes since those forms were loaded
        edit("PATCH", casePath(caseId), "{\"goal\":2000}", null).statusCode(200);
        edit("PATCH", campaignPath(campaign), "{\"name\":\"Renamed by a colleague\"}", null).statusCode(200);
        edit("PATCH", entityPath(entity), "{\"name\":\"Renamed by a colleague\"}", null).statusCode(200);
        String caseNow = etag(casePath(caseId)), campaignNow = etag(campaignPath(campaign)),
                entityNow = etag(entityPath(entity));
        Effects.awaitOutboxEmpty(relay);
        Map<String, Object> before = stored(caseId, campaign, entity);
        Effects.Mark mark = Effects.Mark.now(kafka, Topics.CASES, Topics.CAMPAIGNS, Topics.ENTITIES);

        try {
            refusedAsEditedSince(edit("PATCH", casePath(caseId), "{\"goal\":1,\"name\":\"Stale form\"}", caseRead), caseNow);
            refusedAsEditedSince(edit("POST", casePath(caseId) + "/status", "{\"status\":\"active\"}", caseRead), caseNow);
            refusedAsEditedSince(edit("PATCH", campaignPath(campaign), "{\"name\":\"Stale form\"}", campaignRead),
                    campaignNow);
            // refused before the campaign that is current now stops being so
            refusedAsEditedSince(edit("PATCH", campaignPath(campaign), "{\"current\":true}", campaignRead), campaignNow);
            refusedAsEditedSince(edit("PUT", campaignPath(campaign) + "/extensions/ai-france", extension(),
                    campaignRead), campaignNow);
            refusedAsEditedSince(edit("PATCH", entityPath(entity), "{\"name\":\"Stale form\"}", entityRead), entityNow);
        } finally {
            // the demo campaign being current is shared state other tests read: current again, whatever failed
            if (!given().auth().oauth2(DemoCredentials.coordinator()).get(campaignPath("w4r-demo")).then().extract()
                    .<Boolean>path("current")) {
                edit("PATCH", campaignPath("w4r-demo"), "{\"current\":true}", null).statusCode(200);
            }
        }
        assertEquals(before, stored(caseId, campaign, entity), "nothing stored");
        assertEquals(caseNow, etag(casePath(caseId)));
        assertEquals(campaignNow, etag(campaignPath(campaign)));
        assertEquals(entityNow, etag(entityPath(entity)));

        // markers: one accepted write per topic after the refusals; once they are on Kafka, nothing else may be
        String markerCase = CaseLifecycleTest.newCase(campaign);
        String markerCampaign = CaseLifecycleTest.openCampaign();
        String markerEntity = CredentialsTest.newEntity();
        mark.publishedOnly(Map.of(Topics.CASES, markerCase, Topics.CAMPAIGNS, markerCampaign,
                Topics.ENTITIES, markerEntity));
    }

    @Test
    void anEditOfTheCurrentVersionIsAppliedAndAnsweredWithTheNextOne() {
        Records records = Records.fresh();
        String campaign = records.campaign(), caseId = records.caseId(), entity = records.entity();

        appliedThenStale("PATCH", casePath(caseId), casePath(caseId), "{\"goal\":3000}", "{\"goal\":4000}");
        // a hold placed since is a change of the case too: a form read before it is out of date
        String unheld = etag(casePath(caseId));
        edit("PUT", casePath(caseId) + "/hold", "{\"reason\":\"threats\"}", null).statusCode(200);
        refusedAsEditedSince(edit("PATCH", casePath(caseId), "{\"goal\":1}", unheld), etag(casePath(caseId)));
        appliedThenStale("POST", casePath(caseId) + "/status", casePath(caseId), "{\"status\":\"active\"}",
                "{\"status\":\"closed\"}");
        appliedThenStale("PATCH", campaignPath(campaign), campaignPath(campaign), "{\"name\":\"Edition, renamed\"}",
                "{\"name\":\"Edition, renamed again\"}");
        appliedThenStale("PUT", campaignPath(campaign) + "/extensions/ai-france", campaignPath(campaign),
                extension(), extension());
        appliedThenStale("PATCH", entityPath(entity), entityPath(entity), "{\"name\":\"Section, renamed\"}",
                "{\"country\":\"MT\"}");

        // ending an extension is a change of the campaign too: a form read before it is out of date
        String extended = etag(campaignPath(campaign));
        given().auth().oauth2(DemoCredentials.caseManager()).delete(campaignPath(campaign) + "/extensions/ai-france")
                .then().statusCode(204);
        assertNotEquals(extended, etag(campaignPath(campaign)), "a removed extension gives the campaign a new version");
        refusedAsEditedSince(edit("PATCH", campaignPath(campaign), "{\"name\":\"Stale form\"}", extended),
                etag(campaignPath(campaign)));
    }

    /**
     * A creation and a hold show the record too, so they carry its version as well: the next edit sends the tag it was
     * answered, without reading the record again, and is applied.
     */
    @Test
    void aCreationAndAHoldAreAnsweredWithTheETagTheNextEditSends() {
        Instant now = Instant.now();
        String campaign = CaseLifecycleTest.id("camp");
        String created = tagOf(campaignPath(campaign), CaseLifecycleTest.post("/api/v1/campaigns", """
                {"campaignId":"%s","name":"Edition","opensAt":"%s","closesAt":"%s"}""".formatted(campaign,
                now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS))).statusCode(201));
        edit("PATCH", campaignPath(campaign), "{\"name\":\"Renamed at once\"}", created).statusCode(200);

        String entity = CaseLifecycleTest.id("ai-tagged");
        created = tagOf(entityPath(entity), CaseLifecycleTest.post("/api/v1/entities", "{\"entityId\":\"" + entity
                + "\",\"name\":\"Tagged section\"}").statusCode(201));
        edit("PATCH", entityPath(entity), "{\"country\":\"MT\"}", created).statusCode(200);

        String caseId = CaseLifecycleTest.id("case");
        created = tagOf(casePath(caseId), CaseLifecycleTest.post("/api/v1/cases", """
                {"caseId":"%s","campaignId":"%s","name":"Someone at risk","country":"mm",
                 "targetAuthority":"Minister of Justice","goal":1000}""".formatted(caseId,
                campaign)).statusCode(201));
        String held = tagOf(casePath(caseId), edit("PUT", casePath(caseId) + "/hold", "{\"reason\":\"threats\"}", null)
                .statusCode(200));
        assertNotEquals(created, held, "a hold is a change of the case");
        ValidatableResponse lifted = given().auth().oauth2(DemoCredentials.caseManager())
                .queryParam("holdId", given().auth().oauth2(DemoCredentials.coordinator()).get(casePath(caseId))
                        .then().extract().jsonPath().getLong("hold.holdId"))
                .delete(casePath(caseId) + "/hold").then().statusCode(200);
        edit("PATCH", casePath(caseId), "{\"goal\":7}", tagOf(casePath(caseId), lifted)).statusCode(200);
    }

    /**
     * A campaign created current is made current by the same request, after its first write: the version it is answered
     * with is the one after that, so the next edit made with it is applied.
     */
    @Test
    void aCampaignCreatedCurrentIsAnsweredWithItsVersionAfterBecomingCurrent() {
        Instant now = Instant.now();
        String campaign = CaseLifecycleTest.id("camp");
        try {
            String created = tagOf(campaignPath(campaign), CaseLifecycleTest.post("/api/v1/campaigns", """
                    {"campaignId":"%s","name":"Edition","opensAt":"%s","closesAt":"%s","current":true}""".formatted(
                    campaign, now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS))).statusCode(201)
                    .body("current", equalTo(true)));
            assertEquals(created, etag(campaignPath(campaign)), "the version answered is the version stored");
            edit("PATCH", campaignPath(campaign), "{\"name\":\"Renamed at once\"}", created).statusCode(200);
        } finally {
            // the demo campaign being current is shared state other tests read
            edit("PATCH", campaignPath("w4r-demo"), "{\"current\":true}", null).statusCode(200);
        }
    }

    /**
     * The ETag of an answer that shows one record: its version, quoted, as the body says it; Content-Location names
     * the record, whatever path the request went to.
     */
    private static String tagOf(String record, ValidatableResponse answer) {
        String tag = answer.extract().header("ETag");
        assertEquals("\"" + answer.extract().jsonPath().getLong("version") + "\"", tag, "the ETag is the version shown");
        assertEquals(record, answer.extract().header("Content-Location"), "the answer names the record it shows");
        return tag;
    }

    /**
     * {@code first} sent with the version just read is applied, and its answer's ETag is the record's new version; the
     * version read before it is then out of date, and {@code second} is applied only with the new one.
     */
    private static void appliedThenStale(String method, String path, String recordPath, String first, String second) {
        String read = etag(recordPath);
        ValidatableResponse applied = edit(method, path, first, read).statusCode(200).header("ETag", not(equalTo(read)));
        String next = applied.extract().header("ETag");
        assertEquals("\"" + applied.extract().jsonPath().getLong("version") + "\"", next, method + " " + path);
        assertEquals(next, etag(recordPath), "the answer's ETag is the record's version now");
        refusedAsEditedSince(edit(method, path, second, read), next);
        edit(method, path, second, next).statusCode(200).header("ETag", not(equalTo(next)));
    }

    @Test
    void anAsteriskOrNoIfMatchEditsWhateverIsStored() {
        Records.fresh().edits().forEach((path, body) -> {
            for (String ifMatch : new String[]{"*", null}) {
                String read = etag(path);
                String next = edit("PATCH", path, body, ifMatch).statusCode(200).extract().header("ETag");
                assertNotEquals(read, next, path + " with If-Match " + ifMatch);
                assertEquals(next, etag(path));
            }
        });
        // "*" matches a record that exists, and there is none here
        edit("PATCH", casePath("no-such-case"), "{\"goal\":5}", "*").statusCode(404);
        edit("PATCH", entityPath("ai-nowhere"), "{\"name\":\"x\"}", "*").statusCode(404);
    }

    @Test
    void aMalformedIfMatchIsA400AndChangesNothing() {
        Records records = Records.fresh();
        records.edits().forEach((path, body) -> {
            String read = etag(path);
            String version = read.replace("\"", "");
            // a weak tag is refused even where its value is the current version: an edit applies to exactly one state
            for (String malformed : List.of("W/" + read, version, "\"v" + version + "\"", read + ", " + read, "\"\"",
                    "\"-1\"", "\"0" + version + "\"", "'" + version + "'", "**")) {
                edit("PATCH", path, body, malformed).statusCode(400).contentType("application/problem+json")
                        .body("field", equalTo("If-Match"));
            }
            assertEquals(read, etag(path), path + ": nothing changed");
        });
        edit("POST", casePath(records.caseId()) + "/status", "{\"status\":\"active\"}", "W/\"1\"").statusCode(400)
                .body("field", equalTo("If-Match"));
        edit("PUT", campaignPath(records.campaign()) + "/extensions/ai-france", extension(), "1").statusCode(400)
                .body("field", equalTo("If-Match"));
    }

    @Test
    void ofEditorsWhoReadOneVersionAndSendItAtOnceExactlyOneIsApplied() throws Exception {
        Records records = Records.fresh();
        oneWins(casePath(records.caseId()), i -> "{\"goal\":" + (100 + i) + "}", "goal");
        oneWins(campaignPath(records.campaign()), i -> "{\"name\":\"Editor " + i + "\"}", "name");
        oneWins(entityPath(records.entity()), i -> "{\"name\":\"Editor " + i + "\"}", "name");
    }

    /**
     * Six editors read one version of the record and send their edits with it at once: one is applied, every other
     * is a 412 naming the winner's version, and the record is the winner's.
     */
    private void oneWins(String path, IntFunction<String> body, String field) throws Exception {
        String read = etag(path);
        List<HttpRequest> edits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            edits.add(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                    .header("Authorization", "Bearer " + DemoCredentials.caseManager())
                    .header("Content-Type", "application/json").header("If-Match", read)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body.apply(i))).build());
        }
        List<HttpResponse<String>> answers = AtOnce.answers(edits);
        List<HttpResponse<String>> applied = answers.stream().filter(r -> r.statusCode() == 200).toList();
        assertEquals(1, applied.size(), path + ": " + answers.stream().map(HttpResponse::statusCode).toList());
        JsonNode winner = JSON.readTree(applied.get(0).body());
        for (HttpResponse<String> r : answers) {
            if (r.statusCode() != 200) {
                assertEquals(412, r.statusCode(), r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
                JsonNode problem = JSON.readTree(r.body());
                assertEquals(winner.get("version").asLong(), problem.get("currentVersion").asLong(), r.body());
            }
        }
        assertEquals(applied.get(0).headers().firstValue("ETag").orElseThrow(), etag(path));
        given().auth().oauth2(DemoCredentials.coordinator()).get(path).then()
                .body(field, equalTo(JSON.convertValue(winner.get(field), Object.class)));
    }

    /** What a generated client learns from the served document: where If-Match goes, the 412, and the ETag. */
    @Test
    void theContractDeclaresIfMatchThe412AndTheETag() {
        JsonPath openapi = given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        for (String edit : List.of("/api/v1/cases/{caseId}'.patch", "/api/v1/cases/{caseId}/status'.post",
                "/api/v1/campaigns/{campaignId}'.patch", "/api/v1/campaigns/{campaignId}/extensions/{entityId}'.put",
                "/api/v1/entities/{entityId}'.patch")) {
            String operation = "paths.'" + edit;
            assertEquals(List.of("If-Match"), openapi.getList(operation + ".parameters.findAll { it.in == 'header' }.name"),
                    edit);
            assertEquals("edited-since", openapi.getString(operation + ".responses.'412'.description").split(":")[0], edit);
            assertEquals(true, openapi.getBoolean(operation + ".responses.'200'.headers.ETag.required"), edit);
        }
        for (String read : List.of("/api/v1/cases/{caseId}", "/api/v1/campaigns/{campaignId}", "/api/v1/entities/{entityId}")) {
            assertEquals(true, openapi.getBoolean("paths.'" + read + "'.get.responses.'200'.headers.ETag.required"), read);
        }
        for (String creation : List.of("/api/v1/cases", "/api/v1/campaigns", "/api/v1/entities")) {
            assertEquals(true, openapi.getBoolean("paths.'" + creation + "'.post.responses.'201'.headers.ETag.required"),
                    creation);
        }
        for (String hold : List.of("put", "delete")) {
            for (String status : List.of("200", "202")) {
                assertEquals(true, openapi.getBoolean("paths.'/api/v1/cases/{caseId}/hold'." + hold + ".responses.'"
                        + status + "'.headers.ETag.required"), hold + " " + status);
            }
        }
    }

    /** The staff UI, on its own origin, may send If-Match from the browser and read the ETag. */
    @Test
    void theStaffUiMaySendIfMatchAndReadTheETag() {
        given().header("Origin", "http://localhost:8084").header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,content-type,if-match")
                .options("/api/v1/cases/el-hiblu-3").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:8084")
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("if-match"));
        given().header("Origin", "http://localhost:8084").auth().oauth2(DemoCredentials.coordinator())
                .get("/api/v1/cases/el-hiblu-3").then().statusCode(200)
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("ETag"));
    }

    /** What a refused edit could have left behind, in the database. */
    private Map<String, Object> stored(String caseId, String campaignId, String entityId) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("case", Effects.caseRow(db, caseId));
        state.put("campaign", Effects.row(db, "select * from campaign where id = ?", campaignId));
        state.put("extensions", Effects.rows(db, "select * from campaign_extension where campaign_id = ?", campaignId));
        state.put("current", Effects.rows(db, "select id, version, changed_at from campaign where current order by id"));
        state.put("entity", Effects.row(db, "select * from entity where id = ?", entityId));
        state.put("outbox", Effects.row(db, "select count(*) as n from outbox").get("n"));
        state.put("audit", Effects.row(db, "select count(*) as n from audit_entry where subject_id in (?, ?, ?)",
                caseId, campaignId, entityId).get("n"));
        return state;
    }
}

package org.w4r.cases;

import org.w4r.cases.demo.DemoLoader;
import org.w4r.cases.service.CredentialService;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.kit.security.Credentials;
import org.w4r.testsupport.TopicReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class DemoDataTest extends RunningService {
    @ConfigProperty(name = "w4r.demo.credentials-file")
    Path credentialsFile;

    @Test
    void demoDataIsPublishedToTheCompactedTopics() {
        Map<String, CaseChanged> cases = latest(Topics.CASES, CaseChanged.class);
        cases.values().removeIf(c -> !"w4r-demo".equals(c.campaignId()));
        assertEquals(Set.of("el-hiblu-3", "germain-rukuki", "gustavo-gatica", "idris-khattak", "jani-silva",
                "khaled-drareni", "metu-pride-defenders", "nassima-al-sada", "paing-phyo-min",
                "popi-qwabe-bongeka-phungula"), cases.keySet());
        assertEquals(777_611L, cases.get("nassima-al-sada").goal());
        assertEquals("SA", cases.get("nassima-al-sada").country());

        Map<String, EntityChanged> entities = latest(Topics.ENTITIES, EntityChanged.class);
        entities.values().removeIf(e -> !e.entityId().startsWith("ai-") && !"international-members".equals(e.entityId()));
        entities.keySet().removeIf(id -> id.startsWith("ai-test-"));
        assertEquals(60, entities.size(), "59 reporting entities and the catch-all");
        assertEquals("catch-all", entities.get("international-members").kind());
        // each entity's country, for the world map by entity country (issue 16); the catch-all has none
        assertEquals("FR", entities.get("ai-france").country());
        assertEquals("GB", entities.get("ai-uk").country());
        assertEquals(null, entities.get("international-members").country());
        assertEquals(58, entities.values().stream().filter(e -> e.country() != null).count(),
                "all but the catch-all and the regional office");
        List<org.w4r.events.CredentialChanged> franceKeys = TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .filter(r -> r.value() != null && r.value().contains("\"entityId\":\"ai-france\""))
                .map(r -> Events.fromJson(r.value(), org.w4r.events.CredentialChanged.class)).toList();
        assertEquals(1, franceKeys.stream().map(org.w4r.events.CredentialChanged::keyId).distinct().count());
        assertFalse(TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .anyMatch(r -> r.value() != null && r.value().contains("w4r_")), "a key itself never goes on the stream");

        CampaignChanged campaign = latest(Topics.CAMPAIGNS, CampaignChanged.class).get("w4r-demo");
        assertTrue(campaign.current());
        assertTrue(campaign.opensAt().isBefore(java.time.Instant.now()) && campaign.closesAt().isAfter(java.time.Instant.now()),
                "the demo campaign is open now");
    }

    @Test
    void demoCredentialsAreWrittenOnceAndWork() throws IOException {
        List<String> lines = Files.readAllLines(credentialsFile);
        assertEquals("principal,role,entity_id,token", lines.get(0));
        // the owner's only (created so, before a secret is written: the window before that is not observable here)
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(credentialsFile)));
        assertEquals(60 + 4, lines.size() - 1);
        String coordinator = token(lines, "coordinator");
        String france = lines.stream().filter(l -> l.startsWith("ai-france,")).findFirst().orElseThrow().split(",")[3];

        await().untilAsserted(() -> given().auth().oauth2(coordinator).get("/api/v1/cases?campaign=w4r-demo")
                .then().statusCode(200).body("$", hasSize(10)).body("caseId", hasItems("paing-phyo-min")));
        given().auth().oauth2(coordinator).get("/api/v1/entities").then().statusCode(200)
                .body("entityId", hasItems("ai-france", "ai-zimbabwe", "international-members"));
        given().auth().oauth2(france).get("/api/v1/cases")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().get("/api/v1/cases")
                .then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", notNullValue());
        given().auth().oauth2("w4r_not-a-key").get("/api/v1/cases").then().statusCode(401);
    }

    /**
     * Demo keys and tokens expire as a staff token does by default (90 days, docs/security.md), and are marked as the
     * demo's so a start with the demo off revokes them ({@code DemoOffTest}). They once had no expiry: the start-up
     * snapshot announced them again at every start, demo on or off, and they worked for ever.
     */
    @Test
    void demoCredentialsExpireAsAStaffTokenDoesByDefault() {
        assertEquals(Duration.ofDays(90), CredentialService.DEMO_LIFETIME);
        Instant now = Instant.now();
        List<String> tokens = read().stream().skip(1).map(l -> l.split(",")[3]).toList();
        assertEquals(60 + 4, tokens.size());
        for (String token : tokens) {
            Map<String, Object> row = Effects.row(db, "select key_id, demo, expires_at from credential where sha256 = ?",
                    Credentials.sha256(token));
            Instant expires = Effects.instant(row.get("expires_at"));
            assertTrue(expires != null && expires.isAfter(now) && !expires.isAfter(now.plus(CredentialService.DEMO_LIFETIME)),
                    row.get("key_id") + " expires within 90 days: " + expires);
            assertEquals(Boolean.TRUE, row.get("demo"), row.get("key_id") + " is marked as the demo's");
        }
        String manager = (String) Effects.row(db, "select key_id from credential where sha256 = ?",
                Credentials.sha256(DemoCredentials.caseManager())).get("key_id");
        org.w4r.events.CredentialChanged announced = TopicReader.readAll(kafka, Topics.CREDENTIALS).stream()
                .filter(r -> manager.equals(r.key()) && r.value() != null).reduce((a, b) -> b)
                .map(r -> Events.fromJson(r.value(), org.w4r.events.CredentialChanged.class)).orElseThrow();
        assertNotNull(announced.expiresAt(), "every service refuses the demo case manager's token past its expiry");
    }

    /**
     * Every secret this service knows (each demo key and token, each stored hash, the database password, a hold's
     * reason and who placed it) is looked for in the public list and in every staff read that lists credentials; none
     * may be there.
     */
    @Test
    void publicCaseListNeedsNoTokenAndShowsNoSecrets() {
        String publicList = given().get("/public/v1/cases").then().statusCode(200)
                // the demo's ten cases but the one on hold
                .body("$", hasSize(9))
                .body("find { it.caseId == 'khaled-drareni' }.country", equalTo("DZ"))
                .body("caseId", not(hasItem(DemoLoader.HELD_CASE)))
                .extract().asString();
        List<Map<String, Object>> entries = io.restassured.path.json.JsonPath.from(publicList).getList("$");
        for (Map<String, Object> entry : entries) {
            assertEquals(Set.of("caseId", "name", "country", "scope", "localEntityId", "goal"), entry.keySet(),
                    "a public case has these fields and nothing else");
        }

        List<String> tokens = read().stream().skip(1).map(l -> l.split(",")[3]).toList();
        List<String> hashes = Effects.rows(db, "select sha256 from credential").stream()
                .map(r -> ((String) r.get("sha256")).trim()).toList();
        assertEquals(60 + 4, tokens.size());
        assertTrue(hashes.containsAll(tokens.stream().map(Credentials::sha256).toList()),
                "every demo key and token is stored, as its hash, so the hashes looked for are theirs");
        List<String> secrets = new java.util.ArrayList<>(tokens);
        secrets.addAll(hashes);
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class)
                .filter(p -> !p.isBlank()).ifPresent(secrets::add);
        String reason = given().auth().oauth2(DemoCredentials.coordinator()).get("/api/v1/cases/paing-phyo-min")
                .then().statusCode(200).extract().path("hold.reason");
        assertTrue(reason != null && !reason.isBlank(), "the demo hold has a reason to look for");

        String manager = DemoCredentials.caseManager();
        Map<String, String> answers = new TreeMap<>();
        answers.put("GET /public/v1/cases", publicList);
        for (String path : List.of("/api/v1/staff", "/api/v1/entities/ai-france/keys", "/api/v1/entities",
                "/api/v1/entities/ai-france", "/api/v1/campaigns", "/api/v1/cases")) {
            answers.put("GET " + path, given().auth().oauth2(manager).get(path).then().statusCode(200).extract().asString());
        }
        answers.put("GET /q/health", given().get("/q/health").then().extract().asString());
        answers.put("GET /q/openapi", given().get("/q/openapi").then().statusCode(200).extract().asString());
        // what an entity key may read
        answers.put("GET /api/v1/entities/ai-france/keys (entity)", given().auth().oauth2(DemoCredentials.token("ai-france"))
                .get("/api/v1/entities/ai-france/keys").then().statusCode(200).extract().asString());

        List<String> leaks = new java.util.ArrayList<>();
        answers.forEach((what, body) -> {
            for (String secret : secrets) {
                if (body.contains(secret)) {
                    leaks.add(what + " shows a secret (" + secret.substring(0, 6) + "…)");
                }
            }
            if (body.contains("w4r_")) {
                leaks.add(what + " shows something shaped like a key");
            }
        });
        if (publicList.contains(reason) || publicList.contains("demo-case-manager") || publicList.contains("hold")) {
            leaks.add("the public list says something of a hold");
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void unknownCaseIsAProblem() {
        String coordinator = token(read(), "coordinator");
        await().untilAsserted(() -> given().auth().oauth2(coordinator).get("/api/v1/cases/no-such-case")
                .then().statusCode(404).contentType("application/problem+json").body("title", equalTo("case not found")));
    }

    private List<String> read() {
        try {
            return Files.readAllLines(credentialsFile);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(List<String> lines, String role) {
        return lines.stream().filter(l -> l.startsWith("demo-" + role + ",")).findFirst().orElseThrow().split(",")[3];
    }

    /** What compaction keeps: the last value per key, a tombstone (another test's, on a shared topic) removing it. */
    private <T> Map<String, T> latest(String topic, Class<T> type) {
        Map<String, T> latest = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : TopicReader.readAll(kafka, topic)) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), Events.fromJson(r.value(), type));
            }
        }
        return latest;
    }
}

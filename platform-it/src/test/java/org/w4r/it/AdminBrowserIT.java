package org.w4r.it;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21, point 1: the case managers' admin pages in a real headless Chromium against the packaged platform, used
 * as a new case manager would (no curl): a campaign, an entity with a key, a local case activated, then checked
 * through the APIs (the key posts a signature for the case); revoking asks first and the key stops working; a staff
 * token issued from the page signs its holder in; a CSV import is previewed line by line and nothing is written until
 * the file is clean; the hold history; and roles that must not see the pages are not offered them, and the APIs
 * refuse them. Screenshots: target/screenshots/admin-*.png (docs/img).
 */
class AdminBrowserIT extends BrowserSupport {
    static final List<String> ADMIN_PAGES = List.of("Campaigns", "Cases", "Entities and keys", "Staff", "Import",
            "Hold history");

    @BeforeAll
    static void browser() throws Exception {
        startBrowser(Duration.ofSeconds(30));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String status(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id))).getText();
    }

    @Test
    void aCaseManagerSetsUpACampaignWithALocalCaseAndAnEntityKeyWithoutCurl() {
        String campaignId = unique("w4r-it"), entityId = unique("ai-it"), caseId = unique("local-case");
        String campaignName = "Edition " + campaignId, entityName = "Section " + entityId, caseName = "Case " + caseId;
        String manager = platform.tokens.get("demo-case-manager");
        signIn("demo-case-manager");
        assertTrue(navLabels().containsAll(ADMIN_PAGES), navLabels().toString());

        // a campaign: its window is offered from today for sixty days
        open("Campaigns", "Campaigns");
        type("campaign-id", campaignId);
        type("campaign-name", campaignName);
        driver.findElement(By.cssSelector("#campaign-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("campaigns-status"),
                "Campaign " + campaignName + " created."));
        wait.until(d -> d.findElement(By.id("campaigns-table")).getText().contains(campaignId));
        screenshot("admin-campaigns");

        // an entity, and a key for it, shown once with a copy button
        open("Entities and keys", "Entities and keys");
        type("entity-id", entityId);
        type("entity-name", entityName);
        type("entity-country", "MT");
        driver.findElement(By.cssSelector("#entity-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("entities-status"), "Entity " + entityName + " created."));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("issue-key"))).click();
        WebElement shown = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-key")));
        String key = shown.getAttribute("value");
        assertTrue(key.startsWith("w4r_"), "a key, shown once: " + key);
        assertTrue(driver.findElement(By.cssSelector(".secret-box button.copy")).isDisplayed());
        wait.until(d -> d.findElements(By.cssSelector("#keys-table tbody tr")).size() == 1);
        screenshot("admin-entities");

        // a local case of that entity, created as a draft, then activated
        open("Cases", "Cases");
        wait.until(d -> !d.findElements(By.cssSelector("#cases-campaign option[value='" + campaignId + "']")).isEmpty());
        new Select(driver.findElement(By.id("cases-campaign"))).selectByValue(campaignId);
        type("case-id", caseId);
        type("case-name", caseName);
        type("case-country", "MT");
        type("case-target", "Minister of Home Affairs of Malta");
        new Select(driver.findElement(By.id("case-scope"))).selectByValue("local");
        wait.until(d -> !d.findElements(By.cssSelector("#case-entity option[value='" + entityId + "']")).isEmpty());
        new Select(driver.findElement(By.id("case-entity"))).selectByValue(entityId);
        type("case-goal", "1000");
        driver.findElement(By.cssSelector("#case-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cases-status"), "created as a draft"));
        By row = By.xpath("//table[@id='cases-table']//tr[th[normalize-space()='" + caseName + "']]");
        wait.until(d -> d.findElement(row).getText().contains("draft"));
        assertTrue(driver.findElement(row).getText().contains("local to " + entityName));
        button("Activate " + caseName).click();
        wait.until(d -> d.findElement(row).getText().contains("active"));
        screenshot("admin-cases");

        // what the page did, read back from the APIs: all three exist as chosen, and the key takes a signature
        given().auth().oauth2(manager).get(platform.cases.url() + "/api/v1/campaigns/" + campaignId).then()
                .statusCode(200).body("name", equalTo(campaignName)).body("current", equalTo(false));
        given().auth().oauth2(manager).get(platform.cases.url() + "/api/v1/entities/" + entityId).then()
                .statusCode(200).body("name", equalTo(entityName)).body("country", equalTo("MT"));
        given().auth().oauth2(manager).get(platform.cases.url() + "/api/v1/cases/" + caseId).then().statusCode(200)
                .body("campaignId", equalTo(campaignId)).body("scope", equalTo("local"))
                .body("localEntityId", equalTo(entityId)).body("status", equalTo("active")).body("goal", equalTo(1000));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> given().auth().oauth2(key)
                .contentType(ContentType.JSON).body(Map.of("caseIds", List.of(caseId), "signer",
                        Map.of("name", "Admin Test", "email", unique("admin") + "@example.org", "country", "MT")))
                .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(202)
                .body("results[0].status", equalTo("accepted")));
        given().auth().oauth2(platform.tokens.get("demo-coordinator"))
                .get(platform.cases.url() + "/api/v1/audit?subjectId=" + caseId).then().statusCode(200)
                .body("entries.action", hasItems("case.created", "case.status.changed"))
                .body("entries[0].actor", equalTo("demo-case-manager"));

        // revoking asks first: "no" keeps the key, "yes" revokes it and every service refuses it
        open("Entities and keys", "Entities and keys");
        button("Manage " + entityName).click();
        String keyId = given().auth().oauth2(manager).get(platform.cases.url() + "/api/v1/entities/" + entityId + "/keys")
                .then().statusCode(200).extract().path("[0].keyId");
        button("Revoke key " + keyId).click();
        assertTrue(confirm(false).contains(keyId));
        given().auth().oauth2(manager).get(platform.cases.url() + "/api/v1/entities/" + entityId + "/keys").then()
                .body("[0].revokedAt", equalTo(null));
        button("Revoke key " + keyId).click();
        confirm(true);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("entities-status"), "Key " + keyId + " revoked."));
        given().auth().oauth2(manager).get(platform.cases.url() + "/api/v1/entities/" + entityId + "/keys").then()
                .body("[0].revokedAt", notNullValue());
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("caseIds", List.of(caseId), "signer",
                        Map.of("name", "Admin Test", "email", unique("admin") + "@example.org")))
                .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(401);
    }

    @Test
    void aStaffTokenIssuedFromThePageSignsItsHolderIn() {
        String principal = unique("it-moderator");
        signIn("demo-case-manager");
        open("Staff", "Staff");
        type("staff-principal", principal);
        new Select(driver.findElement(By.id("staff-role"))).selectByValue("moderator");
        driver.findElement(By.cssSelector("#staff-form button[type=submit]")).click();
        String token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-token"))).getAttribute("value");
        wait.until(d -> d.findElement(By.id("staff-table")).getText().contains(principal));
        screenshot("admin-staff");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> given().auth().oauth2(token)
                .get(platform.tally.url() + "/api/v1/me").then().statusCode(200)
                .body("principal", equalTo(principal)).body("role", equalTo("moderator")));
    }

    @Test
    void anImportIsPreviewedLineByLineAndNothingIsWrittenUntilTheFileIsClean() {
        String fresh = unique("ai-import");
        String withErrors = "entity_id,name,reported_actions,country\n" + fresh + ",Imported section,1,MT\n"
                + "ai-france,France again,1,FR\n" + "Not An Id,Bad,1,MT\n";
        signIn("demo-case-manager");
        open("Import", "Import");
        new Select(driver.findElement(By.id("import-what"))).selectByValue("entities");
        js("const t = document.getElementById('import-text'); t.value = arguments[0];"
                + " t.dispatchEvent(new Event('input'));", withErrors);
        driver.findElement(By.id("import-preview")).click();
        wait.until(d -> d.findElements(By.cssSelector("#import-table tbody tr")).size() == 3);
        List<String> rows = driver.findElements(By.cssSelector("#import-table tbody tr")).stream().map(WebElement::getText).toList();
        assertTrue(rows.get(0).contains("would be imported"), rows.get(0));
        assertTrue(rows.get(1).contains("would be refused") && rows.get(1).contains("This id is taken already."), rows.get(1));
        assertTrue(rows.get(2).contains("would be refused") && rows.get(2).contains("entityId"), rows.get(2));
        assertEquals("Lines read: 3. Refused: 2. Nothing was written.", driver.findElement(By.id("import-summary")).getText());
        assertFalse(driver.findElement(By.id("import-run")).isEnabled(), "a file with refused lines cannot be imported");
        screenshot("admin-import");
        given().auth().oauth2(platform.tokens.get("demo-case-manager")).get(platform.cases.url() + "/api/v1/entities/" + fresh)
                .then().statusCode(404);

        js("const t = document.getElementById('import-text'); t.value = arguments[0];"
                + " t.dispatchEvent(new Event('input'));", "entity_id,name,reported_actions,country\n" + fresh + ",Imported section,1,MT\n");
        driver.findElement(By.id("import-preview")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("import-run"))).click();
        assertTrue(confirm(true).contains("(1)"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-status"), "Imported: 1."));
        given().auth().oauth2(platform.tokens.get("demo-case-manager")).get(platform.cases.url() + "/api/v1/entities/" + fresh)
                .then().statusCode(200).body("name", equalTo("Imported section"));
    }

    @Test
    void theHoldHistoryShowsWhoPlacedAndLiftedEachHoldAndWhy() {
        String manager = platform.tokens.get("demo-case-manager");
        long holdId = given().auth().oauth2(manager).contentType(ContentType.JSON).body(Map.of("reason", "history check: family moved"))
                .put(platform.cases.url() + "/api/v1/cases/jani-silva/hold").then().statusCode(200)
                .extract().jsonPath().getLong("hold.holdId");
        given().auth().oauth2(manager).delete(platform.cases.url() + "/api/v1/cases/jani-silva/hold?holdId=" + holdId)
                .then().statusCode(200);
        signIn("demo-case-manager");
        open("Hold history", "Hold history");
        By lifted = By.xpath("//table[@id='hold-history-table']//tr[td[contains(., 'history check: family moved')]]");
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(lifted));
        assertTrue(row.getText().contains("Jani Silva") && row.getText().contains("demo-case-manager"), row.getText());
        // the demo's hold on Paing Phyo Min is still on
        wait.until(d -> d.findElement(By.xpath("//table[@id='hold-history-table']//tr[th[contains(., 'Paing Phyo Min')]]"))
                .getText().contains("still on"));
        screenshot("admin-hold-history");
    }

    @Test
    void rolesThatMustNotSeeTheAdminPagesAreNotOfferedThemAndTheApisRefuseThem() {
        for (String principal : List.of("demo-coordinator", "demo-moderator", "demo-delivery")) {
            freshTab();
            signIn(principal);
            List<String> nav = navLabels();
            for (String admin : ADMIN_PAGES) {
                assertFalse(nav.contains(admin), principal + " is offered " + admin);
            }
            for (String route : List.of("campaigns", "cases", "entities", "staff", "import", "hold-history")) {
                driver.get(platform.ui.url() + "/#/" + route);
                wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), "Not available"));
                assertTrue(driver.findElements(By.cssSelector("#view form, #view table")).isEmpty(), principal + " sees " + route);
            }
            String token = platform.tokens.get(principal);
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("campaignId", unique("no"), "name", "No",
                    "opensAt", "2027-01-01T00:00:00Z", "closesAt", "2027-02-01T00:00:00Z"))
                    .post(platform.cases.url() + "/api/v1/campaigns").then().statusCode(403);
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("name", "Renamed"))
                    .patch(platform.cases.url() + "/api/v1/entities/ai-france").then().statusCode(403);
            given().auth().oauth2(token).post(platform.cases.url() + "/api/v1/entities/ai-france/keys").then().statusCode(403);
            given().auth().oauth2(token).get(platform.cases.url() + "/api/v1/staff").then().statusCode(403);
            given().auth().oauth2(token).contentType("text/csv").body("entity_id,name,reported_actions\nx-y,X,1\n")
                    .post(platform.cases.url() + "/api/v1/entities/import?dryRun=true").then().statusCode(403);
        }
        given().auth().oauth2(platform.tokens.get("demo-coordinator")).get(platform.cases.url() + "/api/v1/entities/ai-france")
                .then().body("name", equalTo(given().auth().oauth2(platform.tokens.get("demo-case-manager"))
                        .get(platform.cases.url() + "/api/v1/entities/ai-france").then().extract().<String>path("name")));
    }
}

package org.w4r.it;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The entity portal (issue 21.3) in headless Chromium, against the packaged services: an entity signs in with its key,
 * reports an offline count (1,250 letters at a school event) and sees it in its totals, corrects it (a new entry, the
 * count itself unchanged), issues and revokes a key; a second entity's key sees none of the first one's data, and no
 * staff page is offered to an entity. Screenshots: target/screenshots/entity-portal*.png (docs/img).
 */
class EntityPortalBrowserIT extends BrowserSupport {
    // entities no other test writes for, so their figures are this test's own
    static final String ENTITY = "ai-portugal";
    static final String OTHER = "ai-slovenia";

    static String run;
    /** A global case of the demo campaign; the test adds no case (other tests count the campaign's cases). */
    static final String CASE = "el-hiblu-3";
    static String caseName;

    @BeforeAll
    static void browser() throws Exception {
        startBrowser(Duration.ofSeconds(20));
        run = UUID.randomUUID().toString().substring(0, 8);
        // its local cases are tally-service's EntityPortalTest's: a case added here would change the demo campaign's
        // case count, which the other browser tests check
        caseName = own(ENTITY).then().statusCode(200).body("cases.caseId", hasItem(CASE)).extract().jsonPath()
                .getString("cases.find { it.caseId == '" + CASE + "' }.name");
    }

    @Test
    void anEntityReportsAnOfflineCountSeesItInItsTotalsAndCorrectsIt() {
        JsonPath figures = own(ENTITY).then().statusCode(200).extract().jsonPath();
        long before = figures.getLong("totals.total");
        Object inCase = figures.getMap("totals.byCase").get(CASE);
        long beforeInCase = inCase == null ? 0 : ((Number) inCase).longValue();
        signIn(ENTITY);
        // its own pages, and only those
        assertEquals(List.of("portal", "portal-counts", "portal-keys"), navRoutes());
        assertFalse(driver.findElement(By.id("campaign-pick")).isDisplayed());
        wait.until(d -> number(d.findElement(By.id("portal-total")).getText()) == before);
        assertTrue(driver.findElements(By.id("global-total")).isEmpty());

        // report 1,250 letters written at a school event, from the form
        driver.findElement(By.cssSelector("#nav a[data-route='portal-counts']")).click();
        String event = "School marathon " + run;
        wait.until(d -> !d.findElements(By.cssSelector("#count-case option[value='" + CASE + "']")).isEmpty());
        driver.findElement(By.id("count-event")).sendKeys(event);
        driver.findElement(By.id("count-place")).sendKeys("Lisbon");
        new Select(driver.findElement(By.id("count-case"))).selectByValue(CASE);
        new Select(driver.findElement(By.id("count-type"))).selectByValue("letter");
        driver.findElement(By.id("count-count")).sendKeys("1250", Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("portal-counts"), event));
        JsonPath entry = ownCounts(ENTITY);
        assertEquals(1, entry.getList("findAll { it.eventName == '" + event + "' }").size(), "one entry for the event");
        String id = entry.getString("find { it.eventName == '" + event + "' }.offlineCountId");
        assertEquals(1250, entry.getInt("find { it.eventName == '" + event + "' }.count"));
        assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), entry.getString("find { it.eventName == '" + event + "' }.eventDate"));
        assertEquals(CASE, entry.getString("find { it.eventName == '" + event + "' }.caseId"));

        // in its totals, on the page, without a reload (the page re-reads them): a bounded wait, not a timing
        driver.findElement(By.cssSelector("#nav a[data-route='portal']")).click();
        wait.until(d -> number(d.findElement(By.id("portal-total")).getText()) == before + 1250);
        wait.until(d -> number(cellsOf(d.findElement(By.id("portal-cases")), caseName).get(1)) == beforeInCase + 1250);
        screenshot("entity-portal");

        // a correction: a new entry beside the count, which stays as reported
        driver.findElement(By.cssSelector("#nav a[data-route='portal-counts']")).click();
        WebElement delta = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("correct-delta-" + id)));
        delta.sendKeys("-50");
        driver.findElement(By.id("correct-reason-" + id)).sendKeys("two classes counted twice", Keys.ENTER);
        // event, date, place, case, type, count, with corrections, corrections
        wait.until(d -> cellsOf(d.findElement(By.id("portal-counts")), event).get(7).contains("two classes counted twice"));
        List<String> row = cellsOf(driver.findElement(By.id("portal-counts")), event);
        assertEquals(1250, number(row.get(5)), row.toString());
        assertEquals(1200, number(row.get(6)), row.toString());
        given().auth().oauth2(platform.tokens.get(ENTITY)).get(platform.petitions.url() + "/api/v1/offline-counts/" + id)
                .then().statusCode(200).body("count", org.hamcrest.Matchers.equalTo(1250))
                .body("net", org.hamcrest.Matchers.equalTo(1200)).body("corrections.size()", org.hamcrest.Matchers.equalTo(1));
        screenshot("entity-portal-counts");
        driver.findElement(By.cssSelector("#nav a[data-route='portal']")).click();
        wait.until(d -> number(d.findElement(By.id("portal-total")).getText()) == before + 1200);
        assertEquals(before + 1200, own(ENTITY).then().extract().jsonPath().getLong("totals.total"));
        assertEquals(List.of(), js("return window.__cspViolations"));
    }

    @Test
    void anotherEntitySeesNoneOfTheFirstsData() {
        String event = "Porto book fair " + run;
        String id = given().auth().oauth2(platform.tokens.get(ENTITY)).contentType(ContentType.JSON)
                .body(Map.of("caseId", CASE, "type", "postcard", "count", 321,
                        "event", Map.of("name", event, "date", LocalDate.now(ZoneOffset.UTC).toString(), "place", "Porto")))
                .post(platform.petitions.url() + "/api/v1/offline-counts").then().statusCode(202)
                .extract().path("results[0].actionId");
        await().atMost(Duration.ofSeconds(30)).until(() -> own(ENTITY).then().extract().jsonPath()
                .getMap("totals.byType").containsKey("postcard"));

        signIn(OTHER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#portal-cases tbody tr")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#view h2"), "Slovenia"));
        String page = driver.findElement(By.id("view")).getText();
        assertFalse(page.contains("Portugal") || page.contains("postcard"), page);
        driver.findElement(By.cssSelector("#nav a[data-route='portal-counts']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#count-case option")));
        wait.until(d -> d.findElement(By.id("portal-counts")).isDisplayed());
        // the list and the form are loaded (the case list comes with the figures): none of the first entity's is there
        wait.until(d -> d.findElements(By.cssSelector("#count-case option")).size() > 1);
        String counts = driver.findElement(By.id("view")).getText();
        assertFalse(counts.contains(event) || counts.contains("Porto"), counts);

        // and the APIs behind the page say the same: nothing of the first entity's reaches the second's key
        assertFalse(ownCounts(OTHER).getList("offlineCountId").contains(id));
        given().auth().oauth2(platform.tokens.get(OTHER)).get(platform.petitions.url() + "/api/v1/offline-counts/" + id)
                .then().statusCode(404);
        JsonPath other = own(OTHER).then().statusCode(200).extract().jsonPath();
        assertEquals(OTHER, other.getString("entityId"));
        assertFalse(other.getMap("totals.byType").containsKey("postcard"));
        given().auth().oauth2(platform.tokens.get(OTHER)).get(platform.tally.url() + "/api/v1/totals/entities/" + ENTITY)
                .then().statusCode(403);
    }

    @Test
    void staffPagesAreNotOfferedToAnEntityNorThePortalToStaff() {
        signIn(ENTITY);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("portal-total")));
        for (String page : List.of("overview", "world", "report", "holds", "moderation", "deliveries", "audit",
                "entity/" + ENTITY, "entity/" + OTHER, "case/el-hiblu-3")) {
            driver.get(platform.ui.url() + "/#/" + page);
            wait.until(d -> d.findElements(By.id("portal-total")).isEmpty() && !d.findElements(By.cssSelector("#view h2")).isEmpty());
            assertTrue(driver.findElements(By.cssSelector("#view table")).isEmpty(), "an entity sees a table on " + page);
            assertTrue(driver.findElements(By.id("global-total")).isEmpty(), page);
            assertTrue(driver.findElements(By.cssSelector("#view canvas")).isEmpty(), page);
        }
        assertTrue(driver.findElements(By.cssSelector("#banners .banner")).isEmpty());

        freshTab();
        signIn("demo-coordinator");
        assertFalse(navRoutes().contains("portal"));
        for (String page : List.of("portal", "portal-counts", "portal-keys")) {
            driver.get(platform.ui.url() + "/#/" + page);
            wait.until(d -> d.findElements(By.id("global-total")).isEmpty() && !d.findElements(By.cssSelector("#view h2")).isEmpty());
            assertTrue(driver.findElements(By.id("portal-total")).isEmpty() && driver.findElements(By.id("count-form")).isEmpty()
                    && driver.findElements(By.id("portal-keys")).isEmpty(), page);
        }
    }

    @Test
    void anEntityIssuesAKeyShownOnceAndRevokesIt() {
        signIn(ENTITY);
        driver.findElement(By.cssSelector("#nav a[data-route='portal-keys']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#portal-keys tbody tr")));
        int keys = driver.findElements(By.cssSelector("#portal-keys tbody tr")).size();
        driver.findElement(By.id("portal-issue-key")).click();
        WebElement secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("portal-new-key-secret")));
        String key = secret.getAttribute("value");
        assertFalse(key.isBlank());
        wait.until(d -> d.findElements(By.cssSelector("#portal-keys tbody tr")).size() == keys + 1);
        driver.findElement(By.id("portal-copy-key")).click();
        wait.until(d -> !d.findElement(By.cssSelector("#portal-new-key .actions .note")).getText().isBlank());
        // the new key is the entity's, and works at once on every service
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(key)
                .get(platform.tally.url() + "/api/v1/me").then().statusCode(200)
                .body("entityId", org.hamcrest.Matchers.equalTo(ENTITY)));
        screenshot("entity-portal-keys");
        // shown once: the list never holds it, and the page forgets it on the next visit
        assertFalse(driver.findElement(By.id("portal-keys")).getText().contains(key));
        driver.findElement(By.cssSelector("#nav a[data-route='portal']")).click();
        driver.findElement(By.cssSelector("#nav a[data-route='portal-keys']")).click();
        wait.until(d -> d.findElements(By.cssSelector("#portal-keys tbody tr")).size() == keys + 1);
        assertTrue(driver.findElements(By.id("portal-new-key-secret")).isEmpty());

        // revoke the new one (the newest row), confirming the browser's question
        String keyId = given().auth().oauth2(key).get(platform.cases.url() + "/api/v1/entities/" + ENTITY + "/keys").then()
                .statusCode(200).extract().jsonPath().getString("[-1].keyId");
        By row = By.xpath("//table[@id='portal-keys']//tr[th[normalize-space()='" + keyId + "']]");
        driver.findElement(row).findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        // the list read again after the revocation: the row stays, without its button
        wait.until(d -> d.findElement(row).findElements(By.tagName("button")).isEmpty());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(key)
                .get(platform.tally.url() + "/api/v1/me").then().statusCode(401));
        // the key the page signed in with still works: the portal stays open
        assertTrue(driver.findElement(By.id("who")).isDisplayed());
        assertTrue(driver.findElement(By.id("portal-webhooks")).isDisplayed());
    }

    static io.restassured.response.Response own(String entity) {
        return given().auth().oauth2(platform.tokens.get(entity)).get(platform.tally.url() + "/api/v1/entity/totals");
    }

    static JsonPath ownCounts(String entity) {
        return given().auth().oauth2(platform.tokens.get(entity))
                .get(platform.petitions.url() + "/api/v1/offline-counts?limit=1000").then().statusCode(200).extract().jsonPath();
    }

    private static List<String> navRoutes() {
        wait.until(d -> !d.findElements(By.cssSelector("#nav a")).isEmpty());
        return driver.findElements(By.cssSelector("#nav a")).stream().map(a -> a.getAttribute("data-route")).toList();
    }

    /** The cells' texts of the table's row whose first cell is {@code first}; none when there is no such row. */
    private static List<String> cellsOf(WebElement table, String first) {
        return table.findElements(By.cssSelector("tbody tr")).stream()
                .filter(r -> r.findElement(By.cssSelector("th")).getText().equals(first))
                .map(r -> r.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).toList())
                .findFirst().orElse(List.of("", "", "", "", "", "", "", ""));
    }

    private static long number(String text) {
        String digits = text.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }
}

package org.w4r.it;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21.2 in a real headless Chromium against the packaged platform: 500 messages posted through the public API by an
 * entity; a moderator filters the queue down to exactly them (case, entity, language), decides some with the keyboard
 * (approve, reject with a preset reason, moving back and forth) and the rest with one bulk approve after a
 * confirmation that says how many; petition-service then holds every one as decided, and the counts (the page's and the
 * API's) dropped by 500. A coordinator and an entity key (signed in to its portal) get neither the page nor its API. Screenshot:
 * target/screenshots/moderation-queue.png (docs/img/moderation-queue.png).
 */
class ModerationBrowserIT extends BrowserSupport {
    static final String CAMPAIGN = "w4r-demo";
    static final String CASE = "jani-silva";
    static final String ENTITY = "ai-france";
    static final int MESSAGES = 500;

    static JsonPath english;
    static List<String> posted;
    static long waitingBefore;
    static long caseWaitingBefore;

    @BeforeAll
    static void fiveHundredMessages() throws Exception {
        english = given().get(platform.ui.url() + "/i18n/en.json").then().statusCode(200).extract().jsonPath();
        // counted before they come: the page and the API must show these minus the 500 at the end
        waitingBefore = waiting("").getLong("waiting");
        caseWaitingBefore = caseWaiting(waiting(""));
        // through the real API, as an entity's website sends them: one batch of 500 (Portuguese, Brazil's tag: the
        // filter 'pt' takes it), a marker in each so nothing else is mistaken for them
        String marker = UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            items.add(Map.of("id", String.valueOf(i), "kind", "message", "body", Map.of("caseId", CASE,
                    "author", Map.of("name", "Apoiador " + i, "country", "BR"), "text", "Força, Jani! " + marker + " #" + i,
                    "language", "pt-BR")));
        }
        JsonPath batch = given().auth().oauth2(platform.tokens.get(ENTITY)).contentType(ContentType.JSON)
                .body(Map.of("items", items)).post(platform.petitions.url() + "/api/v1/batches").then().statusCode(200)
                .body("accepted", equalTo(MESSAGES)).extract().jsonPath();
        posted = batch.getList("results.collect { it.result.results[0].actionId }", String.class);
        assertEquals(MESSAGES, posted.size());
        startBrowser(Duration.ofSeconds(60));
    }

    static JsonPath waiting(String query) {
        return given().auth().oauth2(platform.tokens.get("demo-moderator"))
                .get(platform.petitions.url() + "/api/v1/messages/waiting?campaignId=" + CAMPAIGN + query).then()
                .statusCode(200).extract().jsonPath();
    }

    static long caseWaiting(JsonPath counts) {
        Object n = counts.get("cases.find { it.caseId == '" + CASE + "' }.waiting");
        return n == null ? 0 : ((Number) n).longValue();
    }

    /** The filtered queue as petition-service holds it, by status. */
    static List<String> ids(String status) {
        return given().auth().oauth2(platform.tokens.get("demo-moderator"))
                .get(platform.petitions.url() + "/api/v1/messages?status=" + status + "&campaignId=" + CAMPAIGN
                        + "&caseId=" + CASE + "&entityId=" + ENTITY + "&language=pt&limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("messageId", String.class);
    }

    static String plural(String key, long count) {
        Map<String, String> forms = english.getMap("'" + key + "'");
        return forms.get(count == 1 ? "one" : "other").replace("{count}", String.format(java.util.Locale.ENGLISH, "%,d", count));
    }

    static void choose(String select, String value) {
        try {
            wait.until(d -> !d.findElements(By.cssSelector("#" + select + " option[value='" + value + "']")).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            // what the page shows instead, and what the browser said
            throw new AssertionError("no option " + value + " in " + select + ": "
                    + js("return document.getElementById(arguments[0]).outerHTML + ' / ' + document.querySelector('#view').innerText.slice(0, 1500)", select)
                    + " / console: " + driver.manage().logs().get("browser").getAll() + " / API: " + waiting("").prettify(), e);
        }
        new Select(driver.findElement(By.id(select))).selectByValue(value);
    }

    static String active() {
        return (String) js("return document.activeElement.dataset.messageId || null");
    }

    static void press(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
    }

    /** Presses keys and waits until the message leaves the page. */
    static String decideWith(String id, CharSequence... keys) {
        assertTrue(posted.contains(id), "one of ours: " + id);
        for (CharSequence key : keys) {
            press(key);
        }
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("li[data-message-id='" + id + "']")));
        return id;
    }

    static long number(String text) {
        return Long.parseLong(text.replaceAll("[^0-9]", ""));
    }

    @Test
    void aModeratorClearsAFilteredQueueOf500WithTheKeyboardAndOneBulkApprove() throws Exception {
        signIn("demo-moderator");
        driver.findElement(By.cssSelector("#nav a[data-route='moderation']")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), english.getString("'nav.moderation'")));

        // the counts by case are the API's
        wait.until(d -> !d.findElements(By.cssSelector("#queue-cases tbody tr")).isEmpty());
        List<Long> apiByCase = waiting("").getList("cases.waiting", Long.class);
        wait.until(d -> pageByCase().equals(apiByCase));

        // filtered down to the 500: the case, the entity and the language (pt takes pt-BR), all of them on one page
        choose("queue-case", CASE);
        choose("queue-entity", ENTITY);
        choose("queue-language", "pt");
        choose("queue-size", "500");
        wait.until(d -> d.findElements(By.cssSelector("#moderation-queue li.message")).size() == MESSAGES);
        // exactly the 500, in the queue's order (the time written, then the id: a batch's may share a millisecond)
        @SuppressWarnings("unchecked")
        List<String> shown = (List<String>) js("return [...document.querySelectorAll('#moderation-queue li.message')]"
                + ".map((li) => li.dataset.messageId)");
        assertEquals(posted.stream().sorted().toList(), shown.stream().sorted().toList());
        assertEquals(ids("pending"), shown, "the API's order");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view > p.note"), plural("moderation.waiting", MESSAGES)));
        assertEquals(plural("queue.approveShown", MESSAGES), driver.findElement(By.id("queue-approve-all")).getText());

        // the keyboard: the first message in focus (a click on it), visibly outlined
        driver.findElement(By.cssSelector("#moderation-queue li.message .meta")).click();
        assertEquals(shown.get(0), active());
        WebElement focused = driver.findElement(By.cssSelector("#moderation-queue li.message.current"));
        assertEquals("solid", focused.getCssValue("outline-style"));
        assertEquals(shown.get(0), focused.getAttribute("data-message-id"));

        // a approves it; focus goes to the next
        String approved = decideWith(shown.get(0), "a");
        assertEquals(shown.get(1), active());
        // j moves down, r + 2 rejects with the second preset reason (abusive: out of the counts too)
        press("j");
        assertEquals(shown.get(2), active());
        press("r");
        wait.until(d -> (Boolean) js("return document.getElementById('queue-reject').open"));
        String rejected = decideWith(shown.get(2), "2");
        assertEquals(shown.get(3), active());
        // k and the arrows move back and forth; a approves
        press("k");
        assertEquals(shown.get(1), active());
        press(Keys.ARROW_DOWN);
        assertEquals(shown.get(3), active());
        press(Keys.ARROW_UP);
        assertEquals(shown.get(1), active());
        String approvedToo = decideWith(shown.get(1), "a");
        // ? shows the shortcuts, Escape closes them
        press("?");
        wait.until(d -> (Boolean) js("return document.getElementById('queue-help').open"));
        assertEquals(english.getString("'queue.keyApprove'"), driver.findElement(By.cssSelector("#queue-help li:nth-child(3)")).getText());
        press(Keys.ESCAPE);
        wait.until(d -> !(Boolean) js("return document.getElementById('queue-help').open"));

        // petition-service holds the three decisions as they were made
        JsonPath reviewed = given().auth().oauth2(platform.tokens.get("demo-moderator"))
                .get(platform.petitions.url() + "/api/v1/messages?status=rejected&campaignId=" + CAMPAIGN + "&caseId=" + CASE
                        + "&entityId=" + ENTITY + "&language=pt").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(rejected), reviewed.getList("messageId"));
        assertEquals(english.getString("'queue.reasonAbusive'"), reviewed.getString("[0].reviewReason"));
        assertEquals("demo-moderator", reviewed.getString("[0].reviewedBy"));
        assertEquals(List.of(approved, approvedToo), ids("approved"));
        int rest = MESSAGES - 3;
        assertEquals(rest, driver.findElements(By.cssSelector("#moderation-queue li.message")).size());
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view > p.note"), plural("moderation.waiting", rest)));

        js("window.scrollTo(0, 0)");
        screenshot("moderation-queue");

        // the rest at once: the confirmation says how many, and exactly those ids are sent
        driver.findElement(By.id("queue-approve-all")).click();
        wait.until(d -> (Boolean) js("return document.getElementById('queue-confirm').open"));
        assertEquals(plural("queue.confirmApprove", rest), driver.findElement(By.id("queue-confirm-text")).getText());
        driver.findElement(By.id("queue-confirm-ok")).click();
        String done = english.getString("'queue.bulkDone'").replace("{decided}", String.format(java.util.Locale.ENGLISH, "%,d", rest))
                .replace("{skipped}", "0");
        wait.until(ExpectedConditions.textToBe(By.id("queue-feedback"), done));
        wait.until(d -> d.findElements(By.cssSelector("#moderation-queue li.message")).isEmpty());
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view > p.note"), plural("moderation.waiting", 0)));

        // every one of the 500 decided, none left waiting; the counts dropped by exactly 500, on the page as in the API
        assertEquals(List.of(), ids("pending"));
        assertEquals(MESSAGES - 1, ids("approved").size());
        JsonPath after = waiting("");
        assertEquals(waitingBefore, after.getLong("waiting"));
        assertEquals(caseWaitingBefore, caseWaiting(after));
        List<Long> apiAfter = after.getList("cases.waiting", Long.class);
        wait.until(d -> pageByCase().equals(apiAfter));
        assertEquals(List.of(), js("return window.__cspViolations"));
    }

    /** The waiting column of the page's table by case, as numbers. */
    @SuppressWarnings("unchecked")
    static List<Long> pageByCase() {
        List<String> cells = (List<String>) js("return [...document.querySelectorAll('#queue-cases tbody tr')]"
                + ".map((r) => r.cells[1].textContent)");
        return cells.stream().map(ModerationBrowserIT::number).toList();
    }

    @Test
    void aCoordinatorAndAnEntityKeyGetNeitherThePageNorItsApi() {
        signIn("demo-coordinator");
        assertTrue(driver.findElements(By.cssSelector("#nav a[data-route='moderation']")).isEmpty(), "no link to it");
        driver.get(platform.ui.url() + "/#/moderation");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), english.getString("'app.notAvailable'")));
        assertTrue(driver.findElements(By.id("moderation-queue")).isEmpty());
        assertTrue(driver.findElements(By.id("queue-filters")).isEmpty());

        String body = "{\"campaignId\":\"" + CAMPAIGN + "\",\"decision\":\"approve\",\"messageIds\":[\"" + UUID.randomUUID() + "\"]}";
        Map<String, Integer> expected = new HashMap<>(Map.of("demo-coordinator", 403, ENTITY, 403));
        expected.forEach((principal, status) -> {
            given().auth().oauth2(platform.tokens.get(principal))
                    .get(platform.petitions.url() + "/api/v1/messages/waiting?campaignId=" + CAMPAIGN).then().statusCode(status);
            given().auth().oauth2(platform.tokens.get(principal)).contentType(ContentType.JSON).body(body)
                    .post(platform.petitions.url() + "/api/v1/messages/decisions").then().statusCode(status)
                    .contentType("application/problem+json");
            given().auth().oauth2(platform.tokens.get(principal))
                    .get(platform.petitions.url() + "/api/v1/messages?campaignId=" + CAMPAIGN).then().statusCode(status);
        });
        // an entity key signs in to its own portal (issue 21.3), which has no link to the queue and opens none of it
        freshTab();
        signIn(ENTITY);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#nav a[data-route='portal']")));
        assertTrue(driver.findElements(By.cssSelector("#nav a[data-route='moderation']")).isEmpty(), "no link to it");
        driver.get(platform.ui.url() + "/#/moderation");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), english.getString("'app.notAvailable'")));
        assertTrue(driver.findElements(By.id("queue-filters")).isEmpty());
        assertEquals(false, js("return !!document.getElementById('moderation-queue')"));
    }
}

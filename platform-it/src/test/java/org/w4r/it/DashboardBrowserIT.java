package org.w4r.it;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromedriver; nothing is downloaded), served by the
 * packaged staff UI against the four packaged services: sign-in by role, live totals over SSE without reload, hold banners, messages as text,
 * every API called from the UI's origin (CORS), the Content-Security-Policy. Screenshots of every page
 * go to target/screenshots/.
 */
class DashboardBrowserIT extends BrowserSupport {
    static Path downloads;

    @BeforeAll
    static void browser() throws Exception {
        activity();
        downloads = Files.createDirectories(TestPlatform.ROOT.resolve("platform-it/target/downloads"));
        // the page speaks the browser's language (LanguagesBrowserIT tests the others): this browser reads English
        startBrowser(Duration.ofSeconds(20), Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "intl.accept_languages", "en-GB,en"));
    }

    /** Some actions on several days, entities, types and modes, so every chart and table has something to show. */
    static void activity() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String[][] rows = {{"ai-france", "el-hiblu-3", "letter", "3", "120"}, {"ai-france", "nassima-al-sada", "postcard", "2", "80"},
                {"ai-germany", "germain-rukuki", "letter", "1", "300"}, {"ai-germany", "jani-silva", "drawing", "4", "45"},
                {"ai-argentina", "el-hiblu-3", "letter", "2", "60"}, {"ai-chile", "gustavo-gatica", "letter", "5", "90"}};
        for (String[] r : rows) {
            given().auth().oauth2(platform.tokens.get(r[0])).contentType(ContentType.JSON)
                    .body(Map.of("caseId", r[1], "type", r[2], "count", Integer.parseInt(r[4]),
                            "event", Map.of("name", "School event", "date", today.minusDays(Long.parseLong(r[3])).toString(),
                                    "place", "Town hall")))
                    .post(platform.petitions.url() + "/api/v1/offline-counts").then().statusCode(202);
        }
        for (String entity : List.of("ai-france", "ai-germany", "ai-mexico", "ai-france")) {
            signature(entity, "idris-khattak");
        }
    }

    static void signature(String entity, String caseId) {
        given().auth().oauth2(platform.tokens.get(entity)).contentType(ContentType.JSON)
                .body(Map.of("caseIds", List.of(caseId), "signer", Map.of("name", "Test Signer",
                        "email", "signer-" + UUID.randomUUID() + "@example.org", "country", "FR")))
                .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(202)
                .body("results[0].status", equalTo("accepted"));
    }

    @Test
    void aCoordinatorSignsInAndSeesTheOverviewUnderAStrictPolicy() throws Exception {
        signIn("demo-coordinator");
        wait.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
        assertPageShowsTheApiFigures("w4r-demo");
        assertEquals("demo-coordinator (coordinator)", driver.findElement(By.id("who")).getText());
        assertEquals(List.of("Overview", "World map", "Report", "Anomalies", "Invalidations", "Audit trail", "Retention"),
                navLabels());
        // every case of the campaign, with a thermometer; the leaderboard; charts drawn by Chart.js
        wait.until(d -> d.findElements(By.cssSelector("#cases-table tbody tr")).size() == 11);
        assertEquals(10, driver.findElements(By.cssSelector("#cases-table progress")).size());
        wait.until(d -> !d.findElements(By.cssSelector("#entities-table tbody tr")).isEmpty());
        wait.until(d -> d.findElement(By.id("peak-day")).getText().startsWith("Peak day: "));
        assertEquals(Boolean.TRUE, js("return typeof window.Chart === 'function' && Chart.getChart(document.querySelector('canvas')) != null"));
        assertEquals(4L, js("return document.querySelectorAll('canvas').length"));
        // the demo's held case has its banner
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-hold-case='paing-phyo-min']")));
        assertEquals(List.of(), js("return window.__cspViolations"));
        screenshot("overview");

        // the campaign picker: choosing the demo campaign by name reads the same numbers, live
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("campaign"))).selectByValue("w4r-demo");
        wait.until(ExpectedConditions.textToBe(By.id("campaign-name"), "w4r-demo"));
        wait.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
        assertPageShowsTheApiFigures("w4r-demo");
        assertEquals("w4r-demo", js("return sessionStorage.getItem('w4r.campaign')"));

        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(platform.ui.url() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'")
                && csp.contains(platform.cases.url()) && !csp.contains("unsafe-inline"), csp);
        assertFalse(page.body().contains("<script>"), "no inline script in the page");
    }

    @Test
    void aSignaturePostedThroughTheApiChangesTheTotalOnTheOpenPage() {
        signIn("demo-coordinator");
        wait.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
        wait.until(d -> number(d.findElement(By.id("global-total")).getText()) > 0);
        js("window.__sameDocument = 'yes';");
        long before = number(driver.findElement(By.id("global-total")).getText());

        signature("ai-france", "nassima-al-sada");

        wait.until(d -> number(d.findElement(By.id("global-total")).getText()) == before + 1);
        assertPageShowsTheApiFigures("w4r-demo");
        assertEquals("yes", js("return window.__sameDocument"), "the page was not reloaded");
        screenshot("overview-after-signature");
    }

    @Test
    void aHoldPlacedInCaseServiceShowsItsBannerAndLiftingItRemovesIt() {
        signIn("demo-coordinator");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-hold-case='paing-phyo-min']")));
        By banner = By.cssSelector("[data-hold-case='idris-khattak']");
        assertTrue(driver.findElements(banner).isEmpty());
        String manager = platform.tokens.get("demo-case-manager");
        long holdId = given().auth().oauth2(manager).contentType(ContentType.JSON).body(Map.of("reason", "journalist's family threatened"))
                .put(platform.cases.url() + "/api/v1/cases/idris-khattak/hold").then().statusCode(200)
                .extract().jsonPath().getLong("hold.holdId");
        try {
            // the banner says since when; the reason stays in case-service (no topic carries it), for the holds page.
            // Read inside the wait, found again each time: the live page redraws the banner, and an element found
            // once can be stale by the next call (seen in a run on a loaded machine)
            String shown = wait.until(d -> {
                String text = d.findElement(banner).getText();
                return text.contains("on safety hold since") ? text : null;
            });
            assertFalse(shown.contains("journalist's family threatened"), shown);
            wait.until(d -> d.findElements(By.cssSelector("#cases-table .badge.hold")).size() == 2);
            screenshot("hold-banner");
            // the case page shows the hold too
            wait.until(d -> {
                d.findElement(By.cssSelector("[data-hold-case='idris-khattak'] a")).click();
                return true;
            });
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-hold-status"), "On safety hold"));
        } finally {
            given().auth().oauth2(manager).delete(platform.cases.url() + "/api/v1/cases/idris-khattak/hold?holdId=" + holdId)
                    .then().statusCode(200);
        }
        wait.until(ExpectedConditions.invisibilityOfElementLocated(banner));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-hold-status"), "Not on hold"));
    }

    @Test
    void aMessageWithMarkupIsShownAsTextInTheModerationQueueAndRunsNothing() {
        String marker = UUID.randomUUID().toString();
        String text = "<script>window.__pwned=1;document.title='pwned'</script><img src=x onerror=\"window.__pwned=2\"> "
                + "Stay strong " + marker;
        given().auth().oauth2(platform.tokens.get("ai-france")).contentType(ContentType.JSON)
                .body(Map.of("caseId", "jani-silva", "author", Map.of("name", "<b>Eve</b>", "country", "FR"),
                        "text", text, "language", "en"))
                .post(platform.petitions.url() + "/api/v1/messages").then().statusCode(202);

        signIn("demo-moderator");
        assertEquals(List.of("Overview", "World map", "Moderation queue"), navLabels());
        driver.findElement(By.linkText("Moderation queue")).click();
        By item = By.xpath("//li[contains(@class,'message')][.//blockquote[contains(., '" + marker + "')]]");
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(item));
        assertEquals(text, message.findElement(By.tagName("blockquote")).getText());
        assertTrue(message.getText().contains("<b>Eve</b>"), message.getText());
        assertEquals(0L, js("return document.querySelectorAll('#moderation-queue script, #moderation-queue img, #moderation-queue b').length"));
        assertNull(js("return window.__pwned === undefined ? null : window.__pwned"));
        assertNotEquals("pwned", driver.getTitle());
        screenshot("moderation");

        // approving goes to petition-service from the browser (CORS) and takes it off the queue
        message.findElement(By.cssSelector("button.approve")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(item));
        String status = given().auth().oauth2(platform.tokens.get("demo-moderator"))
                .get(platform.petitions.url() + "/api/v1/messages?status=approved&caseId=jani-silva&limit=1000")
                .then().statusCode(200).extract().jsonPath().getString("find { it.text.contains('" + marker + "') }.status");
        assertEquals("approved", status);
    }

    @Test
    void aCaseManagerPlacesAndLiftsAHoldFromTheHoldsPage() {
        signIn("demo-case-manager");
        assertEquals(List.of("Overview", "World map", "Holds and cases", "Campaigns", "Cases", "Entities and keys", "Staff",
                "Import", "Hold history"), navLabels());
        driver.findElement(By.linkText("Holds and cases")).click();
        WebElement reason = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("hold-reason-germain-rukuki")));
        screenshot("holds");
        reason.sendKeys("family under surveillance", Keys.ENTER);
        String manager = platform.tokens.get("demo-case-manager");
        try {
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-hold-case='germain-rukuki']")));
            given().auth().oauth2(manager).get(platform.cases.url() + "/api/v1/cases/germain-rukuki").then()
                    .statusCode(200).body("hold.reason", equalTo("family under surveillance"))
                    .body("hold.placedBy", equalTo("demo-case-manager"));
            wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("button[aria-label='Lift the hold on Germain Rukuki']"))).click();
            // lifting asks first
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm[open] #confirm-yes"))).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-hold-case='germain-rukuki']")));
            given().auth().oauth2(manager).get(platform.cases.url() + "/api/v1/cases/germain-rukuki").then()
                    .statusCode(200).body("hold", nullValue());
        } finally {
            // whatever the page did: the hold this test placed, if it is still open
            Object open = given().auth().oauth2(manager).get(platform.cases.url() + "/api/v1/cases/germain-rukuki")
                    .then().extract().path("hold.holdId");
            if (open != null) {
                given().auth().oauth2(manager).delete(platform.cases.url() + "/api/v1/cases/germain-rukuki/hold?holdId=" + open);
            }
        }
    }

    @Test
    void theDeliveryTeamPlansAndRecordsAHandoverFromTheDeliveriesPage() {
        String recipient = "Maltese authorities " + UUID.randomUUID().toString().substring(0, 8);
        signIn("demo-delivery");
        assertEquals(List.of("Overview", "World map", "Deliveries"), navLabels());
        driver.findElement(By.linkText("Deliveries")).click();
        wait.until(d -> d.findElements(By.cssSelector("#plan-case option")).size() == 10);
        // a held case is named as held (choosing it says why it cannot be planned: DeliveryPlanBrowserIT)
        assertEquals("Paing Phyo Min (on hold)", js("return document.querySelector(\"#plan-case option[value='paing-phyo-min']\").textContent"));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("plan-case"))).selectByValue("el-hiblu-3");
        driver.findElement(By.id("plan-recipient-name")).sendKeys(recipient);
        driver.findElement(By.id("plan-city")).sendKeys("Valletta");
        driver.findElement(By.id("plan-country")).sendKeys("MT");
        js("document.getElementById('plan-when').value = '" + LocalDate.now(ZoneOffset.UTC) + "';");
        driver.findElement(By.cssSelector("#plan-form button[type=submit]")).click();

        By row = By.xpath("//table[@id='deliveries-table']//tr[td[contains(., '" + recipient + "')]]");
        WebElement by = wait.until(ExpectedConditions.visibilityOfElementLocated(row)).findElement(By.cssSelector("input"));
        screenshot("deliveries");
        by.sendKeys("Amnesty Malta team", Keys.ENTER);
        wait.until(d -> d.findElement(row).getText().contains("delivered"));
        given().auth().oauth2(platform.tokens.get("demo-delivery"))
                .get(platform.delivery.url() + "/api/v1/deliveries?caseId=el-hiblu-3&status=delivered").then().statusCode(200)
                .body("find { it.recipient.name == '" + recipient + "' }.handover.deliveredBy", equalTo("Amnesty Malta team"));
    }

    @Test
    void aCoordinatorPreviewsAndInvalidatesAFloodFromTheInvalidationsPage() {
        String coordinator = platform.tokens.get("demo-coordinator");
        String flood = "flood-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        long before = total();
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(platform.tokens.get("ai-mexico")).contentType(ContentType.JSON)
                    .body(Map.of("caseIds", List.of("idris-khattak"), "signer", Map.of("name", "Flood Bot",
                            "email", "bot" + i + "@" + flood, "country", "MX")))
                    .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(202)
                    .body("results[0].status", equalTo("accepted"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> total() == before + 3);
        signIn("demo-coordinator");
        driver.findElement(By.linkText("Invalidations")).click();
        WebElement domain = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("inv-domain")));
        domain.sendKeys(flood);
        driver.findElement(By.id("inv-preview")).click();
        wait.until(ExpectedConditions.textToBe(By.id("inv-total"), "3 actions selected."));
        List<WebElement> rows = driver.findElements(By.cssSelector("#inv-preview-table tbody tr"));
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).getText().endsWith("3"), rows.get(0).getText());
        assertEquals("Invalidate 3 actions", driver.findElement(By.id("inv-confirm")).getText());
        screenshot("invalidations-preview");
        try {
            driver.findElement(By.id("inv-reason")).sendKeys("flood from one domain", Keys.ENTER);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("inv-status"), "3 actions invalidated"));
            io.restassured.path.json.JsonPath last = given().auth().oauth2(coordinator)
                    .get(platform.petitions.url() + "/api/v1/invalidations").then().statusCode(200).extract().jsonPath();
            assertEquals(flood, last.getString("[0].selection.emailDomain"));
            assertEquals(3, last.getInt("[0].actions"));
            String id = last.getString("[0].invalidationId");
            assertEquals("flood from one domain", last.getString("[0].reason"));
            // the tally drops exactly what the page previewed
            await().atMost(Duration.ofSeconds(60)).until(() -> total() == before);
            By reverse = By.cssSelector("#invalidations-table button[data-invalidation='" + id + "']");
            wait.until(ExpectedConditions.elementToBeClickable(reverse));
            assertEquals(List.of(), js("return window.__cspViolations"));
            screenshot("invalidations");
            driver.findElement(reverse).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("inv-status"), "reversed"));
            wait.until(ExpectedConditions.invisibilityOfElementLocated(reverse));
            await().atMost(Duration.ofSeconds(60)).until(() -> total() == before + 3);
        } finally {
            // whatever failed: this flood's invalidation (if the page made one) is reversed, so the totals are as before
            List<String> open = given().auth().oauth2(coordinator).get(platform.petitions.url() + "/api/v1/invalidations")
                    .then().extract().jsonPath().getList("findAll { it.selection.emailDomain == '" + flood
                            + "' && it.reversedAt == null }.invalidationId");
            for (String left : open) {
                given().auth().oauth2(coordinator).post(platform.petitions.url() + "/api/v1/invalidations/" + left + "/reversal")
                        .then().statusCode(200);
            }
        }
    }

    @Test
    void aFloodTrendsOnTheAnomaliesPageAndOpensItsInvalidationPreviewed() {
        String coordinator = platform.tokens.get("demo-coordinator");
        String flood = "surge-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        long before = total();
        // 320 signatures from one new domain in one batch: 32 a minute over the 10-minute window, against a baseline
        // of none: over the service's own thresholds (30 a minute, 5 times the baseline), nothing set for the test
        List<Map<String, Object>> items = java.util.stream.IntStream.range(0, 320).mapToObj(i -> Map.<String, Object>of(
                "id", "s" + i, "kind", "signature", "body", Map.of("caseIds", List.of("idris-khattak"),
                        "signer", Map.of("name", "Surge Bot", "email", "bot" + i + "@" + flood, "country", "MX")))).toList();
        given().auth().oauth2(platform.tokens.get("ai-mexico")).contentType(ContentType.JSON).body(Map.of("items", items))
                .post(platform.petitions.url() + "/api/v1/batches").then().statusCode(200).body("accepted", equalTo(320));
        await().atMost(Duration.ofSeconds(60)).until(() -> total() == before + 320);
        try {
            signIn("demo-coordinator");
            // the banner on every page of a coordinator, then the page itself
            WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#trend-banner .banner")));
            assertTrue(banner.getText().startsWith("Trending:"), banner.getText());
            banner.findElement(By.linkText("See the anomalies")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("anomalies-status"), "trending"));
            WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                    "//table[@id='anomalies-emailDomain']//tr[td[1][normalize-space()='320'] and td[contains(., 'Trending')]]")));
            assertTrue(row.getText().contains("320"), row.getText());
            assertFalse(driver.getPageSource().contains(flood), "the domain itself is never on the page");
            assertEquals(List.of(), js("return window.__cspViolations"));
            screenshot("anomalies");
            // its link opens the invalidations page on that domain's hash and the window, previewed at once
            row.findElement(By.linkText("Preview invalidation")).click();
            wait.until(ExpectedConditions.textToBe(By.id("inv-total"), "320 actions selected."));
            assertTrue(driver.findElement(By.id("inv-domain-hash")).getText().startsWith("Signer email domain #"));
            driver.findElement(By.id("inv-reason")).sendKeys("surge from one domain", Keys.ENTER);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("inv-status"), "320 actions invalidated"));
            await().atMost(Duration.ofSeconds(60)).until(() -> total() == before);
            // once out, it no longer trends
            driver.get(driver.getCurrentUrl().replaceAll("#.*$", "#/anomalies"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("anomalies-status"), "UTC"));
            assertEquals(List.of(), driver.findElements(By.xpath(
                    "//table[@id='anomalies-emailDomain']//tr[td[contains(., '320')] and td[contains(., 'Trending')]]")));
        } finally {
            // whatever failed: the surge is taken out, so the totals are as before for the other tests
            String hash = given().auth().oauth2(coordinator).get(platform.petitions.url() + "/api/v1/anomalies").then()
                    .extract().jsonPath().getString("trends.find { it.dimension == 'emailDomain' && it.actions == 320 }.value");
            if (hash != null) {
                String selection = "{\"emailDomainHash\":\"" + hash + "\"}";
                given().auth().oauth2(coordinator).contentType(ContentType.JSON)
                        .body("{\"selection\":" + selection + ",\"reason\":\"test clean-up\",\"expectedActions\":320}")
                        .post(platform.petitions.url() + "/api/v1/invalidations");
            }
        }
    }

    @Test
    void aCoordinatorReadsAHoldPlacedAndLiftedInCaseServiceOnTheAuditTrailPageAndDownloadsItAsCsv() {
        // a staff write in case-service: a case manager places a hold on a case (with a reason the trail never keeps)
        // and lifts it
        String caseId = "gustavo-gatica";
        String reason = "lawyer's office searched " + UUID.randomUUID();
        String manager = platform.tokens.get("demo-case-manager");
        String holdId = given().auth().oauth2(manager).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .put(platform.cases.url() + "/api/v1/cases/" + caseId + "/hold").then().statusCode(oneOf(200, 202))
                .extract().jsonPath().getString("hold.holdId");
        given().auth().oauth2(manager).delete(platform.cases.url() + "/api/v1/cases/" + caseId + "/hold?holdId=" + holdId)
                .then().statusCode(oneOf(200, 202));
        // what case-service's trail holds about the case, read by a coordinator through the API
        List<Map<String, Object>> entries = given().auth().oauth2(platform.tokens.get("demo-coordinator"))
                .get(platform.cases.url() + "/api/v1/audit?subjectId=" + caseId).then().statusCode(200)
                .body("more", equalTo(false)).extract().jsonPath().getList("entries");
        assertEquals(List.of("case.hold.lifted", "case.hold.placed"),
                entries.stream().limit(2).map(e -> e.get("action")).toList());

        signIn("demo-coordinator");
        driver.findElement(By.linkText("Audit trail")).click();
        WebElement show = wait.until(ExpectedConditions.elementToBeClickable(By.id("audit-show")));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("audit-service"))).selectByValue("case");
        driver.findElement(By.id("audit-subject")).sendKeys(caseId);
        show.click();
        wait.until(ExpectedConditions.textToBe(By.id("audit-summary"), entries.size() + " entries from case-service."));
        List<List<String>> rows = auditRows();
        assertEquals(entries.size(), rows.size());
        // newest first: the lift, then the hold, both by the case manager, about the case, naming the hold (not why)
        // columns: time, actor, role, actor's entity, source address, action, subject, entity, details
        assertEquals(List.of("demo-case-manager", "case-manager", "", "case.hold.lifted", "case " + caseId),
                List.of(rows.get(0).get(1), rows.get(0).get(2), rows.get(0).get(3), rows.get(0).get(5), rows.get(0).get(6)));
        assertEquals(List.of("demo-case-manager", "case-manager", "", "case.hold.placed", "case " + caseId),
                List.of(rows.get(1).get(1), rows.get(1).get(2), rows.get(1).get(3), rows.get(1).get(5), rows.get(1).get(6)));
        assertEquals("holdId=" + holdId, rows.get(0).get(8));
        assertEquals("holdId=" + holdId, rows.get(1).get(8));
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> entry = entries.get(i);
            List<String> row = rows.get(i);
            assertEquals(List.of(String.valueOf(entry.get("actor")), String.valueOf(entry.get("action")),
                    entry.get("entityId") == null ? "" : String.valueOf(entry.get("entityId"))),
                    List.of(row.get(1), row.get(5), row.get(7)), "row " + i);
        }
        // from where: the client address case-service saw (the test's own, on this machine)
        assertEquals(String.valueOf(entries.get(0).get("source")), rows.get(0).get(4));
        assertFalse(rows.get(0).get(4).isBlank());
        assertFalse(driver.findElement(By.id("view")).getText().contains(reason));
        assertFalse(driver.findElement(By.id("audit-more")).isDisplayed());
        screenshot("audit");

        // the same query as the service's CSV, fetched with the token and saved by the browser
        List<List<String>> csv = csv(downloaded("Download the audit trail shown, as the service's CSV",
                "audit-case-service.csv", entries.size() + 1));
        assertEquals(List.of("id", "at", "actor", "actorRole", "actorEntity", "keyId", "source", "action", "subjectType",
                "subjectId", "entityId", "detail"), csv.get(0));
        for (int i = 0; i < entries.size(); i++) {
            Map<String, Object> entry = entries.get(i);
            List<String> line = csv.get(i + 1);
            assertEquals(List.of(String.valueOf(entry.get("id")), String.valueOf(entry.get("at")),
                    String.valueOf(entry.get("actor")), String.valueOf(entry.get("action")), caseId),
                    List.of(line.get(0), line.get(1), line.get(2), line.get(7), line.get(9)), "CSV line " + (i + 1));
        }
        assertEquals(List.of("demo-case-manager", "case.hold.lifted", "{holdId=" + holdId + "}"),
                List.of(csv.get(1).get(2), csv.get(1).get(7), csv.get(1).get(11)));
        assertEquals(List.of("demo-case-manager", "case.hold.placed", "{holdId=" + holdId + "}"),
                List.of(csv.get(2).get(2), csv.get(2).get(7), csv.get(2).get(11)));

        // fewer entries allowed than match: the newest ones, and the page says there are more
        int fewer = entries.size() - 1;
        WebElement limit = driver.findElement(By.id("audit-limit"));
        limit.clear();
        limit.sendKeys(String.valueOf(fewer));
        show.click();
        wait.until(ExpectedConditions.textToBe(By.id("audit-summary"),
                fewer + (fewer == 1 ? " entry" : " entries") + " from case-service."));
        assertEquals(rows.subList(0, fewer), auditRows());
        assertTrue(driver.findElement(By.id("audit-more")).isDisplayed());
        assertEquals("More entries exist than the " + fewer + " shown: narrow the filters.",
                driver.findElement(By.id("audit-more")).getText());

        // a filter nothing matches says so
        driver.findElement(By.id("audit-action")).sendKeys("delivery.");
        show.click();
        wait.until(ExpectedConditions.textToBe(By.id("audit-summary"),
                "No entries in case-service's trail match these filters."));
        assertTrue(auditRows().isEmpty());
        assertFalse(driver.findElement(By.id("audit-more")).isDisplayed());
    }

    /**
     * Issue 16.6: a campaign whose signers signed, then closed long ago, is due; the coordinator's dry run counts its
     * signatures by case, and only a ticked confirmation anonymises it; its signer list is gone afterwards.
     */
    @Test
    void aCoordinatorDryRunsAndAnonymisesADueCampaignFromTheRetentionPage() {
        String manager = platform.tokens.get("demo-case-manager");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String campaignId = "retire-" + suffix, caseId = "retire-case-" + suffix;
        Instant now = Instant.now();
        openCampaignWithCase(campaignId, Map.of("caseId", caseId, "name", "Someone at risk", "goal", 100));
        signature("ai-germany", caseId);
        // the edition closed a year and a half ago: six months after it, it is due
        given().auth().oauth2(manager).contentType(ContentType.JSON).body(Map.of(
                        "opensAt", now.minus(Duration.ofDays(600)).toString(), "closesAt", now.minus(Duration.ofDays(540)).toString()))
                .patch(platform.cases.url() + "/api/v1/campaigns/" + campaignId).then().statusCode(200);
        String coordinator = platform.tokens.get("demo-coordinator");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(coordinator)
                .get(platform.petitions.url() + "/api/v1/retention").then().statusCode(200)
                .body("campaigns.find { it.campaignId == '" + campaignId + "' }.state", equalTo("due")));

        signIn("demo-coordinator");
        driver.findElement(By.linkText("Retention")).click();
        By dryRun = By.cssSelector("button.dry-run[data-campaign='" + campaignId + "']");
        wait.until(ExpectedConditions.elementToBeClickable(dryRun));
        WebElement row = driver.findElement(By.xpath("//table[@id='retention-table']//tr[th='" + campaignId + "']"));
        assertTrue(row.getText().contains("due"), row.getText());
        driver.findElement(dryRun).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("retention-dry-run-summary"), "2 signatures"));
        assertEquals(List.of(List.of(caseId, "2", "0")), driver.findElements(By.cssSelector("#retention-dry-run tbody tr"))
                .stream().map(r -> r.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).toList()).toList());
        screenshot("retention");
        // nothing goes without the tick: the form refuses to submit (and the runs listed at the end are the dry run and
        // one anonymisation, so this click made none: the 200 below alone would be read before any request ended)
        driver.findElement(By.id("retention-go")).click();
        assertEquals(Boolean.TRUE, js("return document.getElementById('retention-sure').matches(':invalid')"));
        assertFalse(driver.findElement(By.id("retention-result")).getText().contains("anonymised:"));
        assertEquals(200, given().auth().oauth2(platform.tokens.get("demo-delivery"))
                .get(platform.petitions.url() + "/api/v1/cases/" + caseId + "/signers.csv").statusCode());
        driver.findElement(By.id("retention-sure")).click();
        driver.findElement(By.id("retention-go")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("retention-result"), "anonymised: 2 signatures"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("retention-runs"), "anonymisation"));
        given().auth().oauth2(platform.tokens.get("demo-delivery"))
                .get(platform.petitions.url() + "/api/v1/cases/" + caseId + "/signers.csv").then().statusCode(410);
        given().auth().oauth2(coordinator).get(platform.petitions.url() + "/api/v1/retention/runs?campaignId=" + campaignId)
                .then().body("dryRun", equalTo(List.of(false, true))).body("[0].signatures", equalTo(2))
                .body("[0].runBy", equalTo("demo-coordinator"));
    }

    /** Issue 16.5: a case with milestones of its own reaches them, and the overview's timeline shows them, newest first. */
    @Test
    void theOverviewTimelineShowsTheMilestonesACaseReached() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String campaignId = "steps-" + suffix, caseId = "steps-case-" + suffix;
        openCampaignWithCase(campaignId, Map.of("caseId", caseId, "name", "Steps " + suffix, "goal", 4,
                "milestones", List.of(50, 100)));
        signature("ai-germany", caseId);
        String coordinator = platform.tokens.get("demo-coordinator");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(coordinator)
                .get(platform.tally.url() + "/api/v1/dashboard/milestones?campaign=" + campaignId).then().statusCode(200)
                .body("percent", equalTo(List.of(50))));
        signature("ai-france", caseId);
        signature("ai-mexico", caseId);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(coordinator)
                .get(platform.tally.url() + "/api/v1/dashboard/milestones?campaign=" + campaignId).then()
                .body("percent", equalTo(List.of(100, 50))));

        signIn("demo-coordinator");
        js("sessionStorage.setItem('w4r.campaign', '" + campaignId + "');");
        driver.navigate().refresh();
        By items = By.cssSelector("#milestones-timeline li[data-case='" + caseId + "']");
        wait.until(d -> d.findElements(items).size() == 2);
        List<WebElement> reached = driver.findElements(items);
        assertEquals(List.of("100", "50"), reached.stream().map(li -> li.getAttribute("data-percent")).toList());
        assertTrue(reached.get(0).getText().contains("Steps " + suffix + " reached 100 % of its goal: 4"), reached.get(0).getText());
        assertTrue(reached.get(1).getText().contains("reached 50 % of its goal: 2"), reached.get(1).getText());
        assertEquals("#/case/" + caseId, reached.get(0).findElement(By.tagName("a")).getAttribute("href")
                .replaceAll("^.*(#/case/)", "$1"));
        screenshot("milestones");

        // the case's own page lists the same two, one row each (on a demo case with a goal in the hundreds of
        // thousands the list was empty, and the check of it passed on nothing: a review of the tests, 6 December 2026)
        reached.get(0).findElement(By.tagName("a")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), "Steps " + suffix));
        wait.until(d -> d.findElement(By.id("case-milestones")).findElements(By.cssSelector("tbody tr")).size() == 2);
        String listed = driver.findElement(By.id("case-milestones")).getText();
        assertTrue(listed.contains("100 %") && listed.contains("50 %"), listed);
    }

    /**
     * A coordinator deletes, from the entity's page, a webhook the entity's key registered (the kill switch for a
     * receiver a leaked key set up: docs/security.md). The API allowed it; no page did, and tally's CORS refused the
     * browser's DELETE (a security review, 6 December 2026). The receiver is a public address literal, which the
     * production checks take without a name lookup; it is deleted before any milestone of the entity's is sent to it.
     */
    @Test
    void aCoordinatorDeletesAnEntitysWebhookFromItsPage() {
        String entityKey = platform.tokens.get("ai-chile");
        String id = given().auth().oauth2(entityKey).contentType(ContentType.JSON)
                .body(Map.of("url", "https://93.184.215.14/w4r-hook-" + UUID.randomUUID(), "events", List.of("milestone.reached")))
                .post(platform.tally.url() + "/api/v1/webhooks").then().statusCode(201).extract().path("id");

        signIn("demo-coordinator");
        driver.get(platform.ui.url() + "/#/entity/ai-chile");
        By row = By.xpath("//table[@id='entity-webhooks']//tr[.//button[@aria-label='Delete the webhook to 93.184.215.14']]");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        assertTrue(driver.findElement(row).getText().contains("milestone.reached"), driver.findElement(row).getText());
        screenshot("entity-webhooks");
        driver.findElement(row).findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBe(By.id("entity-webhooks-status"), "The webhook to 93.184.215.14 is deleted."));
        wait.until(ExpectedConditions.numberOfElementsToBe(row, 0));
        given().auth().oauth2(entityKey).get(platform.tally.url() + "/api/v1/webhooks").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
        assertEquals(List.of(), js("return window.__cspViolations"));
    }

    /**
     * A campaign of its own, open since yesterday for ten days, with one active case ({@code caseFields}: its id, name,
     * goal…), as a case manager makes them; returns once the case took its first signature (from ai-france).
     */
    static void openCampaignWithCase(String campaignId, Map<String, Object> caseFields) {
        String manager = platform.tokens.get("demo-case-manager");
        Instant now = Instant.now();
        given().auth().oauth2(manager).contentType(ContentType.JSON).body(Map.of("campaignId", campaignId,
                        "name", "Edition " + campaignId, "opensAt", now.minus(Duration.ofDays(1)).toString(),
                        "closesAt", now.plus(Duration.ofDays(10)).toString()))
                .post(platform.cases.url() + "/api/v1/campaigns").then().statusCode(201);
        Map<String, Object> body = new java.util.HashMap<>(caseFields);
        body.putAll(Map.of("campaignId", campaignId, "country", "MM", "status", "active"));
        given().auth().oauth2(manager).contentType(ContentType.JSON).body(body)
                .post(platform.cases.url() + "/api/v1/cases").then().statusCode(201);
        String caseId = (String) caseFields.get("caseId");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> signature("ai-france", caseId));
    }

    /** The audit trail page's table, cell by cell as shown. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> auditRows() {
        return (List<List<String>>) js("return [...document.querySelectorAll('#audit-table tbody tr')]"
                + ".map((r) => [...r.cells].map((c) => c.textContent))");
    }

    /** A delivery for the case, handed over through the API (delivery-service may ask to retry while it catches up). */
    static void handedOver(String caseId) {
        String token = platform.tokens.get("demo-delivery");
        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("caseId", caseId, "kind", "petition", "recipient", Map.of("kind", "embassy", "name", "Embassy"),
                        "plannedFor", java.time.Instant.now().toString()))
                .post(platform.delivery.url() + "/api/v1/deliveries").then().statusCode(201).extract().path("id");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(token)
                .contentType(ContentType.JSON).body(Map.of("deliveredAt", java.time.Instant.now().minusSeconds(5).toString(),
                        "deliveredBy", "Delivery team"))
                .post(platform.delivery.url() + "/api/v1/deliveries/" + id + "/handover").statusCode() == 200);
    }

    @Test
    void theCaseEntityAndReportPagesShowTheirTablesAndExportCsv() {
        handedOver("el-hiblu-3");
        signIn("demo-coordinator");
        driver.get(platform.ui.url() + "/#/case/el-hiblu-3");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), "El Hiblu 3"));
        wait.until(d -> d.findElement(By.id("case-entities")).getText().contains("France"));
        wait.until(d -> d.findElement(By.id("case-handovers")).getText().contains("handed-over"));
        assertTrue(driver.findElement(By.id("case-days")).findElements(By.cssSelector("tbody tr")).size() >= 2);
        // (its milestones: theOverviewTimelineShowsTheMilestonesACaseReached, on a case small enough to reach some)
        screenshot("case");

        driver.get(platform.ui.url() + "/#/entity/ai-france");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), "France"));
        wait.until(d -> d.findElement(By.id("entity-cases")).getText().contains("El Hiblu 3"));
        wait.until(d -> !d.findElements(By.cssSelector("#entity-compare tbody tr")).isEmpty());
        screenshot("entity");

        driver.get(platform.ui.url() + "/#/report");
        wait.until(d -> d.findElements(By.cssSelector("#report-cases tbody tr")).size() == 10);
        wait.until(d -> d.findElement(By.id("report-entities")).getText().contains("FRANCE"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("matrix-table")));
        screenshot("report");
        // the table as shown, from the browser, and the server's export in the report's own format: both cell by cell
        // the figures the API reports
        String coordinator = platform.tokens.get("demo-coordinator");
        List<List<String>> expected = new java.util.ArrayList<>();
        for (Map<String, Object> row : given().auth().oauth2(coordinator).get(platform.tally.url()
                + "/api/v1/totals/report/cases").then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("$")) {
            expected.add(List.of(String.valueOf(row.get("individualOrGroup")), String.valueOf(row.get("country")),
                    String.valueOf(row.get("estimatedNumberOfActions"))));
        }
        List<List<String>> table = csv(downloaded("Download Number of actions for each individual and group as CSV",
                "report-cases-table.csv", 11));
        assertEquals(List.of("Individual or group", "Country", "Estimated number of actions"), table.get(0));
        assertEquals(expected, table.subList(1, table.size()));
        List<List<String>> export = csv(downloaded("Report CSV (per case)", "report-cases.csv", 11));
        assertEquals(List.of("INDIVIDUAL OR GROUP", "COUNTRY", "ESTIMATED NUMBER OF ACTIONS"), export.get(0));
        assertEquals(expected, export.subList(1, export.size()));
    }

    /** Clicks a download button and waits for the file with {@code lines} lines; returns them all. */
    private static List<String> downloaded(String label, String filename, int lines) {
        Path file = downloads.resolve(filename);
        try {
            Files.deleteIfExists(file);
            WebElement button = driver.findElements(By.cssSelector("button.csv")).stream()
                    .filter(b -> label.equals(b.getAttribute("aria-label")) || label.equals(b.getText())).findFirst().orElseThrow();
            button.click();
            List<String> content = wait.until(d -> {
                try {
                    List<String> all = Files.exists(file) ? Files.readAllLines(file) : List.of();
                    return all.size() == lines ? all : null;
                } catch (java.io.IOException e) {
                    return null;
                }
            });
            return content;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aReplayOf2020ShowsItsPeakOn10DecemberInTheTimeSeries() throws Exception {
        org.w4r.replay.Replay.Result replay = org.w4r.replay.Replay.run(new org.w4r.replay.Replay.Options(0.001, 2020, 4, 1000,
                org.w4r.replay.Main.runId(), new org.w4r.replay.Timeline(), new org.w4r.replay.Endpoints(platform.petitions.url(), platform.tally.url(),
                platform.cases.url()), platform.tokens, Duration.ofSeconds(60), System.out));
        assertEquals(0, replay.exitCode());
        signIn("demo-coordinator");
        new org.openqa.selenium.support.ui.Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("campaign"))))
                .selectByValue(replay.campaignId());
        wait.until(ExpectedConditions.textToBe(By.id("campaign-name"), replay.campaignId()));
        wait.until(d -> number(d.findElement(By.id("global-total")).getText()) == replay.expected().total);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("peak-day"), "Peak day: "));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#peak-day time[datetime='2020-12-10']")));
        screenshot("replay-2020");
    }

    @Test
    void theOverviewFitsAPhone() {
        driver.manage().window().setSize(new Dimension(375, 800));
        signIn("demo-coordinator");
        wait.until(d -> d.findElements(By.cssSelector("#cases-table tbody tr")).size() == 11);
        // no horizontal scrolling of the page at 375 px: wide tables scroll in their own box
        assertEquals(List.of(), js("return [...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll')"
                + " && e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '#' + e.id + '.' + e.className)"));
        assertEquals(Boolean.TRUE, js("return document.documentElement.scrollWidth <= window.innerWidth"));
        screenshot("overview-phone");
    }

    @Test
    void pagesOfAnotherRoleOpenedByUrlShowNothing() {
        // an entity key opening another entity's page straight from its address: the entity portal signs it in, and
        // the staff's entity page is not for it (EntityPortalBrowserIT walks the rest of an entity's view)
        driver.get(platform.ui.url() + "/#/entity/ai-germany");
        signIn("ai-france");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), "Not available"));
        assertTrue(driver.findElements(By.id("global-total")).isEmpty());
        assertTrue(driver.findElements(By.cssSelector("#view table")).isEmpty());

        // staff pages of other roles, each opened by its address: "Not available", and none of the page's own parts
        Map<String, List<String>> refused = Map.of(
                "demo-moderator", List.of("report", "holds", "deliveries", "audit"),
                "demo-delivery", List.of("report", "moderation", "holds", "audit"),
                "demo-case-manager", List.of("report", "moderation", "deliveries", "audit"));
        Map<String, String> partOf = Map.of("report", "report-cases", "moderation", "moderation-queue",
                "holds", "hold-reason-germain-rukuki", "deliveries", "plan-form", "audit", "audit-form");
        refused.forEach((principal, pages) -> {
            freshTab();
            signIn(principal);
            for (String page : pages) {
                driver.get(platform.ui.url() + "/#/" + page);
                wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), "Not available"));
                assertTrue(driver.findElements(By.id(partOf.get(page))).isEmpty(), principal + " sees " + page);
                assertTrue(driver.findElements(By.cssSelector("#view table")).isEmpty(), principal + " sees a table on " + page);
            }
        });
    }

    @Test
    void theLiveStreamReconnectsAfterItIsCutAndShowsWhatChangedMeanwhile() throws Exception {
        // the page reaches tally-service through a proxy the test can cut, as a dropped network would: a staff UI of
        // its own names the proxy as tally's address
        try (org.w4r.testsupport.TcpProxy proxy = new org.w4r.testsupport.TcpProxy("127.0.0.1", platform.tally.port);
             ServiceProcess ui = platform.startUi("staff-ui-proxied", "http://localhost:" + proxy.port())) {
            ui.awaitReady(Duration.ofSeconds(120));
            String page = ui.url();
            driver.get(page + "/");
            js("sessionStorage.clear();");
            driver.navigate().refresh();
            signIn("demo-coordinator");
            wait.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
            assertPageShowsTheApiFigures("w4r-demo");
            js("window.__sameDocument = 'yes';");
            long before = number(driver.findElement(By.id("global-total")).getText());

            proxy.pause(); // the reconnect waits
            proxy.cut();
            wait.until(ExpectedConditions.textToBe(By.id("live-status"), "reconnecting…"));
            // what happens while the page is cut off: it cannot hear of it
            signature("ai-germany", "jani-silva");
            await().atMost(Duration.ofSeconds(60)).until(() -> apiFigures("w4r-demo").get("total").get("all") == before + 1);
            assertEquals(before, number(driver.findElement(By.id("global-total")).getText()));

            proxy.resume();
            wait.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
            wait.until(d -> number(d.findElement(By.id("global-total")).getText()) == before + 1);
            assertPageShowsTheApiFigures("w4r-demo");
            assertEquals("yes", js("return window.__sameDocument"), "the page was reloaded, not reconnected");
            screenshot("overview-reconnected");
        }
    }

    /** RFC 4180 lines, as both the page and the server write them, into cells. */
    static List<List<String>> csv(List<String> lines) {
        List<List<String>> rows = new java.util.ArrayList<>();
        for (String line : lines) {
            List<String> cells = new java.util.ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            cells.add(cell.toString());
            rows.add(cells);
        }
        return rows;
    }

    /** Per case (the no-case row as "(no case)") and per entity, as the overview's tables show them now. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Long>> pageFigures() {
        Map<String, Object> shown = (Map<String, Object>) js("""
                const figures = (selector, column) => Object.fromEntries([...document.querySelectorAll(selector + ' tbody tr')]
                  .map((r) => { const a = r.querySelector('th a');
                    return [a ? decodeURIComponent(a.getAttribute('href').split('/').pop()) : r.cells[0].textContent,
                            r.cells[column].textContent]; }));
                return { total: { all: document.getElementById('global-total').textContent },
                         cases: figures('#cases-table', 1), entities: figures('#entities-table', 2) };""");
        Map<String, Map<String, Long>> figures = new java.util.TreeMap<>();
        shown.forEach((table, cells) -> {
            Map<String, Long> numbers = new java.util.TreeMap<>();
            ((Map<String, Object>) cells).forEach((k, v) -> numbers.put(k, number(String.valueOf(v))));
            figures.put(table, numbers);
        });
        return figures;
    }

    /** The current campaign's total, as tally-service answers it now. */
    static long total() {
        return given().auth().oauth2(platform.tokens.get("demo-coordinator")).get(platform.tally.url() + "/api/v1/totals")
                .then().statusCode(200).extract().jsonPath().getLong("total");
    }

    /** The same figures from the API. */
    static Map<String, Map<String, Long>> apiFigures(String campaignId) {
        io.restassured.path.json.JsonPath t = given().auth().oauth2(platform.tokens.get("demo-coordinator"))
                .get(platform.tally.url() + "/api/v1/totals?campaign=" + campaignId).then().statusCode(200)
                .extract().jsonPath();
        Map<String, Long> cases = new java.util.TreeMap<>();
        t.<Map<String, Object>>getList("cases").forEach(c -> cases.put((String) c.get("caseId"),
                ((Number) c.get("total")).longValue()));
        cases.put("(no case)", t.getLong("withoutCase"));
        Map<String, Long> entities = new java.util.TreeMap<>();
        t.<Map<String, Object>>getList("entities").forEach(e -> {
            long n = ((Number) e.get("total")).longValue();
            if (n != 0) { // the leaderboard leaves out entities at zero
                entities.put((String) e.get("entityId"), n);
            }
        });
        return new java.util.TreeMap<>(Map.of("total", Map.of("all", t.getLong("total")), "cases", cases,
                "entities", entities));
    }

    /** The open overview shows exactly what the API says, per case and per entity (awaited: the stream may lag). */
    static void assertPageShowsTheApiFigures(String campaignId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> assertEquals(apiFigures(campaignId), pageFigures()));
    }

    private static long number(String text) {
        String digits = text.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }
}

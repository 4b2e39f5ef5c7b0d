package org.w4r.it;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21, point 4: a delivery team in a real headless Chromium against the packaged platform plans from the case
 * (the recipient suggested from its target authority), previews the counts a handover would freeze and what the pack
 * will hold, records the handover with an evidence link and its SHA-256 (read back from delivery-service), and sees in
 * words why a held case cannot be planned. Screenshots: target/screenshots/delivery-plan.png, delivery-held.png.
 */
class DeliveryPlanBrowserIT extends BrowserSupport {
    static final String TARGET = "President of the Republic of Burundi";

    @BeforeAll
    static void browser() throws Exception {
        startBrowser(Duration.ofSeconds(30));
        // the case's target authority, as a case manager sets it (the demo's cases name none), once delivery-service has it
        given().auth().oauth2(platform.tokens.get("demo-case-manager")).contentType(ContentType.JSON)
                .body(Map.of("targetAuthority", TARGET))
                .patch(platform.cases.url() + "/api/v1/cases/germain-rukuki").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> TARGET.equals(given()
                .auth().oauth2(platform.tokens.get("demo-delivery")).get(platform.delivery.url() + "/api/v1/cases/germain-rukuki")
                .then().statusCode(200).extract().path("targetAuthority")));
        // something to freeze: signatures of two entities for the case (counted from what is there before: other
        // classes sign this case too, on the same platform)
        int before = signatures();
        for (String entity : List.of("ai-france", "ai-germany", "ai-germany")) {
            given().auth().oauth2(platform.tokens.get(entity)).contentType(ContentType.JSON)
                    .body(Map.of("caseIds", List.of("germain-rukuki"), "signer", Map.of("name", "Plan Signer",
                            "email", "plan-" + UUID.randomUUID() + "@example.org", "country", "FR")))
                    .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(202);
        }
        // delivery-service has counted them (its ledger reads the actions topic), so a preview from now on holds them
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> signatures() >= before + 3);
    }

    /** The signatures delivery-service has counted for the case up to now. */
    static int signatures() {
        Integer counted = given().auth().oauth2(platform.tokens.get("demo-delivery")).queryParam("until", Instant.now().toString())
                .get(platform.delivery.url() + "/api/v1/cases/germain-rukuki/counts").then().statusCode(200)
                .extract().jsonPath().get("byType.signature");
        return counted == null ? 0 : counted;
    }

    @Test
    void aDeliveryTeamPlansFromTheCasePreviewsTheFrozenCountsAndRecordsEvidenceWithItsDigest() throws Exception {
        String delivery = platform.tokens.get("demo-delivery");
        signIn("demo-delivery");
        open("Deliveries", "Deliveries and handovers");
        button("Plan a delivery for Germain Rukuki").click();
        // the recipient is suggested from the case's target authority
        assertEquals(TARGET, driver.findElement(By.id("plan-recipient-name")).getAttribute("value"));
        assertEquals("target-authority", new Select(driver.findElement(By.id("plan-recipient-kind"))).getFirstSelectedOption()
                .getAttribute("value"));
        assertEquals("germain-rukuki", new Select(driver.findElement(By.id("plan-case"))).getFirstSelectedOption().getAttribute("value"));
        js("document.getElementById('plan-when').value = arguments[0];", LocalDate.now(ZoneOffset.UTC).toString());
        type("plan-city", "Bujumbura");
        driver.findElement(By.cssSelector("#plan-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deliveries-status"), "planned"));
        String id = given().auth().oauth2(delivery).get(platform.delivery.url() + "/api/v1/deliveries?caseId=germain-rukuki&status=planned")
                .then().statusCode(200).extract().jsonPath().getString("find { it.place != null && it.place.city == 'Bujumbura' }.id");

        // the preview: the counts a handover at the cut-off would freeze, equal to delivery-service's own answer
        button("Preview and record the handover for Germain Rukuki to " + TARGET).click();
        String cutoffShown = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("handover-cutoff"))).getAttribute("value");
        Instant cutoff = Instant.parse(cutoffShown + (cutoffShown.length() == 16 ? ":00Z" : "Z"));
        long expected = given().auth().oauth2(delivery).queryParam("until", cutoff.toString()).queryParam("kind", "petition")
                .get(platform.delivery.url() + "/api/v1/cases/germain-rukuki/counts").then().statusCode(200)
                .extract().jsonPath().getLong("total");
        assertTrue(expected >= 3, "the signatures are counted: " + expected);
        wait.until(d -> d.findElement(By.id("handover-by-type")).getText().contains("signature"));
        wait.until(d -> d.findElement(By.id("handover-total")).getText().replaceAll("[^0-9]", "").equals(String.valueOf(expected)));
        WebElement pack = driver.findElement(By.id("pack-contents"));
        assertTrue(pack.getText().contains("Germain Rukuki") && pack.getText().contains("signers who agreed to be named"), pack.getText());
        assertTrue(driver.findElement(By.id("handover-by-entity")).getText().contains("France"));
        // the pack itself, marked as a preview, before anything is recorded: the delivery stays planned
        driver.findElement(By.id("pack-preview")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pack-preview-note"), "Preview downloaded"));
        given().auth().oauth2(delivery).get(platform.delivery.url() + "/api/v1/deliveries/" + id).then().statusCode(200)
                .body("status", equalTo("planned"));

        String evidence = "https://example.org/handover/" + UUID.randomUUID() + ".jpg";
        String sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        type("evidence-url-1", evidence);
        type("evidence-sha-1", sha256);
        type("handover-by", "Amnesty Burundi team");
        screenshot("delivery-plan");
        driver.findElement(By.cssSelector("#handover-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deliveries-status"), "recorded"));
        given().auth().oauth2(delivery).get(platform.delivery.url() + "/api/v1/deliveries/" + id).then().statusCode(200)
                .body("status", equalTo("delivered")).body("handover.deliveredBy", equalTo("Amnesty Burundi team"))
                .body("handover.evidence", equalTo(List.of(evidence + "#sha256=" + sha256)))
                .body("handover.cutoff", equalTo(cutoff.toString()))
                .body("handover.total", equalTo((int) expected));
        // the table shows the link and its digest apart
        By row = By.xpath("//table[@id='deliveries-table']//tr[.//a[@href='" + evidence + "']]");
        assertTrue(wait.until(ExpectedConditions.visibilityOfElementLocated(row)).getText().contains("SHA-256 " + sha256));
    }

    @Test
    void aHeldCaseCannotBePlannedAndThePageSaysWhyInWords() {
        String delivery = platform.tokens.get("demo-delivery");
        int before = given().auth().oauth2(delivery).get(platform.delivery.url() + "/api/v1/deliveries?caseId=paing-phyo-min")
                .then().statusCode(200).extract().jsonPath().getList("$").size();
        String since = given().auth().oauth2(delivery).get(platform.delivery.url() + "/api/v1/cases/paing-phyo-min")
                .then().statusCode(200).extract().path("hold.placedAt");
        signIn("demo-delivery");
        open("Deliveries", "Deliveries and handovers");
        button("Plan a delivery for Paing Phyo Min").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-hold-note"), "is on safety hold since"));
        type("plan-recipient-name", "Embassy of Myanmar");
        js("document.getElementById('plan-when').value = arguments[0];", LocalDate.now(ZoneOffset.UTC).toString());
        driver.findElement(By.cssSelector("#plan-form button[type=submit]")).click();
        // delivery-service's 409 case-on-hold, in words: what it means and since when, not the problem's JSON
        WebElement refusal = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#deliveries-status[role=alert]")));
        wait.until(d -> refusal.getText().contains("This case is on safety hold since"));
        assertTrue(refusal.getText().startsWith("Not planned:"), refusal.getText());
        assertTrue(refusal.getText().contains("nothing can be planned, recorded or exported"), refusal.getText());
        assertTrue(refusal.getText().contains(Instant.parse(since).truncatedTo(ChronoUnit.DAYS).toString().substring(0, 4)),
                "the hold's date: " + refusal.getText());
        screenshot("delivery-held");
        assertEquals(before, given().auth().oauth2(delivery).get(platform.delivery.url() + "/api/v1/deliveries?caseId=paing-phyo-min")
                .then().statusCode(200).extract().jsonPath().getList("$").size(), "nothing was planned");
    }

    /**
     * A signer erased after a pack was issued and a preview taken: both copies hold the name, and the delivery team
     * reads on the Deliveries page which to destroy (until 6 December 2026 a preview was never marked, and the page
     * showed no mark at all: only delivery-service's API had the pack's). Through the whole platform: petition-service
     * erases and publishes, delivery-service marks, the page reads it.
     */
    @Test
    void aPackAndAPreviewTakenBeforeASignersErasureAreNamedForDestructionOnTheDeliveriesPage() {
        String delivery = platform.tokens.get("demo-delivery");
        String email = "erased-" + UUID.randomUUID() + "@example.org";
        given().auth().oauth2(platform.tokens.get("ai-france")).contentType(ContentType.JSON)
                .body(Map.of("caseIds", List.of("germain-rukuki"), "signer", Map.of("name", "Erased Signer",
                        "email", email, "country", "FR"), "consent", Map.of("showName", true)))
                .post(platform.petitions.url() + "/api/v1/signatures").then().statusCode(202);
        String previewedTo = "Previewed embassy " + UUID.randomUUID().toString().substring(0, 8);
        String issuedTo = "Issued embassy " + UUID.randomUUID().toString().substring(0, 8);
        String previewed = plan(previewedTo);
        String issued = plan(issuedTo);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(delivery)
                .get(platform.delivery.url() + "/api/v1/deliveries/" + previewed + "/pack-preview").statusCode() == 200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(delivery)
                .contentType(ContentType.JSON).body(Map.of("deliveredAt", Instant.now().minusSeconds(5).toString(),
                        "deliveredBy", "Delivery team"))
                .post(platform.delivery.url() + "/api/v1/deliveries/" + issued + "/handover").statusCode() == 200);
        given().auth().oauth2(delivery).get(platform.delivery.url() + "/api/v1/deliveries/" + issued + "/pack").then().statusCode(200);

        given().auth().oauth2(platform.tokens.get("ai-france")).contentType(ContentType.JSON).body(Map.of("email", email))
                .post(platform.petitions.url() + "/api/v1/erasures").then().statusCode(202);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(delivery)
                .get(platform.delivery.url() + "/api/v1/deliveries/" + previewed).then().statusCode(200)
                .extract().path("previewErasure.previews") != null);
        given().auth().oauth2(delivery).get(platform.delivery.url() + "/api/v1/deliveries/" + issued).then().statusCode(200)
                .body("handover.erasure.erasures", equalTo(1)).body("handover.erasure.newPackIssued", equalTo(false));

        signIn("demo-delivery");
        open("Deliveries", "Deliveries and handovers");
        By previewRow = By.xpath("//table[@id='deliveries-table']//tr[td[contains(., '" + previewedTo + "')]]");
        By issuedRow = By.xpath("//table[@id='deliveries-table']//tr[td[contains(., '" + issuedTo + "')]]");
        String previewText = wait.until(ExpectedConditions.visibilityOfElementLocated(previewRow)).getText();
        assertTrue(previewText.contains("Signers of this case were erased: destroy every preview of this delivery taken before"),
                previewText);
        String issuedText = driver.findElement(issuedRow).getText();
        assertTrue(issuedText.contains("destroy every copy of its pack issued before") && issuedText.contains("download a new one"),
                issuedText);
        assertTrue(!issuedText.contains("preview"), "no preview of that delivery was taken: " + issuedText);
        screenshot("delivery-erasure");
    }

    /** A petition delivery of the case to this recipient, planned through the API. */
    private static String plan(String recipient) {
        return given().auth().oauth2(platform.tokens.get("demo-delivery")).contentType(ContentType.JSON)
                .body(Map.of("caseId", "germain-rukuki", "kind", "petition", "recipient", Map.of("kind", "embassy",
                        "name", recipient), "plannedFor", Instant.now().toString()))
                .post(platform.delivery.url() + "/api/v1/deliveries").then().statusCode(201).extract().path("id");
    }
}

package org.w4r.ui;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The staff UI serves its page, its config and nothing else, all under a strict Content-Security-Policy. */
@QuarkusTest
class StaffUiTest {
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "font-src 'self'; connect-src 'self' http://localhost:8082 http://localhost:8081 http://localhost:8080 "
            + "http://localhost:8083; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Test
    void configIsPublicAndNamesTheFourApis() {
        given().get("/config").then().statusCode(200).contentType(containsString("application/json"))
                .body("caseService", equalTo("http://localhost:8082"))
                .body("petitionService", equalTo("http://localhost:8081"))
                .body("tallyService", equalTo("http://localhost:8080"))
                .body("deliveryService", equalTo("http://localhost:8083"))
                .body("$", hasKey("oidc")).body("oidc", nullValue()) // OIDC off: paste a token
                .header("Content-Security-Policy", equalTo(POLICY));
    }

    @Test
    void thePageIsServedUnderAStrictContentSecurityPolicy() {
        String csp = given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer")
                .body(not(containsString("<script>"))).body(not(containsString("style=")))
                .body(not(containsString("cdn")))
                .extract().header("Content-Security-Policy");
        assertEquals(POLICY, csp);
        // Chart.js comes from the application's own jar, under the same policy
        given().get("/webjars/chart.js/4.5.1/dist/chart.umd.min.js").then().statusCode(200)
                .header("Content-Security-Policy", equalTo(csp));
        given().get("/js/app.js").then().statusCode(200).header("Content-Security-Policy", equalTo(csp));
    }

    @Test
    void theScriptsWriteApiValuesAsText() {
        for (String script : List.of("app.js", "api.js", "dom.js", "live.js", "i18n.js", "banners.js", "charts.js",
                "views/moderation.js", "views/holds.js",
                "views/deliveries.js", "views/case.js", "views/entity.js", "views/overview.js", "views/report.js",
                "views/invalidations.js", "views/audit.js", "views/anomalies.js")) {
            String text = given().get("/js/" + script).then().statusCode(200).extract().asString();
            assertFalse(text.contains("innerHTML") || text.contains("outerHTML") || text.contains("insertAdjacentHTML"),
                    script + " must write API values as text");
        }
    }

    @Test
    void itServesNoApiOfAnotherService() {
        for (String path : List.of("/api/v1/me", "/api/v1/totals", "/api/v1/dashboard/config", "/api/v1/dashboard/cases",
                "/api/v1/cases", "/api/v1/messages", "/api/v1/deliveries", "/q/openapi")) {
            given().get(path).then().statusCode(404);
        }
        given().contentType("application/json").body("{}").post("/config").then().statusCode(405);
    }
}

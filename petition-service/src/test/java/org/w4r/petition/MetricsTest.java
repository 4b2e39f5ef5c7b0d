package org.w4r.petition;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.WithPlatformResources;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/**
 * /q/metrics counts what entity websites send, by entity, kind and outcome, and shows the outbox; no signer's name or
 * email, and no caller-chosen path, ever becomes part of a series. Counters are shared with the other tests of this
 * application, so each check compares before and after.
 */
@QuarkusTest
@WithPlatformResources
class MetricsTest {
    private static final String ENTITY = "international-members";

    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    static double actions(String text, String kind, String outcome) {
        Matcher m = Pattern.compile("(?m)^w4r_actions_total\\{entity=\"" + ENTITY + "\",kind=\"" + kind
                + "\",outcome=\"" + outcome + "\",?} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static io.restassured.response.ValidatableResponse post(String path, String key, String body) {
        var request = given().auth().oauth2(entityKey(ENTITY)).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post(path).then();
    }

    @Test
    void eachAnswerIsCountedOnceUnderItsOutcome() {
        String email = "metrics-" + UUID.randomUUID() + "@example.org";
        String signature = SignatureResourceTest.body(email, "el-hiblu-3");
        String before = metrics();

        String key = UUID.randomUUID().toString();
        post("/api/v1/signatures", key, signature).statusCode(202);
        post("/api/v1/signatures", key, signature).statusCode(202).header("Idempotent-Replayed", "true");
        post("/api/v1/signatures", null, signature).statusCode(202); // the same signer again: a duplicate
        post("/api/v1/signatures", null, SignatureResourceTest.body(email, "no-such-case")).statusCode(404);
        post("/api/v1/batches", null, """
                {"items":[
                  {"id":"a","kind":"signature","body":{"caseIds":["el-hiblu-3","nassima-al-sada"],"signer":{"name":"M","email":"b-%s"}}},
                  {"id":"b","kind":"action","body":{"type":"postcard","caseId":"el-hiblu-3"}},
                  {"id":"c","kind":"action","body":{"type":"postcard","caseId":"no-such-case"}},
                  {"id":"d","kind":"signature","body":{"caseIds":["el-hiblu-3"],"signer":{"name":"M","email":"%s"}}},
                  {"id":"e","kind":"telegram","body":{}}
                ]}""".formatted(email, email)).statusCode(200);
        String after = metrics();

        assertEquals(1, actions(after, "signature", "accepted") - actions(before, "signature", "accepted"));
        assertEquals(1, actions(after, "signature", "replayed") - actions(before, "signature", "replayed"));
        assertEquals(1, actions(after, "signature", "duplicate") - actions(before, "signature", "duplicate"));
        assertEquals(1, actions(after, "signature", "refused") - actions(before, "signature", "refused"));
        assertEquals(3, actions(after, "batch-item", "accepted") - actions(before, "batch-item", "accepted"));
        assertEquals(1, actions(after, "batch-item", "duplicate") - actions(before, "batch-item", "duplicate"));
        assertEquals(2, actions(after, "batch-item", "refused") - actions(before, "batch-item", "refused"));
        assertFalse(after.contains("@example.org") || after.contains("Ada Lovelace"), "no signer in any series");
    }

    @Test
    void anUnauthenticatedCallerIsCountedWithoutAnEntity() {
        String before = metrics();
        given().contentType(ContentType.JSON).body(SignatureResourceTest.body("x@example.org", "el-hiblu-3"))
                .post("/api/v1/signatures").then().statusCode(401);
        String after = metrics();
        Pattern none = Pattern.compile("(?m)^w4r_actions_total\\{entity=\"none\",kind=\"signature\",outcome=\"refused\",?} (\\S+)$");
        Matcher b = none.matcher(before);
        Matcher a = none.matcher(after);
        assertTrue(a.find(), after);
        assertEquals(1, Double.parseDouble(a.group(1)) - (b.find() ? Double.parseDouble(b.group(1)) : 0));
    }

    @Test
    void theOutboxAndLatencyAreShownAndCallerChosenPathsAreNot() {
        String probe = "zz" + UUID.randomUUID().toString().replace("-", "");
        given().get("/api/v1/" + probe).then().statusCode(404);
        post("/api/v1/actions", null, "{\"caseId\":\"el-hiblu-3\",\"type\":\"tweet\"}").statusCode(202);
        String text = metrics();
        assertTrue(text.matches("(?s).*\\nw4r_outbox_backlog \\d+\\.\\d+.*"), "backlog gauge");
        assertTrue(text.matches("(?s).*\\nw4r_outbox_oldest_age_seconds \\d+\\.\\d+.*"), "age of the oldest row");
        assertTrue(text.matches("(?s).*\\nw4r_outbox_dead_letters \\d+\\.\\d+.*"), "refused rows");
        assertTrue(text.contains("http_server_requests_seconds_bucket{"), "latency as a histogram");
        assertTrue(text.matches("(?s).*http_server_requests_seconds_count\\{[^}]*uri=\"/api/v1/actions\".*"), text);
        assertFalse(text.contains(probe), "a path a caller made up never becomes a series");
    }
}

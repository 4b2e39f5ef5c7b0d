package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.ReferenceFixtures;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.w4r.delivery.Waiting.await;

/**
 * A pack is built wholly in memory, here and in petition-service (the signer list): a few large ones at once ran
 * petition-service out of heap (read-only audit, 4 December 2026). One pack or preview is built at a time per
 * instance; another is refused at once, {@code 503 overloaded} with Retry-After, with nothing issued or recorded, and
 * petition-service's own "busy" is passed on the same way.
 */
@QuarkusTest
class PackLoadTest extends RunningService {

    /** The first pack is held while petition-service "exports" its list (the stub waits on a latch). */
    @Test
    void aPackOrPreviewAskedWhileAnotherIsBuiltIsRefusedAtOnceAndServedWhenAskedAgain() throws Exception {
        String slowCase = Streams.newCaseSignedBy(kafka, "Ada Example,MT");
        String slow = Streams.handedOver(slowCase);
        String otherCase = Streams.newCaseSignedBy(kafka, "Bea Example,FR");
        String other = Streams.handedOver(otherCase);
        String planned = Streams.plan(otherCase, "petition");

        long askedSlow = signerRequests(slowCase);
        CountDownLatch release = new CountDownLatch(1);
        PetitionStub.BLOCKED.put(slowCase, release);
        CompletableFuture<Response> first;
        try {
            first = CompletableFuture.supplyAsync(() ->
                    given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + slow + "/pack"));
            // the first pack is being built: petition-service was asked for its signers
            await().until(() -> signerRequests(slowCase) > askedSlow);

            long askedOther = signerRequests(otherCase);
            for (String path : new String[] {other + "/pack", other + "/pack.zip", planned + "/pack-preview"}) {
                given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + path).then().statusCode(503)
                        .contentType("application/problem+json").header("Retry-After", "10")
                        .body("type", endsWith("/overloaded")).body("status", equalTo(503));
            }
            // refused before petition-service was asked, and nothing issued or recorded
            assertEquals(askedOther, signerRequests(otherCase));
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + other).then()
                    .body("handover.packSha256", nullValue());
            assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid",
                    other));
            for (String id : new String[] {other, planned}) {
                given().auth().oauth2(ReferenceFixtures.staffToken("coordinator"))
                        .get("/api/v1/audit?subjectId=" + id).then().statusCode(200)
                        .body("entries.action", not(hasItem("delivery.pack.issued")))
                        .body("entries.action", not(hasItem("delivery.pack.previewed")));
            }
        } finally {
            release.countDown();
            PetitionStub.BLOCKED.remove(slowCase);
        }
        first.get(60, TimeUnit.SECONDS).then().statusCode(200).contentType("application/pdf");
        // once the first is done, the refused ones are served
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + other + "/pack").then().statusCode(200)
                .contentType("application/pdf");
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + planned + "/pack-preview").then().statusCode(200);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + other).then()
                .body("handover.packSha256", notNullValue());
    }

    /**
     * petition-service exports one signer list at a time and answers another {@code 503 overloaded} with Retry-After:
     * the pack says the same, with petition-service's wait, not "petition-service unavailable" after ten seconds.
     */
    @Test
    void petitionServiceBusyWithAnotherListIsPassedOnAsOverloadedWithItsRetryAfter() {
        String caseId = Streams.newCaseSignedBy(kafka, "Ada Example,MT");
        String id = Streams.handedOver(caseId);
        PetitionStub.BUSY.put(caseId, 7);
        try {
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "7")
                    .body("type", endsWith("/overloaded"));
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then()
                    .body("handover.packSha256", nullValue());
        } finally {
            PetitionStub.BUSY.remove(caseId);
        }
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(200);
    }

    private static long signerRequests(String caseId) {
        return PetitionStub.REQUESTS.stream().filter(r -> r.contains("/cases/" + caseId + "/signers.csv")).count();
    }
}

package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.w4r.events.SignerErased;
import org.w4r.events.Topics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.w4r.delivery.Waiting.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * This service keeps no signer or author data (packs are built from petition-service on demand): an erasure marks
 * the handovers whose issued pack copies hold erased names, and a pack being built while one arrives is not issued.
 */
@QuarkusTest
class ErasureTest extends RunningService {
    @Test
    void handoversWhosePackWasIssuedBeforeAnErasureSayCopiesMustBeDestroyedOnceAndAPackInFlightIsNotIssued()
            throws Exception {
        String caseId = Streams.newCase(kafka);
        PetitionStub.SIGNERS_CSV.put(caseId, "name,country\nAda Example,MT\n");
        String issued = Streams.handedOver(caseId);
        String inFlight = Streams.handedOver(caseId);
        String withoutPack = Streams.handedOver(caseId);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued + "/pack").then().statusCode(200);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued).then()
                .body("handover.erasure", nullValue());

        long asked = signerRequests(caseId);
        CountDownLatch release = new CountDownLatch(1);
        PetitionStub.BLOCKED.put(caseId, release);
        CompletableFuture<Response> building = CompletableFuture.supplyAsync(() ->
                given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + inFlight + "/pack"));
        try {
            // the pack is being built: petition-service was asked for the signers
            await().until(() -> signerRequests(caseId) > asked);
            Instant erasedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            SignerErased erasure = new SignerErased(UUID.randomUUID(), UUID.randomUUID(), "ai-malta", List.of(caseId),
                    List.of(UUID.randomUUID()), erasedAt);
            // delivered twice: applied once
            Streams.publish(kafka, Topics.ERASURES, erasure.erasureId().toString(), erasure, erasure);

            await().untilAsserted(() -> given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued).then()
                    .statusCode(200).body("handover.erasure.erasures", equalTo(1))
                    .body("handover.erasure.lastErasedAt", equalTo(erasedAt.toString()))
                    .body("handover.erasure.destroyCopiesIssuedBefore", notNullValue())
                    .body("handover.erasure.newPackIssued", equalTo(false)));
        } finally {
            release.countDown();
            PetitionStub.BLOCKED.remove(caseId);
        }
        // built from the signer list as it was before the erasure: not issued, and nothing recorded as issued
        building.get(60, TimeUnit.SECONDS).then().statusCode(503).contentType("application/problem+json")
                .body("type", endsWith("/pack-outdated"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + inFlight).then()
                .body("handover.packSha256", nullValue()).body("handover.erasure", nullValue());
        // no copy of this one was ever issued, so there is nothing to destroy
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + withoutPack).then()
                .body("handover.erasure", nullValue());

        // a new pack for the marked handover
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued + "/pack").then().statusCode(200);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued).then()
                .body("handover.erasure.erasures", equalTo(1)).body("handover.erasure.newPackIssued", equalTo(true));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + inFlight + "/pack").then().statusCode(200);
        assertEquals(1, (int) given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued)
                .path("handover.erasure.erasures"));
    }

    @Test
    void anErasureOfAnotherCaseMarksNothingHere() {
        String caseId = Streams.newCase(kafka);
        String issued = Streams.handedOver(caseId);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued + "/pack").then().statusCode(200);
        SignerErased other = new SignerErased(UUID.randomUUID(), UUID.randomUUID(), null, List.of("another-case"),
                List.of(UUID.randomUUID()), Instant.now());
        SignerErased marker = new SignerErased(UUID.randomUUID(), UUID.randomUUID(), null, List.of(caseId),
                List.of(UUID.randomUUID()), Instant.now());
        Streams.publish(kafka, Topics.ERASURES, "k", other, marker);
        // the later erasure of this case is applied, so the earlier one of another case was too
        await().untilAsserted(() -> given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued).then()
                .body("handover.erasure.erasures", equalTo(1)));
    }

    private static long signerRequests(String caseId) {
        return PetitionStub.REQUESTS.stream().filter(r -> r.contains("/cases/" + caseId + "/signers.csv")).count();
    }
}

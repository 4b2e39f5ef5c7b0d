package org.w4r.delivery;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.w4r.delivery.repository.DeliveryRepository;
import org.w4r.events.SignerErased;
import org.w4r.events.Topics;

import java.sql.Connection;
import java.sql.PreparedStatement;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This service keeps no signer or author data (packs are built from petition-service on demand): an erasure marks
 * the handovers whose issued pack copies hold erased names, and a pack being built while one arrives is not issued.
 */
@QuarkusTest
class ErasureTest extends RunningService {
    @Inject
    DeliveryRepository deliveries;

    @Test
    void handoversWhosePackWasIssuedBeforeAnErasureSayCopiesMustBeDestroyedOnceAndAPackInFlightIsNotIssued()
            throws Exception {
        String caseId = Streams.newCaseSignedBy(kafka, "Ada Example,MT");
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
                    erasedAt);
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

    /**
     * The interleaving the read-only audit of 4 December 2026 found, made to happen: the erasure's transaction has
     * started and waits for the case's hold row (a pack's issue holds it shared, here a test connection does), a pack is
     * issued meanwhile (a shared lock does not queue behind the waiting exclusive one), then the erasure is applied.
     * That copy was issued before the erasure was applied here and holds the erased names: it is one to destroy, not
     * the new pack. Dated by the erasure's transaction start (taken before the wait) and by the JVM's clock, it passed
     * for the new pack and was dated after "destroy copies issued before".
     */
    @Test
    void aPackIssuedWhileTheErasureWaitedForTheCaseIsACopyToDestroyNotTheNewPack() throws Exception {
        String caseId = Streams.newCaseSignedBy(kafka, "Ada Example,MT");
        // its handover wrote the case's hold row, so the row exists to be locked
        String id = Streams.handedOver(caseId);
        SignerErased erasure = new SignerErased(UUID.randomUUID(), UUID.randomUUID(), "ai-malta", List.of(caseId),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        try (Connection lock = db.getConnection()) {
            lock.setAutoCommit(false);
            try {
                try (PreparedStatement share = lock.prepareStatement(
                        "select 1 from case_hold where case_id = ? for share")) {
                    share.setString(1, caseId);
                    share.executeQuery().close();
                }
                Streams.publish(kafka, Topics.ERASURES, erasure.erasureId().toString(), erasure);
                // the erasure's transaction has begun and waits for the row
                await().until(() -> Rows.waitingOnLock(db, "select 1 from case_hold where case_id") == 1);
                given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(200);
            } finally {
                lock.rollback();
            }
        }
        await().untilAsserted(() -> given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then()
                .statusCode(200).body("handover.erasure.erasures", equalTo(1)));
        Response marked = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id);
        Instant issuedAt = Instant.parse(marked.path("handover.packCreatedAt"));
        Instant destroyBefore = Instant.parse(marked.path("handover.erasure.destroyCopiesIssuedBefore"));
        assertEquals(false, marked.path("handover.erasure.newPackIssued"),
                "the only copy was issued before the erasure was applied, so no new pack was issued");
        assertTrue(issuedAt.isBefore(destroyBefore),
                "the copy issued at " + issuedAt + " must be among those to destroy (before " + destroyBefore + ")");

        // a pack issued after the erasure is the new one
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack").then().statusCode(200);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then()
                .body("handover.erasure.erasures", equalTo(1)).body("handover.erasure.newPackIssued", equalTo(true));
    }

    /**
     * A preview names the same signers as a pack. Until a read-only review (6 December 2026) only the audit trail said
     * one was taken, so an erasure marked nothing and whoever saved a preview was never told to destroy it. Now each
     * preview is a recorded copy: the delivery says how many were taken before the erasure, whatever became of its
     * plan since; a preview taken after holds no erased name.
     */
    @Test
    void previewsTakenBeforeAnErasureAreCopiesToDestroyWhateverBecameOfThePlan() {
        String caseId = Streams.newCaseSignedBy(kafka, "Ada Example,MT");
        String previewed = Streams.plan(caseId, "petition");
        String notPreviewed = Streams.plan(caseId, "petition");
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + previewed + "/pack-preview").then().statusCode(200);
        }
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + previewed).then().statusCode(200)
                .body("previewErasure", nullValue());

        Instant erasedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        SignerErased erasure = new SignerErased(UUID.randomUUID(), UUID.randomUUID(), "ai-malta", List.of(caseId),
                erasedAt);
        Streams.publish(kafka, Topics.ERASURES, erasure.erasureId().toString(), erasure, erasure);
        await().untilAsserted(() -> given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + previewed).then()
                .statusCode(200).body("status", equalTo("planned"))
                .body("previewErasure.erasures", equalTo(1))
                .body("previewErasure.previews", equalTo(2))
                .body("previewErasure.lastErasedAt", equalTo(erasedAt.toString()))
                .body("previewErasure.destroyPreviewsTakenBefore", notNullValue()));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + notPreviewed).then()
                .body("previewErasure", nullValue());

        // taken after the erasure, without the erased names: not one to destroy
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + previewed + "/pack-preview").then().statusCode(200);
        // handed over since: the saved previews are still out there, and no pack copy was issued
        given().auth().oauth2(DELIVERY).contentType(io.restassured.http.ContentType.JSON)
                .body(Streams.handoverBody(Streams.recentCutoff()))
                .post("/api/v1/deliveries/" + previewed + "/handover").then().statusCode(200);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + previewed).then().statusCode(200)
                .body("status", equalTo("delivered")).body("handover.erasure", nullValue())
                .body("previewErasure.erasures", equalTo(1)).body("previewErasure.previews", equalTo(2));
        assertEquals(3, Rows.number(db, "select count(*) from pack_preview where delivery_id = ?::uuid", previewed));
    }

    /**
     * A handover locks its delivery's row; an erasure of its case, holding the case's hold row exclusively, marks the
     * delivery's previews ({@code preview_erasure}), whose foreign key to the delivery takes a key-share lock on that
     * row. Until a read-only review of 6 December 2026 the handover locked it {@code for update}, which that key share
     * waits for: the erasure waited for the handover while the handover went on to wait for the case's hold row, and
     * PostgreSQL aborted one of them as a deadlock (the handover answered 500). Here the row is locked exactly as the
     * handover locks it ({@code DeliveryRepository.lock}, in a transaction of its own) while a real erasure arrives:
     * the erasure must be applied without waiting for it.
     */
    @Test
    void anErasureIsAppliedWhileAHandoverHoldsItsDeliverysRow() throws Exception {
        String caseId = Streams.newCaseSignedBy(kafka, "Ada Example,MT");
        String id = Streams.plan(caseId, "petition");
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack-preview").then().statusCode(200);

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> handover = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            deliveries.lock(UUID.fromString(id)).orElseThrow();
            locked.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            assertTrue(locked.await(30, TimeUnit.SECONDS), "the delivery's row was not locked");
            SignerErased erasure = new SignerErased(UUID.randomUUID(), UUID.randomUUID(), "ai-malta", List.of(caseId),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            Streams.publish(kafka, Topics.ERASURES, erasure.erasureId().toString(), erasure);
            // applied, or stuck behind the handover's row lock: whichever comes first
            await().until(() -> marked(id) || Rows.waitingOnLock(db, "insert into preview_erasure") > 0);
            assertEquals(0, Rows.waitingOnLock(db, "insert into preview_erasure"),
                    "the erasure waits for the delivery's row a handover holds (a deadlock once the handover asks for "
                            + "the case's hold row the erasure holds)");
            assertTrue(marked(id), "the erasure was applied while the handover held the delivery's row");
        } finally {
            release.countDown();
            handover.get(60, TimeUnit.SECONDS);
        }
    }

    private boolean marked(String deliveryId) {
        return Rows.number(db, "select count(*) from preview_erasure where delivery_id = ?::uuid", deliveryId) > 0;
    }

    @Test
    void anErasureOfAnotherCaseMarksNothingHere() {
        String caseId = Streams.newCase(kafka);
        String issued = Streams.handedOver(caseId);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued + "/pack").then().statusCode(200);
        SignerErased other = new SignerErased(UUID.randomUUID(), UUID.randomUUID(), null, List.of("another-case"),
                Instant.now());
        SignerErased marker = new SignerErased(UUID.randomUUID(), UUID.randomUUID(), null, List.of(caseId),
                Instant.now());
        Streams.publish(kafka, Topics.ERASURES, "k", other, marker);
        // the later erasure of this case is applied, so the earlier one of another case was too
        await().untilAsserted(() -> given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + issued).then()
                .body("handover.erasure.erasures", equalTo(1)));
    }

    private static long signerRequests(String caseId) {
        return PetitionStub.REQUESTS.stream().filter(r -> r.contains("/cases/" + caseId + "/signers.csv")).count();
    }
}

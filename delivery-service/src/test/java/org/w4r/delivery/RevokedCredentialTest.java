package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.delivery.Waiting.await;

/**
 * A staff token revoked while its request waits at the reference barrier writes nothing: the request was let in by the
 * token directory as it stood before the tombstone, and is asked for again once the barrier has applied it. Until a
 * read-only review (6 December 2026) plan, handover and the pack wrote after the barrier without asking again, and
 * cancel did not wait at the barrier at all.
 */
@QuarkusTest
class RevokedCredentialTest extends RunningService {
    @Test
    void aTokenRevokedWhileItsWriteWaitsAtTheBarrierIsRefusedWith401AndNothingIsStoredOrPublished() throws Exception {
        String caseId = Streams.newCaseSignedBy(kafka, "Ada Example,MT");
        String planned = Streams.plan(caseId, "petition");
        String delivered = Streams.handedOver(caseId);
        String marker = Streams.plan(caseId, "petition");
        String plan = Streams.planBody(caseId, "solidarity");
        String handover = Streams.handoverBody(Instant.now());

        // every write that waits at the barrier, each with a token of its own revoked behind the gate
        Map<String, Function<RequestSpecification, Response>> writes = new LinkedHashMap<>();
        writes.put("handover", r -> r.contentType(ContentType.JSON).body(handover)
                .post("/api/v1/deliveries/" + planned + "/handover"));
        writes.put("plan", r -> r.contentType(ContentType.JSON).body(plan).post("/api/v1/deliveries"));
        writes.put("cancel", r -> r.post("/api/v1/deliveries/" + planned + "/cancel"));
        writes.put("pack", r -> r.get("/api/v1/deliveries/" + delivered + "/pack"));
        writes.put("preview", r -> r.get("/api/v1/deliveries/" + planned + "/pack-preview"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (Map.Entry<String, Function<RequestSpecification, Response>> write : writes.entrySet()) {
            String principal = "revoked-" + run + "-" + write.getKey();
            Response answer = revokedWhileWaiting("key_" + principal, principal, "test-token-" + principal,
                    write.getValue());
            assertEquals(401, answer.statusCode(), write.getKey() + " answered " + answer.asString());
            assertTrue(answer.contentType().startsWith("application/problem+json"), write.getKey());
            assertTrue(answer.<String>path("type").endsWith("/unauthorized"), write.getKey());
            assertEquals("Bearer", answer.header("WWW-Authenticate"), write.getKey());
        }

        assertEquals(Stream.of(planned + " planned", delivered + " delivered", marker + " planned").sorted().toList(),
                Rows.strings(db, "select id || ' ' || status from delivery where case_id = ?", caseId).stream()
                        .sorted().toList());
        assertEquals(0, Rows.number(db, "select count(*) from handover where delivery_id = ?::uuid", planned));
        assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid", delivered));
        assertEquals(0, Rows.number(db, "select count(*) from audit_entry where actor like ?", "revoked-" + run + "-%"));
        assertEquals(List.of(DeliveryTopic.planned(planned), DeliveryTopic.planned(delivered),
                        DeliveryTopic.handedOver(delivered), DeliveryTopic.planned(marker)),
                DeliveryTopic.beforeMarker(kafka, caseId, marker));
    }

    /**
     * A token revoked while its pack or preview is being built (petition-service has already handed over the list,
     * not knowing of the revocation yet) takes nothing away. Until a read-only review of 6 December 2026 the token was
     * asked for again only before petition-service was asked, and the list built for it was served.
     */
    @Test
    void aTokenRevokedWhileItsPackOrPreviewIsBuiltGetsNothing() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (boolean preview : new boolean[] {false, true}) {
            String caseId = Streams.newCaseSignedBy(kafka, "Ada Example,MT");
            String id = preview ? Streams.plan(caseId, "petition") : Streams.handedOver(caseId);
            String principal = "revoked-" + run + "-" + (preview ? "preview" : "pack");
            String keyId = "key_" + principal;
            String secret = "test-token-" + principal;
            Streams.publish(kafka, Topics.CREDENTIALS, keyId,
                    ReferenceFixtures.staffCredential(keyId, principal, "delivery", secret));
            await().untilAsserted(() -> given().auth().oauth2(secret).get("/api/v1/cases").then().statusCode(200));

            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            PetitionStub.BLOCKED.put(caseId, release);
            Response answer;
            try {
                CompletableFuture<Response> built = CompletableFuture.supplyAsync(() -> given().auth().oauth2(secret)
                        .get("/api/v1/deliveries/" + id + (preview ? "/pack-preview" : "/pack")));
                // petition-service was asked with this token: the list is on its way
                await().until(() -> PetitionStub.REQUESTS.stream()
                        .anyMatch(r -> r.contains(caseId) && r.endsWith("auth=Bearer " + secret)));
                Streams.tombstone(kafka, Topics.CREDENTIALS, keyId);
                await().untilAsserted(() -> given().auth().oauth2(secret).get("/api/v1/cases").then().statusCode(401));
                release.countDown();
                answer = built.get(60, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                PetitionStub.BLOCKED.remove(caseId);
            }
            String what = preview ? "preview" : "pack";
            assertEquals(401, answer.statusCode(), what + " answered " + answer.statusCode() + " " + answer.contentType());
            assertTrue(answer.contentType().startsWith("application/problem+json"), what);
            assertTrue(answer.<String>path("type").endsWith("/unauthorized"), what);
            assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id = ?::uuid", id), what);
            assertEquals(0, Rows.number(db, "select count(*) from pack_preview where delivery_id = ?::uuid", id), what);
            assertEquals(0, Rows.number(db, "select count(*) from audit_entry where actor = ?", principal), what);
        }
    }

    /**
     * Calling a delivery off checks no hold, so a case stream behind is no reason to refuse it: it waits for the
     * caller's credential as far as the barrier goes, then goes on. It had come to answer 503 case-stream-behind once
     * it waited at the barrier (a review of this change, 6 December 2026); a plan, which checks the hold, still does.
     */
    @Test
    void aCancellationGoesOnWhileTheCaseStreamIsBehind() throws Exception {
        String caseId = Streams.newCase(kafka);
        String planned = Streams.plan(caseId, "petition");
        String gate = "gate-" + UUID.randomUUID().toString().substring(0, 8);
        StreamGate.close(gate);
        try {
            Streams.publish(kafka, Topics.CASES, gate, Streams.caseState(gate, null));
            assertTrue(StreamGate.awaitReached(gate));
            given().auth().oauth2(ReferenceFixtures.staffToken("delivery")).contentType(ContentType.JSON)
                    .body(Streams.planBody(caseId, "solidarity")).post("/api/v1/deliveries").then().statusCode(503)
                    .body("type", org.hamcrest.Matchers.endsWith("/case-stream-behind"));
            given().auth().oauth2(ReferenceFixtures.staffToken("delivery")).post("/api/v1/deliveries/" + planned
                    + "/cancel").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("cancelled"));
        } finally {
            StreamGate.open(gate);
        }
    }

    /**
     * Publishes a delivery token, holds the reference reader at a gate on a case of its own, puts the token's tombstone
     * on the credentials topic behind it, sends {@code write} with the token and, once it is authenticated (from the
     * directory that still has the token), opens the gate.
     */
    private Response revokedWhileWaiting(String keyId, String principal, String secret,
                                         Function<RequestSpecification, Response> write) throws Exception {
        Streams.publish(kafka, Topics.CREDENTIALS, keyId,
                ReferenceFixtures.staffCredential(keyId, principal, "delivery", secret));
        await().untilAsserted(() -> given().auth().oauth2(secret).get("/api/v1/cases").then().statusCode(200));
        String gate = "gate-" + UUID.randomUUID().toString().substring(0, 8);
        StreamGate.close(gate);
        Authenticated.watch(principal);
        CompletableFuture<Response> answer;
        try {
            Streams.publish(kafka, Topics.CASES, gate, Streams.caseState(gate, null));
            assertTrue(StreamGate.awaitReached(gate));
            Streams.tombstone(kafka, Topics.CREDENTIALS, keyId);
            answer = CompletableFuture.supplyAsync(() -> write.apply(given().auth().oauth2(secret)));
            assertTrue(Authenticated.await(principal), "the write was not authenticated while the gate was closed");
        } finally {
            StreamGate.open(gate);
        }
        Response answered = answer.get(60, TimeUnit.SECONDS);
        // and the revocation is in: the token opens nothing any more
        given().auth().oauth2(secret).get("/api/v1/cases").then().statusCode(401);
        return answered;
    }
}

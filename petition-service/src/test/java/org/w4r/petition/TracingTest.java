package org.w4r.petition;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.testsupport.ExportedSpans;
import org.w4r.testsupport.TraceIds;
import org.w4r.testsupport.WithPlatformResources;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.w4r.testsupport.ReferenceFixtures.entityKey;

/**
 * One signature is one trace: the request's server span, the outbox row, the relay's publish span and the event's
 * {@code traceparent} header all share its trace id. Traces are exported (to memory) only in this test's profile, as
 * a deployment exports them only where a collector is configured.
 */
@QuarkusTest
@TestProfile(ExportedSpans.Profile.class)
@WithPlatformResources
class TracingTest {
    private static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");

    @Inject
    InMemorySpanExporter spans;

    private static String sign(String traceparent) {
        var request = given().auth().oauth2(entityKey("ai-france")).contentType(ContentType.JSON)
                .body(SignatureResourceTest.body("t-" + UUID.randomUUID() + "@example.org", "nassima-al-sada"));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return request.post("/api/v1/signatures").then().statusCode(202).extract().path("results[0].actionId");
    }

    private static ConsumerRecord<String, String> event(String actionId) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> Stream.containing(Topics.ACTIONS, actionId).stream()
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    private static String[] traceparent(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("traceparent");
        assertNotNull(header, "the event carries its request's trace context");
        return new String(header.value(), StandardCharsets.UTF_8).split("-");
    }

    private SpanData span(String traceId, SpanKind kind) {
        return ExportedSpans.awaitSpan(spans, traceId, kind, Duration.ofSeconds(10));
    }

    @Test
    void theEventOfASignatureContinuesTheTraceItsCallerStarted() {
        String traceId = TraceIds.random(16);
        String callerSpanId = TraceIds.random(8);
        String actionId = sign(TraceIds.traceparent(traceId, callerSpanId));

        String[] sent = traceparent(event(actionId));
        assertEquals(traceId, sent[1], "the event is in the caller's trace");
        SpanData server = span(traceId, SpanKind.SERVER);
        assertEquals(callerSpanId, server.getParentSpanId(), "the request continues the caller's trace");
        SpanData publish = span(traceId, SpanKind.PRODUCER);
        assertEquals(server.getSpanId(), publish.getParentSpanId(),
                "the relay's publish span is a child of the request, whose context the outbox row kept");
        assertEquals(publish.getSpanId(), sent[2], "consumers continue from the publish span");
    }

    @Test
    void withoutACallersTraceTheEventIsInTheRequestsOwnTrace() {
        String actionId = sign(null);
        String[] sent = traceparent(event(actionId));
        SpanData server = span(sent[1], SpanKind.SERVER);
        assertEquals("/api/v1/signatures", server.getAttributes().get(AttributeKey.stringKey("url.path")));
        assertFalse(server.getParentSpanContext().isValid(), "the request started the trace");
    }

    @Test
    void spansHoldNeitherQueryValuesNorCredentials() {
        String secret = "secret-" + UUID.randomUUID();
        String traceId = TraceIds.random(16);
        given().auth().oauth2(entityKey("ai-france"))
                .header("traceparent", TraceIds.traceparent(traceId, TraceIds.random(8)))
                .queryParam("access_token", secret).get("/api/v1/signatures").then().statusCode(405);
        SpanData server = span(traceId, SpanKind.SERVER);
        assertEquals("access_token=REDACTED", server.getAttributes().get(URL_QUERY));
        List<String> values = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))
                .flatMap(s -> s.getAttributes().asMap().values().stream()).map(String::valueOf).toList();
        assertFalse(values.stream().anyMatch(v -> v.contains(secret)), "no query value in a span: " + values);
        assertFalse(values.stream().anyMatch(v -> v.contains(entityKey("ai-france"))), "no credential in a span: " + values);
    }

    /**
     * A refused body leaves nothing of its text in the trace: the exception Quarkus REST records on the server span
     * keeps its type and frames, not its message, which quoted the value refused (a read-only audit, 4 December 2026).
     */
    @Test
    void aRefusedBodyLeavesNothingOfItsTextInTheTrace() {
        String marker = "Stay strong " + UUID.randomUUID();
        String bareMarker = "Ada" + UUID.randomUUID().toString().replace("-", "");
        // a vertical tab pasted from a word processor, and a name sent as an unquoted token
        for (String body : List.of("""
                {"caseIds":["nassima-al-sada"],"signer":{"name":"%s\\u000b","email":"v@example.org"}}""".formatted(marker),
                """
                {"caseIds":["nassima-al-sada"],"signer":{"name":%s,"email":"v@example.org"}}""".formatted(bareMarker))) {
            String traceId = TraceIds.random(16);
            given().auth().oauth2(entityKey("ai-france")).header("traceparent", TraceIds.traceparent(traceId, TraceIds.random(8)))
                    .contentType(ContentType.JSON).body(body).post("/api/v1/signatures").then().statusCode(400);
            SpanData server = span(traceId, SpanKind.SERVER);
            List<EventData> exceptions = server.getEvents().stream().filter(e -> e.getName().equals("exception")).toList();
            assertFalse(exceptions.isEmpty(), "the refusal is recorded: " + server);
            for (EventData exception : exceptions) {
                assertNotNull(exception.getAttributes().get(AttributeKey.stringKey("exception.type")));
            }
            List<String> values = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))
                    .flatMap(s -> java.util.stream.Stream.concat(s.getAttributes().asMap().values().stream(),
                            s.getEvents().stream().flatMap(e -> e.getAttributes().asMap().values().stream())))
                    .map(String::valueOf).toList();
            assertFalse(values.stream().anyMatch(v -> v.contains(marker) || v.contains(bareMarker)),
                    "no text of the body in the trace: " + values);
        }
    }
}

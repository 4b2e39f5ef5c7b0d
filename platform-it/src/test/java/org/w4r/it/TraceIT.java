package org.w4r.it;

import io.opentelemetry.proto.trace.v1.Span;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.TraceIds;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trace of one signature spans three services: the packaged services, given a collector's address as a deployment
 * gives it, export the request in petition-service, the relay's publish, and the consumers in tally-service and
 * delivery-service, all in the trace the entity's website started.
 */
class TraceIT {
    static TestPlatform platform;

    @BeforeAll
    static void platform() throws Exception {
        platform = TestPlatform.get();
    }

    @Test
    void aTraceOfOneSignatureSpansThreeServices() {
        String traceId = TraceIds.random(16);
        String websiteSpanId = TraceIds.random(8);
        String email = "trace-" + UUID.randomUUID() + "@example.org";
        given().auth().oauth2(platform.tokens.get("ai-france")).contentType(ContentType.JSON)
                .header("traceparent", TraceIds.traceparent(traceId, websiteSpanId))
                .body("""
                        {"caseIds":["nassima-al-sada"],"signer":{"name":"Rosalind Franklin","email":"%s","country":"FR"}}"""
                        .formatted(email))
                .post(platform.petitions.url() + "/api/v1/signatures")
                .then().statusCode(202);

        // Each service exports its spans in its own batches: the consumers' spans can arrive before the relay's
        // publish span (CI, stop 26, saw exactly that), so wait for every span the assertions read.
        await().atMost(Duration.ofSeconds(60)).until(() -> kinds(traceId).containsAll(Set.of(
                "petition-service " + Span.SpanKind.SPAN_KIND_SERVER,
                "petition-service " + Span.SpanKind.SPAN_KIND_PRODUCER,
                "tally-service " + Span.SpanKind.SPAN_KIND_CONSUMER,
                "delivery-service " + Span.SpanKind.SPAN_KIND_CONSUMER)));

        List<OtlpReceiver.ReceivedSpan> trace = platform.traces.inTrace(traceId);
        OtlpReceiver.ReceivedSpan request = only(trace, "petition-service", Span.SpanKind.SPAN_KIND_SERVER);
        assertEquals(websiteSpanId, request.parentSpanId(), "the request continues the website's trace");
        OtlpReceiver.ReceivedSpan publish = only(trace, "petition-service", Span.SpanKind.SPAN_KIND_PRODUCER);
        assertEquals(request.spanId(), publish.parentSpanId(), "published as the request's child, through the outbox");
        for (String consumer : List.of("tally-service", "delivery-service")) {
            assertTrue(trace.stream().anyMatch(s -> s.service().equals(consumer)
                            && s.kind() == Span.SpanKind.SPAN_KIND_CONSUMER && s.parentSpanId().equals(publish.spanId())),
                    consumer + " consumes the event as the publish span's child: " + trace);
        }
        String everything = trace.toString();
        assertFalse(everything.contains("Rosalind") || everything.contains(email) || everything.contains("example.org"),
                "no signer data in any span: " + everything);
        assertFalse(everything.contains(platform.tokens.get("ai-france")), "no credential in any span");
    }

    private static Set<String> kinds(String traceId) {
        return platform.traces.inTrace(traceId).stream().map(s -> s.service() + " " + s.kind())
                .collect(Collectors.toSet());
    }

    private static OtlpReceiver.ReceivedSpan only(List<OtlpReceiver.ReceivedSpan> trace, String service, Span.SpanKind kind) {
        List<OtlpReceiver.ReceivedSpan> found = trace.stream().filter(s -> s.service().equals(service) && s.kind() == kind)
                .toList();
        assertEquals(1, found.size(), service + " " + kind + " in " + trace);
        return found.get(0);
    }
}

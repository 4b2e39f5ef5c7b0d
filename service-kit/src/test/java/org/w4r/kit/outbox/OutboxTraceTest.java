package org.w4r.kit.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w4r.events.Events;
import org.w4r.events.SignerErased;
import org.w4r.testsupport.TopicReader;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trace context crosses the outbox: a row written inside a span keeps that span's context, and the relay sends
 * the row with a {@code traceparent} header whose parent is its own publish span, a child of the writer's span.
 */
class OutboxTraceTest {
    @RegisterExtension
    static final OutboxParts parts = new OutboxParts("kit_outbox_trace");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final Tracer tracer = tracerProvider.get("outbox-trace-test");
    private OutboxRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            OutboxFixtures.stop(relay);
        }
        tracerProvider.close();
    }

    @Test
    void theRowKeepsTheWritersContextAndTheEventCarriesItAsItsTraceparentHeader() throws Exception {
        String key = "traced-" + UUID.randomUUID();
        SignerErased traced = OutboxFixtures.erasure();
        Span request = tracer.spanBuilder("POST /api/v1/signatures").setSpanKind(SpanKind.SERVER).startSpan();
        long id;
        try (Scope ignored = request.makeCurrent()) {
            id = OutboxFixtures.write(parts.db().dataSource(), key, List.of(traced)).get(0);
        } finally {
            request.end();
        }
        SignerErased untraced = OutboxFixtures.erasure();
        OutboxFixtures.write(parts.db().dataSource(), key, List.of(untraced));

        String traceId = request.getSpanContext().getTraceId();
        assertEquals("00-" + traceId + "-" + request.getSpanContext().getSpanId() + "-01", storedTraceparent(id),
                "the outbox row stores the writer's context in W3C form");

        relay = OutboxFixtures.relay(parts.db().dataSource(), parts.publisher(), 1000, tracer);
        OutboxFixtures.start(relay);
        ConsumerRecord<String, String> sent = await().atMost(Duration.ofSeconds(60))
                .until(() -> onTopic(traced), Optional::isPresent).orElseThrow();

        Header header = sent.headers().lastHeader("traceparent");
        assertNotNull(header, "the relay sets the traceparent header");
        String[] traceparent = new String(header.value(), StandardCharsets.UTF_8).split("-");
        assertEquals(traceId, traceparent[1], "the event continues the writer's trace");
        SpanData publish = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst(), Optional::isPresent).orElseThrow();
        assertEquals(traceparent[2], publish.getSpanId(), "the consumer's parent is the relay's publish span");
        assertEquals(request.getSpanContext().getSpanId(), publish.getParentSpanId(),
                "the publish span is a child of the request that wrote the row, not of the relay's batch");
        assertEquals(traceId, publish.getTraceId());
        assertTrue(publish.getName().startsWith(OutboxFixtures.TOPIC), publish.getName());

        ConsumerRecord<String, String> plain = await().atMost(Duration.ofSeconds(60))
                .until(() -> onTopic(untraced), Optional::isPresent).orElseThrow();
        assertNull(plain.headers().lastHeader("traceparent"), "a row written outside any trace leaves without one");
    }

    private String storedTraceparent(long id) throws Exception {
        try (Connection connection = parts.db().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("select trace_parent from outbox where id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private static Optional<ConsumerRecord<String, String>> onTopic(SignerErased event) {
        return TopicReader.readAll(parts.bootstrap(), OutboxFixtures.TOPIC).stream()
                .filter(r -> r.value() != null
                        && Events.fromJson(r.value(), SignerErased.class).erasureId().equals(event.erasureId()))
                .findFirst();
    }
}

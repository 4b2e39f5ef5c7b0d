package org.w4r.tally;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.DeliveryEvent;
import org.w4r.events.DeliveryPlanned;
import org.w4r.events.Events;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.ExportedSpans;
import org.w4r.testsupport.TraceIds;
import org.w4r.testsupport.WithPlatformResources;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * An event that arrives with a {@code traceparent} header (as the outbox relays every event written in a request) is
 * consumed in a span of that trace, whose parent is the producer's span: the trace of a signature goes on here.
 */
@QuarkusTest
@TestProfile(ExportedSpans.Profile.class)
@WithPlatformResources
class TracingTest {
    @Inject
    InMemorySpanExporter spans;

    @Test
    void anActionIsConsumedInItsProducersTrace() {
        Instant now = Instant.now();
        String caseId = "traced-" + UUID.randomUUID();
        ActionRecorded action = new ActionRecorded(UUID.randomUUID(), UUID.randomUUID(), "campaign-2026", caseId,
                "ai-france", ActionType.SIGNATURE, Mode.ONLINE, 1, now, now);
        assertConsumedInTrace(Topics.ACTIONS, action.key(), Events.toJson(action));
    }

    @Test
    void aDeliveryEventIsConsumedInItsProducersTrace() {
        Instant day = Instant.now();
        DeliveryEvent delivery = new DeliveryPlanned(UUID.randomUUID(), UUID.randomUUID(), "campaign-2026",
                "traced-" + UUID.randomUUID(), null, "petition", "embassy", "MT", day.plus(Duration.ofDays(1)), day);
        assertConsumedInTrace(Topics.DELIVERIES, delivery.caseId(), Events.toJson(delivery));
    }

    private void assertConsumedInTrace(String topic, String key, String payload) {
        String traceId = TraceIds.random(16);
        String producerSpanId = TraceIds.random(8);
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, payload);
        record.headers().add("traceparent", TraceIds.traceparent(traceId, producerSpanId).getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TallyFixtures.kafka(), "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(record);
        }
        SpanData consumed = ExportedSpans.awaitSpan(spans, traceId, SpanKind.CONSUMER, Duration.ofSeconds(60));
        org.junit.jupiter.api.Assertions.assertEquals(producerSpanId, consumed.getParentSpanId(),
                "the consumer's span is the producer's child: " + consumed);
        List<String> values = consumed.getAttributes().asMap().values().stream().map(String::valueOf).toList();
        assertFalse(values.stream().anyMatch(v -> v.contains("{")), "ids and offsets only, never the payload: " + values);
    }
}

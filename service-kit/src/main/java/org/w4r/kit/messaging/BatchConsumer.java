package org.w4r.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.events.Events;
import org.w4r.events.Topics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way a service applies a batch of events from a topic, in one transaction per batch:
 * <ul>
 * <li>an event that cannot be read goes to the topic's dead letter at once (reading it again cannot help);</li>
 * <li>a batch that fails because the database or broker is away is retried with backoff until it applies: an
 * acknowledged action must be counted, so the partition waits;</li>
 * <li>a batch that fails the same way {@code maxAttempts} times is applied one event at a time, and an event that
 * still fails goes to the dead letter, so one poison event never blocks its partition (a parseable event with a null
 * type once blocked tally and delivery for good).</li>
 * </ul>
 * Each handler stays idempotent on the event id in its own transaction; this class only decides what to retry.
 */
@ApplicationScoped
public class BatchConsumer {
    private static final Logger LOG = Logger.getLogger(BatchConsumer.class);

    @Inject
    EventPublisher publisher;

    @ConfigProperty(name = "w4r.consumer.max-attempts", defaultValue = "3")
    int maxAttempts;

    @ConfigProperty(name = "w4r.consumer.max-backoff-ms", defaultValue = "5000")
    long maxBackoffMs;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private final AtomicLong deadLettered = new AtomicLong();

    /** Applies {@code events} in one transaction; throws to roll back. */
    @FunctionalInterface
    public interface Handler<T> {
        void apply(List<T> events) throws Exception;
    }

    public <T> void consume(String topic, List<String> payloads, Class<T> type, Handler<T> handler)
            throws InterruptedException {
        List<T> events = new ArrayList<>(payloads.size());
        List<String> readable = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            try {
                events.add(Events.fromJson(payload, type));
                readable.add(payload);
            } catch (RuntimeException e) {
                deadLetter(topic, payload, "unreadable", e);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        if (!applyWithRetries(topic, events, handler)) {
            LOG.warnf("%s: a batch of %d events keeps failing; applying them one at a time", topic, events.size());
            for (int i = 0; i < events.size(); i++) {
                if (!applyWithRetries(topic, List.of(events.get(i)), handler)) {
                    deadLetter(topic, readable.get(i), "refused", null);
                }
            }
        }
    }

    /** True once applied; false after {@code maxAttempts} failures that were not transient. */
    private <T> boolean applyWithRetries(String topic, List<T> events, Handler<T> handler) throws InterruptedException {
        long backoffMs = 100;
        int attempts = 0;
        while (true) {
            try {
                handler.apply(events);
                return true;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                boolean waitOut = Failures.isTransient(e);
                if (!waitOut && ++attempts >= maxAttempts) {
                    LOG.warnf("%s: %d events refused %d times (%s)", topic, events.size(), attempts, Failures.describe(e));
                    return false;
                }
                LOG.warnf("%s: cannot apply %d events (%s); retrying in %d ms", topic, events.size(),
                        Failures.describe(e), backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
            }
        }
    }

    /** Sends to the dead letter and waits for its ack: the event must be kept before the offset moves past it. */
    private void deadLetter(String topic, String payload, String why, Exception error) throws InterruptedException {
        String deadLetter = Topics.deadLetter(topic);
        long backoffMs = 100;
        while (true) {
            try {
                ProducerRecord<String, String> record = new ProducerRecord<>(deadLetter, null, payload);
                record.headers().add("w4r-reason", why.getBytes(StandardCharsets.UTF_8));
                if (error != null) {
                    record.headers().add("w4r-error", Failures.describe(error).getBytes(StandardCharsets.UTF_8));
                }
                publisher.send(record).get();
                deadLettered.incrementAndGet();
                registry.counter("w4r.consumer.dead.letters", "topic", topic, "reason", why).increment();
                // the event's ids may be logged; its payload is only on the dead-letter topic
                LOG.errorf("%s: an event was %s; it is on %s for a person to look at", topic, why, deadLetter);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warnf("%s: cannot write to %s (%s); retrying in %d ms", topic, deadLetter,
                        Failures.describe(e), backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
            }
        }
    }

    /** Events set aside since this instance started (health shows it). */
    public long deadLettered() {
        return deadLettered.get();
    }
}

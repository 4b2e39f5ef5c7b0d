package org.w4r.kit.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.w4r.events.Events;
import org.w4r.events.Topics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The one way a service applies what it consumes from a topic: every {@code @Incoming} method takes the poll's
 * {@link ConsumerRecords} (a batch channel) and hands them here with the event type and what applies a batch of
 * events in one transaction:
 * <ul>
 * <li>an event that cannot be read goes to the topic's dead letter at once (reading it again cannot help);</li>
 * <li>a batch that fails because the database or broker is away is retried with backoff until it applies: an
 * acknowledged action must be counted, so the partition waits;</li>
 * <li>a batch that fails for another reason {@code maxAttempts} times is applied one event at a time, and an event
 * that still fails goes to the dead letter, so one poison event never blocks its partition (a parseable event with a
 * null type once blocked tally and delivery for good).</li>
 * </ul>
 * A batch may come again after a crash or a rebalance, and the outbox relay may publish an event twice:
 * {@link #consumeOnce} applies each event once (see {@link ConsumedBatches}); {@link #consume} leaves it to a handler
 * whose effect is idempotent on the event id by itself. The offsets are committed by the channel after this returns,
 * so a record is either applied, or kept on its dead letter, before its partition moves past it.
 * <p>
 * A dead letter names the consumer group that set it aside ({@value #GROUP}), and a record sent again with
 * {@value #REDRIVE_FOR} is applied by that group only: two groups read {@code actions} (tally and delivery) and share
 * its dead letter, so an event one of them refused and the other applied, published again as the runbook said, was
 * applied a second time by the other once more than its dedupe window of records lay between the copies (a read-only
 * review, 8 December 2026).
 */
@ApplicationScoped
public class BatchConsumer {
    private static final Logger LOG = Logger.getLogger(BatchConsumer.class);

    @Inject
    EventPublisher publisher;

    @Inject
    ConsumerSettings settings;

    @Inject
    MeterRegistry registry;

    @Inject
    org.w4r.kit.problem.LostConnections lostConnections;

    @Inject
    ConsumedBatches batches;

    /** On a dead letter: the consumer group that set the event aside. */
    public static final String GROUP = "w4r-group";
    /** On a record sent again to its topic: the one consumer group that applies it; every other group passes it by. */
    public static final String REDRIVE_FOR = "w4r-redrive-for";

    /** A channel's consumer group, from its {@code mp.messaging.incoming.<channel>.group.id}. */
    java.util.function.Function<String, String> groups = channel -> org.eclipse.microprofile.config.ConfigProvider
            .getConfig().getValue("mp.messaging.incoming." + channel + ".group.id", String.class);

    private final AtomicLong deadLettered = new AtomicLong();
    /** Next offset to apply per partition, as applied by this instance. */
    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();

    /** Applies {@code events} in one transaction; throws to roll back. */
    @FunctionalInterface
    public interface Handler<T> {
        void apply(List<T> events) throws Exception;
    }

    /**
     * Applies the events of {@code records}; {@code handler} must be idempotent on the event id itself (a record may
     * come again after a crash or a rebalance, and an event may be published twice).
     */
    public <T> void consume(String channel, ConsumerRecords<String, String> records, Class<T> type, Handler<T> handler)
            throws InterruptedException {
        consume(channel, records, type, (read, events) -> handler.apply(events));
    }

    /**
     * Applies the events of {@code records} exactly once: {@code handler} gets only the events not applied before, in a
     * transaction that also stores each partition's progress ({@link ConsumedBatches}); it joins that transaction.
     */
    public <T> void consumeOnce(String channel, ConsumerRecords<String, String> records, Class<T> type,
                                Function<T, UUID> idOf, Handler<T> handler) throws InterruptedException {
        consume(channel, records, type, (read, events) -> batches.apply(read, events, idOf, handler));
    }

    /** Applies {@code events}, read from {@code records} (the same index), in one transaction; throws to roll back. */
    private interface Applier<T> {
        void apply(List<ConsumerRecord<String, String>> records, List<T> events) throws Exception;
    }

    /**
     * An event as every reader of a topic reads it, or the reason it cannot be one: the JSON literal null reads as no
     * event without an error, and would have failed the batch later, outside any dead letter, and stopped the channel
     * for good (and tally's reconcile, which reads the topic again, with a 500: a read-only review, 6 December 2026).
     */
    public static <T> T read(String value, Class<T> type) {
        return java.util.Objects.requireNonNull(Events.fromJson(value, type), "no event");
    }

    private <T> void consume(String channel, ConsumerRecords<String, String> records, Class<T> type, Applier<T> applier)
            throws InterruptedException {
        String group = groups.apply(channel);
        List<T> events = new ArrayList<>(records.count());
        List<ConsumerRecord<String, String>> readable = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            org.apache.kafka.common.header.Header only = record.headers().lastHeader(REDRIVE_FOR);
            if (only != null && !group.equals(new String(only.value(), StandardCharsets.UTF_8))) {
                continue; // another group's dead letter, sent again for that group alone
            }
            try {
                events.add(read(record.value(), type));
                readable.add(record);
            } catch (RuntimeException e) {
                deadLetter(record, "unreadable", e, group);
            }
        }
        if (!events.isEmpty() && apply(readable.get(0).topic(), events.size(),
                () -> applier.apply(readable, events)) != null) {
            LOG.warnf("%s: a batch of %d events keeps failing; applying them one at a time", readable.get(0).topic(),
                    events.size());
            for (int i = 0; i < events.size(); i++) {
                List<ConsumerRecord<String, String>> one = List.of(readable.get(i));
                List<T> event = List.of(events.get(i));
                Exception refused = apply(readable.get(i).topic(), 1, () -> applier.apply(one, event));
                if (refused != null) {
                    deadLetter(readable.get(i), "refused", refused, group);
                }
            }
        }
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> list = records.records(partition);
            applied.merge(partition, list.get(list.size() - 1).offset() + 1, Math::max);
        }
    }

    /** Null once applied; the last failure after {@code maxAttempts} failures that were not transient. */
    private Exception apply(String topic, int events, Retry.Attempt work) throws InterruptedException {
        Exception refused = new Retry(settings.maxAttempts(), true, settings.maxBackoffMs()).run(work,
                (failure, passing, waitMs) -> {
                    lostConnections.after(failure);
                    registry.counter("w4r.consumer.retries", "topic", topic,
                            "reason", passing ? "unavailable" : "refused").increment();
                    LOG.warnf("%s: cannot apply %d events (%s); retrying in %d ms", topic, events,
                            Failures.describe(failure), waitMs);
                });
        if (refused != null) {
            LOG.warnf("%s: %d events refused %d times (%s)", topic, events, settings.maxAttempts(),
                    Failures.describe(refused));
        }
        return refused;
    }

    /**
     * Sends the record as it was read to the dead letter, and waits for its ack however long the broker is away: the
     * event must be kept before the offset moves past it.
     */
    private void deadLetter(ConsumerRecord<String, String> source, String why, Exception error, String group)
            throws InterruptedException {
        String topic = source.topic();
        String deadLetter = Topics.deadLetter(topic);
        // with its key, so it can be sent again to its partition (actions are keyed by case: a correction after it)
        ProducerRecord<String, String> record = new ProducerRecord<>(deadLetter, source.key(), source.value());
        record.headers().add("w4r-reason", bytes(why));
        record.headers().add("w4r-error", bytes(Failures.describe(error)));
        record.headers().add("w4r-source", bytes(topic + "-" + source.partition() + "@" + source.offset()));
        record.headers().add(GROUP, bytes(group));
        Retry.forever(settings.maxBackoffMs()).run(() -> {
            try {
                publisher.send(record).get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }, (failure, passing, waitMs) -> LOG.warnf("%s: cannot write to %s (%s); retrying in %d ms", topic,
                deadLetter, Failures.describe(failure), waitMs));
        deadLettered.incrementAndGet();
        registry.counter("w4r.consumer.dead.letters", "topic", topic, "reason", why).increment();
        // where it was is safe to log; its payload is only on the dead-letter topic
        LOG.errorf("%s: the event at partition %d offset %d was %s; it is on %s for a person to look at", topic,
                source.partition(), source.offset(), why, deadLetter);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Events set aside since this instance started (health shows it). */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** The next offset of {@code partition} still to apply, as far as this instance has applied it (0: none yet). */
    public long appliedUpTo(TopicPartition partition) {
        return applied.getOrDefault(partition, 0L);
    }
}

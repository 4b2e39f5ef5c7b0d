package org.w4r.kit.reference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.CredentialChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.KafkaClients;
import org.w4r.kit.messaging.TopicAdmin;
import org.w4r.kit.messaging.TopicOffsets;
import org.w4r.kit.security.TokenDirectory;
import org.w4r.kit.tracing.EventTracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reads the compacted reference topics from the beginning at every start, without a consumer group, so every
 * instance sees every change (a hold or a revoked key takes effect everywhere within a poll), and keeps reading:
 * campaigns, cases and entities into {@link ReferenceData}, credentials into the {@link TokenDirectory}. A raw reader,
 * not a channel: a channel joins a group, and this one must also know when it has read what stood at start-up (the
 * service is not ready before) and how far it has read since ({@link #awaitUpToDate}).
 */
@ApplicationScoped
public class ReferenceStream {
    private static final Logger LOG = Logger.getLogger(ReferenceStream.class);

    @Inject
    KafkaClients clients;

    @Inject
    TopicAdmin topics;

    @Inject
    TopicOffsets offsets;

    @Inject
    ReferenceData data;

    @Inject
    TokenDirectory directory;

    @Inject
    EventTracing tracing;

    @ConfigProperty(name = "w4r.reference-data.startup-wait", defaultValue = "PT30S")
    Duration startupWait;

    @Inject
    MeterRegistry registry;

    /** How often the reader asks the topics' ends, to know it is current (the staleness gauge). */
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** What this reader is asked to read: it is current only once it has read every one of them to its end. */
    private static final Set<String> TOPICS = Set.of(Topics.REFERENCE);

    private final Staleness staleness = new Staleness(System.nanoTime());
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** Next offset to read per partition, once its records are applied. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running = true;

    /**
     * Fails if a reference topic is still missing after {@code startupWait} (KafkaClients#readFromBeginning): the
     * service does not start and its restart tries again, rather than an instance ready on what it never read.
     */
    void start(@Observes StartupEvent event) throws InterruptedException {
        long deadline = System.nanoTime() + startupWait.toNanos();
        topics.ensureTopics();
        consumer = clients.readFromBeginning("reference-data", List.of(Topics.REFERENCE), Map.of(),
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        Map<TopicPartition, Long> endAtStart = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
        // alerted on (W4RReferenceDataStale): a reader cut off from Kafka keeps the service ready on what it holds
        Gauge.builder("w4r.reference.staleness", staleness, st -> st.seconds(System.nanoTime())).baseUnit("seconds")
                .description("How long ago this instance last held every reference record (holds, credentials)")
                .register(registry);
        Thread reader = new Thread(() -> readForever(endAtStart), "reference-data");
        reader.setDaemon(true);
        reader.start();
        if (!caughtUp.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            LOG.warn("reference data not caught up at start-up; readiness stays DOWN until it is");
        }
    }

    private void readForever(Map<TopicPartition, Long> endAtStart) {
        long nextCheck = System.nanoTime();
        while (running) {
            try {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (isCaughtUp()) {
                        // a change as it happens continues the trace of the request that made it; the load at
                        // start-up re-reads the whole history and belongs to no request
                        tracing.consuming(record, () -> applySafely(record, true));
                    } else {
                        applySafely(record, false);
                    }
                }
                for (TopicPartition partition : endAtStart.keySet()) {
                    positions.put(partition, consumer.position(partition));
                }
                if (!isCaughtUp() && reached(endAtStart, positions)) {
                    LOG.infof("reference data loaded: %d campaigns, %d cases, %d entities, %d credentials",
                            data.campaigns().size(), data.cases().size(), data.entities().size(), directory.size());
                    caughtUp.countDown();
                }
                if (System.nanoTime() - nextCheck >= 0) {
                    Map<TopicPartition, Long> ends = endsOrNull(endAtStart.keySet());
                    // ends without a partition of every topic prove nothing current: judged as unanswered
                    staleness.checked(ends == null || !everyTopic(ends.keySet()) ? null : ends, positions,
                            System.nanoTime());
                    nextCheck = System.nanoTime() + CHECK_EVERY_NANOS;
                }
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                LOG.errorf("reference data: cannot read or apply a record (%s); retrying", Failures.describe(e));
                sleepQuietly();
            }
        }
        consumer.close();
    }

    /** The topics' ends now, or null if the broker does not answer within a few seconds. */
    private Map<TopicPartition, Long> endsOrNull(java.util.Set<TopicPartition> partitions) {
        try {
            return consumer.endOffsets(partitions, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return null;
        }
    }

    /**
     * One bad record must not cost the others of its poll (the position has moved past them all): an unreadable
     * record cannot be fixed by reading it again, so it is logged and skipped, and the next ones are applied. Logged
     * by type only: a parser's message quotes the record's text, and it was logged whole until a read-only review (6
     * December 2026).
     */
    private void applySafely(ConsumerRecord<String, String> record, boolean live) {
        try {
            apply(record.topic(), record.key(), record.value(), live);
        } catch (RuntimeException e) {
            LOG.errorf("reference data: skipping unreadable record %s-%d@%d (key %s): %s", record.topic(),
                    record.partition(), record.offset(), record.key(), Failures.describe(e));
        }
    }

    /** A null {@code json} is a tombstone: the key is gone (a deleted record, a revoked credential). */
    private void apply(String topic, String key, String json, boolean live) {
        switch (topic) {
            case Topics.CAMPAIGNS -> data.campaign(key, decode(json, CampaignChanged.class));
            case Topics.CASES -> data.caseChanged(key, decode(json, CaseChanged.class), live);
            case Topics.ENTITIES -> data.entity(key, decode(json, EntityChanged.class));
            case Topics.CREDENTIALS -> directory.put(key, decode(json, CredentialChanged.class));
            default -> LOG.warnf("ignoring record from unexpected topic %s", topic);
        }
    }

    /**
     * A tombstone is a record without a value; the text {@code null} is a value, and no event: it is unreadable, and
     * skipped. It was read as a tombstone, so one such record removed a case from every reader's read model (a
     * read-only review, 6 December 2026).
     */
    private static <T> T decode(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        T event = Events.fromJson(json, type);
        if (event == null) {
            throw new IllegalArgumentException("a JSON null is not a tombstone");
        }
        return event;
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /**
     * Every partition in {@code ends} read to its end, and a partition of every reference topic among them: a topic
     * without partitions here is not reached. Judged by the partitions assigned only, a reader without one of the
     * topics was caught up, current and up to date at once (a read-only review, 6 December 2026).
     */
    private static boolean reached(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> positions) {
        return everyTopic(ends.keySet()) && ends.entrySet().stream()
                .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private static boolean everyTopic(Set<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet()).containsAll(TOPICS);
    }

    /** True once every record on the reference topics at the time of the call is applied; false after the timeout. */
    public boolean awaitUpToDate(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!everyTopic(positions.keySet())) {
                return false;
            }
            Map<TopicPartition, Long> ends = offsets.endsOf(positions.keySet(), timeout);
            while (!reached(ends, positions)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("cannot check the reference topics' end offsets: %s", Failures.describe(e));
            return false;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

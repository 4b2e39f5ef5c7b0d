package org.w4r.kit.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place that creates this service's own Kafka clients, each from every {@code kafka.*} setting
 * ({@link KafkaSettings}). Business topics are consumed through SmallRye channels ({@code @Incoming}, with
 * {@link BatchConsumer}); a raw client is used only where a channel cannot do the job:
 * <ul>
 * <li>the producer: the outbox relay sends to whatever topic a row names, waits for each record's own ack to decide
 * whether to delete or set the row aside, and sends tombstones (a revoked key); a channel's emitter takes one topic,
 * buffers with its own overflow rules and refuses a null payload;</li>
 * <li>readers from the beginning without a consumer group: the reference read model (every instance must see every
 * change, and must know when it has caught up) and the tally's recount (up to end offsets taken at its start); a
 * channel always joins a group and commits;</li>
 * <li>the admin: topic creation, end offsets and a group's committed offsets, which channels do not expose.</li>
 * </ul>
 * The admin and the producer are shared by the whole service and closed at shutdown; a reader belongs to the one
 * thread that polls it, which closes it.
 */
@ApplicationScoped
public class KafkaClients {
    @Inject
    KafkaSettings settings;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "w4r")
    String application;

    private volatile Admin admin;
    private volatile Producer<String, String> producer;
    /** Set at shutdown: a client made after it would never be closed. */
    private volatile boolean closed;

    public Admin admin() {
        if (admin == null) {
            synchronized (this) {
                open();
                if (admin == null) {
                    admin = Admin.create(settings.base(application + "-admin"));
                }
            }
        }
        return admin;
    }

    /**
     * acks=all and idempotent: a completed send means every in-sync replica has the record, and a retried send is
     * never written twice. Bounded waits, so a caller learns of an unreachable broker instead of blocking.
     * Uncompressed: events are a few hundred bytes of ids and counts, so a campaign's whole topic is a few GB at most,
     * while CPU is what a 2-core deployment runs out of first. LZ4 was paid by the producer (two 64 KB buffers for
     * every batch: a batch is a few events per partition at these rates, and those buffers were a tenth of
     * petition-service's allocations), again by the broker, and by every consumer (docs/benchmarks.md).
     */
    public Producer<String, String> producer() {
        if (producer == null) {
            synchronized (this) {
                open();
                if (producer == null) {
                    producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
                }
            }
        }
        return producer;
    }

    Map<String, Object> producerConfig() {
        Map<String, Object> config = settings.base(application + "-publisher");
        // the guarantees: never an operator's choice
        config.put("acks", "all");
        config.put("enable.idempotence", "true");
        // the tuning: an operator's kafka.* setting wins (a slow cross-zone cluster wants longer waits); the relay waits
        // up to max.block.ms + delivery.timeout.ms inside its batch's transaction, which PostgreSQL ends after 60 s idle
        // (the kit's options): longer waits need a longer idle limit too (docs/operations.md)
        config.putIfAbsent("linger.ms", "2");
        config.putIfAbsent("compression.type", "none");
        config.putIfAbsent("delivery.timeout.ms", "30000");
        config.putIfAbsent("request.timeout.ms", "10000");
        config.putIfAbsent("max.block.ms", "10000");
        return config;
    }

    /** How long {@link #readFromBeginning(String, Collection, Map)} waits for a topic to exist. */
    public static final Duration TOPIC_WAIT = Duration.ofSeconds(30);

    /**
     * A consumer without a group, assigned every partition of {@code topics} at their beginning. It commits nothing
     * and disturbs no group; its caller polls it from one thread and closes it. Waits up to {@link #TOPIC_WAIT} for
     * each topic to exist ({@link #readFromBeginning(String, Collection, Map, Duration)}).
     */
    public KafkaConsumer<String, String> readFromBeginning(String purpose, Collection<String> topics,
                                                           Map<String, Object> overrides) {
        return readFromBeginning(purpose, topics, overrides, TOPIC_WAIT);
    }

    /**
     * As {@link #readFromBeginning(String, Collection, Map)}, waiting up to {@code topicWait} for every topic to
     * exist, and refusing ({@link IllegalStateException}) if one still does not. The broker answers a topic it does
     * not know with no partitions, and this reader was assigned the others only, for good: its callers read "every
     * partition at its end" as "everything read", so a reference topic missing at the start (pods started before the
     * Topic Operator made it, or a broker not yet told of a topic just created) was never read while the instance said
     * it was current (a read-only review, 6 December 2026). Refused, the start fails and is retried by a restart.
     */
    public KafkaConsumer<String, String> readFromBeginning(String purpose, Collection<String> topics,
                                                           Map<String, Object> overrides, Duration topicWait) {
        open();
        Map<String, Object> config = settings.base(application + "-" + purpose);
        config.put("enable.auto.commit", "false");
        config.put("auto.offset.reset", "earliest");
        config.putAll(overrides);
        // asking for a missing topic must not make it: made by a read, a reference topic would not be compacted
        config.put("allow.auto.create.topics", "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer());
        try {
            List<TopicPartition> partitions = partitionsOf(consumer, purpose, topics, topicWait);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return consumer;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** A topic a reader was asked to read is not on the broker (a subclass, so callers may answer it as their own). */
    public static final class TopicMissing extends IllegalStateException {
        TopicMissing(String message) {
            super(message);
        }
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<String, String> consumer, String purpose,
                                                     Collection<String> topics, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<TopicPartition> partitions = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>(topics);
        while (true) {
            for (Iterator<String> topic = missing.iterator(); topic.hasNext(); ) {
                String name = topic.next();
                // each answer waited for within the caller's wait too: a broker that does not answer is the
                // caller's to report in its own time (tally's reconcile answers 503 after its setting)
                long left = Math.max(100, Math.min(30_000, (deadline - System.nanoTime()) / 1_000_000));
                List<PartitionInfo> found = consumer.partitionsFor(name, Duration.ofMillis(left));
                if (found != null && !found.isEmpty()) {
                    found.forEach(info -> partitions.add(new TopicPartition(name, info.partition())));
                    topic.remove();
                }
            }
            if (missing.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TopicMissing("no topic " + missing + " on the broker after " + wait.toMillis()
                        + " ms, so the " + purpose + " reader cannot start: the services create the topics where "
                        + "w4r.topics.manage is true; elsewhere (Kubernetes) the Topic Operator does, from "
                        + "kafka/topics.yaml");
            }
            try {
                Thread.sleep(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for topic " + missing, e);
            }
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the service is shutting down: no new Kafka client");
        }
    }

    /**
     * Last of every shutdown observer: whatever still sends (the outbox relay's last batch, a dead letter) must find
     * the producer open. With the default priority it closed first, and the relay's sends after it failed.
     */
    void close(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.LIBRARY_AFTER + 900) ShutdownEvent event) {
        synchronized (this) {
            closed = true;
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        }
    }
}

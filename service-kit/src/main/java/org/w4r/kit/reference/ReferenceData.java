package org.w4r.kit.reference;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.CredentialChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.KafkaSettings;
import org.w4r.kit.messaging.TopicAdmin;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.security.TokenDirectory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * This service's read model of campaigns, cases, entities and staff credentials, kept in memory and rebuilt
 * from the beginning of the compacted reference topics on every start. It reads without a consumer group,
 * so every instance sees every change (a hold or a revoked key takes effect everywhere within a poll).
 */
@ApplicationScoped
public class ReferenceData implements TokenDirectory {
    private static final Logger LOG = Logger.getLogger(ReferenceData.class);

    @Inject
    KafkaSettings kafka;

    @Inject
    TopicAdmin topics;

    @Inject
    Event<CaseChanged> caseChanges;

    @Inject
    org.w4r.kit.tracing.EventTracing tracing;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "w4r")
    String application;

    @ConfigProperty(name = "w4r.reference-data.startup-wait", defaultValue = "PT30S")
    Duration startupWait;

    private final Map<String, CampaignChanged> campaigns = new ConcurrentHashMap<>();
    private final Map<String, CaseChanged> cases = new ConcurrentHashMap<>();
    private final Map<String, EntityChanged> entities = new ConcurrentHashMap<>();
    private final Map<String, CredentialChanged> credentials = new ConcurrentHashMap<>();
    private final Map<String, CredentialChanged> credentialsByHash = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile org.apache.kafka.clients.admin.Admin admin;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running = true;

    void start(@Observes StartupEvent event) throws InterruptedException {
        topics.ensureTopics();
        Map<String, Object> config = kafka.base(application + "-reference-data");
        config.put("enable.auto.commit", "false");
        config.put("auto.offset.reset", "earliest");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : Topics.REFERENCE) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Thread reader = new Thread(() -> readForever(endAtStart), application + "-reference-data");
        reader.setDaemon(true);
        reader.start();
        if (!caughtUp.await(startupWait.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("reference data not caught up at start-up; readiness stays DOWN until it is");
        }
    }

    private void readForever(Map<TopicPartition, Long> endAtStart) {
        while (running) {
            try {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (caughtUp.getCount() == 0) {
                        // a change as it happens continues the trace of the request that made it; the load at
                        // start-up re-reads the whole history and belongs to no request
                        tracing.consuming(record, () -> applySafely(record));
                    } else {
                        applySafely(record);
                    }
                }
                for (TopicPartition partition : endAtStart.keySet()) {
                    positions.put(partition, consumer.position(partition));
                }
                if (caughtUp.getCount() > 0 && endAtStart.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.infof("reference data loaded: %d campaigns, %d cases, %d entities, %d credentials",
                            campaigns.size(), cases.size(), entities.size(), credentials.size());
                    caughtUp.countDown();
                }
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                LOG.error("reference data: cannot read or apply a record; retrying", e);
                sleepQuietly();
            }
        }
        consumer.close();
    }

    /**
     * One bad record must not cost the others of its poll (the position has moved past them all): an unreadable
     * record cannot be fixed by reading it again, so it is logged and skipped, and the next ones are applied.
     */
    private void applySafely(ConsumerRecord<String, String> record) {
        try {
            apply(record.topic(), record.key(), record.value());
        } catch (RuntimeException e) {
            LOG.errorf(e, "reference data: skipping unreadable record %s-%d@%d (key %s)", record.topic(),
                    record.partition(), record.offset(), record.key());
        }
    }

    void apply(String topic, String key, String json) {
        switch (topic) {
            case Topics.CAMPAIGNS -> put(campaigns, key, json, CampaignChanged.class);
            case Topics.CASES -> {
                CaseChanged change = fromJson(json, CaseChanged.class);
                if (change == null) {
                    cases.remove(key);
                } else if (newer(change)) {
                    caseChanges.fire(change);
                }
            }
            case Topics.ENTITIES -> put(entities, key, json, EntityChanged.class);
            case Topics.CREDENTIALS -> credential(key, fromJson(json, CredentialChanged.class));
            default -> LOG.warnf("ignoring record from unexpected topic %s", topic);
        }
    }

    /**
     * Keeps a case's copy only if it is newer than the one held: two case-service instances relay their outboxes
     * independently, so an older state of a case (a hold's absence) could otherwise overwrite a newer one (the hold).
     */
    private boolean newer(CaseChanged change) {
        boolean[] applied = {false};
        cases.compute(change.caseId(), (id, held) -> {
            if (held != null && held.version() > change.version()) {
                return held;
            }
            applied[0] = true;
            holdPropagated(held, change);
            return change;
        });
        return applied[0];
    }

    /**
     * How long a hold took to reach this service, from case-service's commit to here: the time during which a signer
     * list could still leave for a case just held. Only once caught up (a restart re-reads months-old holds).
     */
    private void holdPropagated(CaseChanged held, CaseChanged change) {
        Long before = held == null || held.hold() == null ? null : held.hold().holdId();
        Long after = change.hold() == null ? null : change.hold().holdId();
        if (java.util.Objects.equals(before, after) || caughtUp.getCount() > 0 || change.changedAt() == null) {
            return;
        }
        Duration took = Duration.between(change.changedAt(), java.time.Instant.now());
        registry.timer("w4r.hold.propagation", "change", after == null ? "lifted" : "placed")
                .record(took.isNegative() ? Duration.ZERO : took);
    }

    private synchronized void credential(String keyId, CredentialChanged credential) {
        CredentialChanged old = credential == null ? credentials.remove(keyId) : credentials.put(keyId, credential);
        if (old != null) {
            credentialsByHash.remove(old.sha256());
        }
        if (credential != null) {
            credentialsByHash.put(credential.sha256(), credential);
        }
    }

    private static <T> T fromJson(String json, Class<T> type) {
        return json == null ? null : Events.fromJson(json, type);
    }

    private <T> T put(Map<String, T> map, String key, String json, Class<T> type) {
        T value = fromJson(json, type);
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
        return value;
    }

    @Override
    public Optional<Caller> findBySha256(String sha256) {
        CredentialChanged c = credentialsByHash.get(sha256);
        if (c == null || (c.expiresAt() != null && !c.expiresAt().isAfter(java.time.Instant.now()))) {
            return Optional.empty();
        }
        return Optional.of(Roles.ENTITY.equals(c.role())
                ? new Caller(c.entityId(), Roles.ENTITY, c.entityId(), c.keyId())
                : new Caller(c.principal(), c.role(), null, c.keyId()));
    }

    /**
     * Waits until this read model has applied everything published to the reference topics before the call: a
     * barrier for decisions that must see the latest hold or revocation (recording a handover), not for the hot path.
     */
    public boolean awaitUpToDate(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            positions.keySet().forEach(p -> latest.put(p, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            if (latest.isEmpty()) {
                return false;
            }
            Map<TopicPartition, org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin().listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            while (ends.entrySet().stream().anyMatch(e -> positions.getOrDefault(e.getKey(), 0L) < e.getValue().offset())) {
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
            LOG.warnf("cannot check the reference topics' end offsets: %s", e.getMessage());
            return false;
        }
    }

    private org.apache.kafka.clients.admin.Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = org.apache.kafka.clients.admin.Admin.create(kafka.base(application + "-reference-admin"));
                }
            }
        }
        return admin;
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    public Optional<CaseChanged> findCase(String caseId) {
        return Optional.ofNullable(cases.get(caseId));
    }

    public Optional<EntityChanged> findEntity(String entityId) {
        return Optional.ofNullable(entities.get(entityId));
    }

    public Optional<CampaignChanged> findCampaign(String campaignId) {
        return Optional.ofNullable(campaigns.get(campaignId));
    }

    /** The campaign marked current; if several are (mid-switch), the most recently changed. */
    public Optional<CampaignChanged> currentCampaign() {
        return campaigns.values().stream().filter(CampaignChanged::current)
                .max(Comparator.comparing(CampaignChanged::changedAt));
    }

    public Collection<CaseChanged> cases() {
        return List.copyOf(cases.values());
    }

    public Collection<EntityChanged> entities() {
        return List.copyOf(entities.values());
    }

    public Collection<CampaignChanged> campaigns() {
        return List.copyOf(campaigns.values());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
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

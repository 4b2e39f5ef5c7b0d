package org.w4r.cases.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.KafkaClients;
import org.w4r.kit.messaging.TopicAdmin;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the compacted {@code cases} topic holds for each case: the record a reader of the topic keeps (the highest
 * {@code version}; an equal one replaces it, as {@code ReferenceData.caseChanged} and delivery-service's hold mirror
 * do), read from the beginning up to the end the topic had when asked. The start-up check of a restored database
 * ({@code CaseReconciliation}) compares the database with it: a database restored from a backup is older than the
 * topic, and a hold placed or lifted after the backup was otherwise undone everywhere by the next change of the case
 * (a read-only review, 6 December 2026).
 *
 * <p>A raw reader from the kit ({@link KafkaClients#readFromBeginning}), as the reference read model's: no consumer
 * group, nothing committed, closed here.
 */
@ApplicationScoped
public class CasesOnTopic {
    private static final Logger LOG = Logger.getLogger(CasesOnTopic.class);

    @Inject
    KafkaClients clients;

    @Inject
    TopicAdmin topics;

    /**
     * How long the start-up check may take to read {@code cases} to its end; past it case-service does not start
     * (docs/case-service.md, "A restored database").
     */
    @ConfigProperty(name = "w4r.cases.topic-check-wait", defaultValue = "PT60S")
    Duration wait;

    /** Records the last read skipped: no case could be read from them ({@link #caseOf}). */
    private volatile int skipped;

    /**
     * What one read of the topic found: every case by id as its readers hold it, and the highest hold id of any record
     * read, not only of the newest ones. A hold placed and lifted after a backup is on the topic in an older record of
     * its case only (while compaction has not removed it yet), and its id must not be given again: a stale page's lift
     * names it (a read-only review, 6 December 2026).
     */
    public record OnTopic(Map<String, CaseChanged> newest, long highestHoldId) {
    }

    /**
     * The topic as its readers hold it. Throws when the topic cannot be read to the end it had at the call within
     * {@code w4r.cases.topic-check-wait}: the caller must not go on as if the database were current.
     */
    public OnTopic newest() {
        try {
            return read();
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not read the '" + Topics.CASES + "' topic to its end within "
                    + wait.toSeconds() + " s (w4r.cases.topic-check-wait), so whether this database lost holds after a "
                    + "restore is unknown: case-service does not start", e);
        }
    }

    private OnTopic read() {
        // a missing topic would be auto-created by the read, uncompacted: create it as every service does first
        topics.ensureTopics();
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, CaseChanged> newest = new HashMap<>();
        int unreadable = 0;
        long highestHoldId = 0;
        try (KafkaConsumer<String, String> consumer = clients.readFromBeginning("cases-check", List.of(Topics.CASES),
                Map.of("fetch.max.wait.ms", "100"))) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), wait);
            while (!reached(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException("not at the end in time");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        newest.remove(record.key()); // a tombstone: readers forget the case
                        continue;
                    }
                    CaseChanged change = caseOf(record);
                    if (change == null) {
                        // skipped and counted, as readers set it aside (ReferenceStream logs and skips a record it
                        // cannot read, the literal null included since the same review, BatchConsumer dead-letters
                        // it): the record kept for the key is the one before it, which can only keep a hold
                        unreadable++;
                        continue;
                    }
                    if (change.hold() != null) {
                        highestHoldId = Math.max(highestHoldId, change.hold().holdId());
                    }
                    newest.merge(change.caseId(), change, (held, next) -> held.version() > next.version() ? held : next);
                }
            }
        }
        skipped = unreadable;
        LOG.infof("cases topic check: %d cases read from the '%s' topic (%d unreadable records skipped)", newest.size(),
                Topics.CASES, unreadable);
        return new OnTopic(newest, highestHoldId);
    }

    /**
     * The case a record holds, or null (logged by its position and key, never its value) when it holds none: a value
     * that is not a readable {@link CaseChanged} (the record refuses what the schema does, an id-less case included),
     * or the JSON literal {@code null}, which reads as no event. Until a read-only review (6 December 2026) the literal
     * reached {@code change.caseId()} outside the try, and a case without its id put a null key in the map that
     * {@code CaseReconciliation} sorts: either failed every start for good, since compaction keeps the record. The
     * id is checked here too, so this check never depends on the contract's for it.
     */
    private static CaseChanged caseOf(ConsumerRecord<String, String> record) {
        String why;
        try {
            CaseChanged change = Events.fromJson(record.value(), CaseChanged.class);
            if (change != null && change.caseId() != null) {
                return change;
            }
            why = change == null ? "no event (JSON null)" : "no caseId";
        } catch (RuntimeException e) {
            why = "unreadable (" + e.getClass().getSimpleName() + ")";
        }
        LOG.warnf("cases topic check: skipping record %s-%d@%d (key %s): %s", record.topic(), record.partition(),
                record.offset(), record.key(), why);
        return null;
    }

    /** How many records the last check skipped as holding no case (logged with their positions). */
    public int skipped() {
        return skipped;
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}

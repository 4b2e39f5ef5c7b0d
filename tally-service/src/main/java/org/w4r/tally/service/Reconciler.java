package org.w4r.tally.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.agroal.api.AgroalDataSource;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.events.ActionEvent;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.kit.messaging.ConsumerSettings;
import org.w4r.kit.messaging.EventWindow;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.messaging.KafkaClients;
import org.w4r.kit.messaging.TopicOffsets;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.tally.service.CountingService.Tables;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Recounts everything from the beginning of the actions topic into scratch tables, with the same counting code and
 * the same exactly-once window as the live counting (in memory: {@link EventWindow}) but its own consumer (no group, so it disturbs no one), up to the end offsets taken at
 * the start; then lists every cell where the live count differs from the recount (the re-check job of
 * alphagov/e-petitions, for our tally). One run at a time. A raw reader, not a channel: it must start at the
 * beginning, stop at offsets of its own and commit nothing.
 *
 * <p>One run at a time across every instance: the scratch tables are shared by all of them, and a second run truncates
 * and fills them under the first. The guard was an in-memory flag, one run per instance only, so a retried request that
 * a load balancer sent to another instance wrecked the first run's recount (found by a read-only audit, 4 December
 * 2026). A run now holds a session-level advisory lock ({@link #LOCK}) on a connection of its own for its whole
 * length; a second run, on this instance or another, is refused with the same 409.
 */
@ApplicationScoped
public class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int MAX_LISTED = 1000;
    /**
     * The advisory lock's name (its key is {@code hashtextextended(LOCK, 0)}); every instance and version must use the
     * same, or two of them run at once again.
     */
    static final String LOCK = "tally:reconcile";
    /** What the locking session is called in pg_stat_activity, so an operator sees who holds the lock. */
    static final String APPLICATION_NAME = "tally-reconcile";

    @Inject
    CountingService writer;

    @Inject
    KafkaClients clients;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TopicOffsets offsets;

    @ConfigProperty(name = "mp.messaging.incoming.actions.group.id", defaultValue = "tally-service")
    String liveGroup;

    @Inject
    Settings settings;

    /** The live consumers' exactly-once window, so a rebuild skips exactly what they would. */
    @Inject
    ConsumerSettings consumers;

    @Inject
    org.w4r.tally.repository.DirectConnections connections;

    /** How long a reconcile may take (docs/tally-service.md, "POST /api/v1/tally/reconcile"). */
    @ConfigMapping(prefix = "w4r.tally.reconcile")
    public interface Settings {
        /** How long the recount waits for the live tables to have applied the offsets it read to, for an exact comparison. */
        @WithDefault("PT20S")
        Duration liveWait();

        /** The recount fails if it has not read to the end offsets taken at its start by then. */
        @WithDefault("PT30M")
        Duration timeout();

        /**
         * How long the recount waits for each answer of Kafka (the partitions, the end offsets, a position) before it
         * answers 503 {@code kafka-unavailable}; the kit's reader from the beginning waits a fixed 30 s.
         */
        @WithDefault("PT30S")
        Duration kafkaTimeout();

        /** Settings of the recount's own consumer, over the {@code kafka.*} ones ({@code "max.poll.records"}: 2000). */
        Map<String, String> consumer();
    }

    /**
     * A cell whose live count differs from the recount (a missing row counts as 0); {@code type}, {@code mode} and
     * {@code day} only for a row of {@code tally}, {@code country} only for one of {@code tally_country} ("" = unknown:
     * the name the counts by country had until V9, kept in this answer; they are the summary rows' {@code by_country}).
     */
    public record Difference(String table, String campaignId, String caseId, String entityId,
                             @Schema(nullable = true) String type, @Schema(nullable = true) String mode,
                             @Schema(nullable = true) String day, long live, long rebuilt,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String country) {
    }

    /**
     * {@code live}: "caught-up" when the live tables had applied exactly the end offsets the recount read to, in the
     * snapshot the differences were read in (the comparison is exact), "behind" or "ahead" otherwise (differences may
     * then be events in flight).
     */
    public record Report(Instant startedAt, Instant finishedAt, Map<Integer, Long> endOffsets, long recordsRead,
                         long eventsCounted, String live, int differenceCount, List<Difference> differences) {
    }

    /**
     * The lock is taken on a connection opened with the driver, not taken from the pool: closing it ends the session,
     * which releases the lock whatever happened during the run (a pooled connection would go back to the pool still
     * holding it if the unlock failed), and the pool does not lose a slot for the length of a recount.
     */
    public Report reconcile() {
        try (Connection lock = connections.open(APPLICATION_NAME)) {
            if (!tryLock(lock)) {
                throw ProblemException.conflict("reconcile-running", "Reconcile running", "a reconcile is already running");
            }
            return run();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take or hold the reconcile lock (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(hashtextextended(?, 0))")) {
            ps.setString(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private Report run() {
        Instant started = Instant.now();
        execute("truncate rebuild_tally, rebuild_summary"); // rebuild_by_country is a view of rebuild_summary
        long read = 0;
        long counted = 0;
        Map<TopicPartition, Long> end;
        Duration wait = settings.kafkaTimeout();
        // Kafka not answering, or the run's deadline, is an outage, not a bug: each was a 500 logged as one until a
        // review of 6 December 2026. The kit's reader waits the setting for the partitions.
        try (KafkaConsumer<String, String> consumer = clients.readFromBeginning("reconcile", List.of(Topics.ACTIONS),
                consumerSettings(), wait)) {
            List<TopicPartition> partitions = List.copyOf(consumer.assignment());
            end = consumer.endOffsets(partitions, wait);
            // the live consumer's exactly-once, in memory: this read starts at offset 0 and is never redelivered
            Map<TopicPartition, EventWindow> windows = new HashMap<>();
            partitions.forEach(p -> windows.put(p, new EventWindow(consumers.dedupeWindow(), 0)));
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            long quietSince = System.nanoTime();
            while (partitions.stream().anyMatch(p -> consumer.position(p, wait) < end.get(p))) {
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut(read);
                }
                List<ActionEvent> batch = new ArrayList<>();
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(500));
                // once fetching has begun, a broker gone quiet throws nothing: poll returns empty and positions answer
                // locally, so the run waited out its whole timeout (30 min) holding the lock (the same review)
                if (!polled.isEmpty()) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > wait.toNanos()) {
                    throw kafkaUnavailable("no record came within " + wait + " with " + read + " read and more to read");
                }
                for (TopicPartition partition : polled.partitions()) {
                    EventWindow applied = windows.get(partition);
                    List<UUID> ids = new ArrayList<>();
                    Set<UUID> seen = new HashSet<>();
                    long first = -1, last = -1;
                    for (ConsumerRecord<String, String> record : polled.records(partition)) {
                        // records past the end taken at the start belong to a later reconcile
                        if (record.offset() >= end.get(partition)) {
                            continue;
                        }
                        read++;
                        ActionEvent event;
                        try {
                            event = BatchConsumer.read(record.value(), ActionEvent.class); // as the live consumer
                        } catch (RuntimeException e) {
                            LOG.warnf("reconcile: skipping an unreadable action event at %s-%d@%d", record.topic(),
                                    record.partition(), record.offset());
                            continue;
                        }
                        if (applied.isNew(record.offset(), event.eventId()) && seen.add(event.eventId())) {
                            batch.add(event);
                        }
                        ids.add(event.eventId());
                        first = first < 0 ? record.offset() : first;
                        last = record.offset();
                    }
                    if (last >= 0) {
                        applied.add(new EventWindow.Span(first, last, ids));
                    }
                }
                counted += recount(batch);
                // stop reading a partition once its end is reached, so later records are never fetched for nothing
                List<TopicPartition> done = partitions.stream().filter(p -> consumer.position(p, wait) >= end.get(p))
                        .toList();
                if (!done.isEmpty()) {
                    consumer.pause(done);
                }
            }
        } catch (RetriableException e) {
            throw kafkaUnavailable("Kafka did not answer within " + wait + " (" + Failures.describe(e) + ")");
        } catch (KafkaClients.TopicMissing e) {
            // read as "nothing to recount", every live cell was a difference in a 200 (a second review of the day's
            // fixes, 6 December 2026)
            throw kafkaUnavailable("the broker names no partition of '" + Topics.ACTIONS + "'");
        }
        awaitLive(end);
        Comparison comparison = compare(end);
        String live = comparison.live();
        List<Difference> differences = comparison.differences();
        Map<Integer, Long> endOffsets = new TreeMap<>();
        end.forEach((p, o) -> endOffsets.put(p.partition(), o));
        LOG.infof("reconcile: %d records, %d events counted, live %s, %d differences", read, counted, live, differences.size());
        return new Report(started, Instant.now(), endOffsets, read, counted, live, differences.size(),
                differences.subList(0, Math.min(MAX_LISTED, differences.size())));
    }

    /** A broker restarting, or a leader moving, is back within a few tens of seconds. */
    private static final long KAFKA_RETRY_AFTER_SECONDS = 30;

    /** A run that took the whole timeout will not be quicker at once: Kafka is slow or far behind. */
    private static final long TIMEOUT_RETRY_AFTER_SECONDS = 60;

    private static ProblemException kafkaUnavailable(String why) {
        LOG.warnf("reconcile: %s", why);
        return new ProblemException(Problem.of(503, "kafka-unavailable", "Kafka unavailable",
                "the recount could not read Kafka: " + why + "; nothing was compared, send the request again after "
                        + "Retry-After seconds").retryAfter(KAFKA_RETRY_AFTER_SECONDS));
    }

    private ProblemException timedOut(long read) {
        LOG.warnf("reconcile: the end offsets were not reached within %s (%d records read)", settings.timeout(), read);
        return new ProblemException(Problem.of(503, "reconcile-timeout", "Reconcile timed out",
                "the recount did not read to the end offsets taken at its start within " + settings.timeout()
                        + " (w4r.tally.reconcile.timeout); nothing was compared, send the request again after "
                        + "Retry-After seconds").retryAfter(TIMEOUT_RETRY_AFTER_SECONDS));
    }

    private Map<String, Object> consumerSettings() {
        Map<String, Object> config = new HashMap<>(Map.of("max.poll.records", "2000"));
        config.putAll(settings.consumer());
        return config;
    }

    /**
     * Counts a batch into the scratch tables. An event the database refuses every time is one the live consumer set
     * aside on {@code actions.dead-letter}, so the recount leaves it out the same way; an outage fails the reconcile.
     */
    private int recount(List<ActionEvent> batch) {
        try {
            return writer.apply(batch, Tables.REBUILD);
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                throw e;
            }
        }
        int counted = 0;
        for (ActionEvent event : batch) {
            try {
                counted += writer.apply(List.of(event), Tables.REBUILD);
            } catch (RuntimeException e) {
                if (Failures.isTransient(e)) {
                    throw e;
                }
                LOG.warnf("reconcile: leaving out action event %s, which the database refuses (%s), as the live "
                        + "consumer did", event.eventId(), Failures.describe(e));
            }
        }
        return counted;
    }

    /**
     * Waits (a little) for the live tables to have applied the offsets the recount read up to: what they applied is
     * {@code consumer_progress}, written in the transaction of each batch. The group's committed offsets were read
     * until a read-only review (6 December 2026): the throttled strategy commits them up to seconds after the tables,
     * so events applied but not yet committed showed as differences in a report that said "caught-up".
     */
    private void awaitLive(Map<TopicPartition, Long> end) {
        long deadline = System.nanoTime() + settings.liveWait().toNanos();
        try {
            while (true) {
                Map<Integer, Long> setAside = committed();
                String state;
                try (Connection c = dataSource.getConnection()) {
                    state = liveState(handled(progress(c), setAside), end);
                }
                if (!"behind".equals(state) || System.nanoTime() > deadline) {
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.warnf("reconcile: cannot read the live tables' progress (SQLSTATE %s)", e.getSQLState());
        }
    }

    /**
     * The live group's committed offsets, per partition (empty if they cannot be read). They pass the records the live
     * consumer set aside (unreadable, refused: on the dead letter), which {@code consumer_progress} never does: with
     * such a record last on a partition, progress alone said "behind" for good (a review of this change).
     */
    private Map<Integer, Long> committed() {
        Map<Integer, Long> committed = new HashMap<>();
        try {
            offsets.committed(liveGroup, Duration.ofSeconds(10)).forEach((p, o) -> committed.put(p.partition(), o));
        } catch (Exception e) {
            LOG.warnf("reconcile: cannot read the live group's offsets (%s)", Failures.describe(e));
        }
        return committed;
    }

    /**
     * How far the live consumer has handled each partition: what the tables applied, or past it what the group
     * committed. An offset is committed only after its batch's transaction, so one read before the tables' snapshot
     * that is above their progress stands for records set aside, never for effects the snapshot misses.
     */
    static Map<Integer, Long> handled(Map<Integer, Long> applied, Map<Integer, Long> committed) {
        Map<Integer, Long> handled = new HashMap<>(applied);
        committed.forEach((partition, offset) -> handled.merge(partition, offset, Math::max));
        return handled;
    }

    /** The next offset the live tables apply, per partition of {@code actions}. */
    private static Map<Integer, Long> progress(Connection c) throws SQLException {
        Map<Integer, Long> next = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select kafka_partition, next_offset from consumer_progress where topic = ?")) {
            ps.setString(1, Topics.ACTIONS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    next.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return next;
    }

    /** caught-up: the live tables applied exactly what the recount read; behind or ahead: the comparison is not exact. */
    static String liveState(Map<Integer, Long> applied, Map<TopicPartition, Long> end) {
        boolean behind = false;
        boolean ahead = false;
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            long at = applied.getOrDefault(e.getKey().partition(), 0L);
            behind |= at < e.getValue();
            ahead |= at > e.getValue();
        }
        return behind ? "behind" : ahead ? "ahead" : "caught-up";
    }

    /** The differences, and the live state they were read in: one snapshot, so the state is the comparison's. */
    private record Comparison(String live, List<Difference> differences) {
    }

    /**
     * Every cell (and every summary row, every row by country) where live and recount differ, read in one REPEATABLE
     * READ snapshot with the live tables' progress, so "caught-up" describes exactly the tables compared.
     */
    private Comparison compare(Map<TopicPartition, Long> end) {
        List<Difference> result = new ArrayList<>();
        String cells = """
                select coalesce(l.campaign_id, r.campaign_id), coalesce(l.case_id, r.case_id), coalesce(l.entity_id, r.entity_id),
                       coalesce(l.action_type, r.action_type), coalesce(l.mode, r.mode), coalesce(l.day, r.day)::text,
                       coalesce(l.count, 0), coalesce(r.count, 0)
                from tally l full outer join rebuild_tally r
                  on (l.campaign_id, l.case_id, l.entity_id, l.action_type, l.mode, l.day)
                   = (r.campaign_id, r.case_id, r.entity_id, r.action_type, r.mode, r.day)
                where coalesce(l.count, 0) <> coalesce(r.count, 0) order by 1, 2, 3, 4, 5, 6""";
        String summary = """
                select coalesce(l.campaign_id, r.campaign_id), coalesce(l.case_id, r.case_id), coalesce(l.entity_id, r.entity_id),
                       null, null, null, coalesce(l.count, 0), coalesce(r.count, 0)
                from tally_summary l full outer join rebuild_summary r
                  on (l.campaign_id, l.case_id, l.entity_id) = (r.campaign_id, r.case_id, r.entity_id)
                where coalesce(l.count, 0) <> coalesce(r.count, 0) order by 1, 2, 3""";
        String countries = """
                select coalesce(l.campaign_id, r.campaign_id), coalesce(l.case_id, r.case_id), coalesce(l.entity_id, r.entity_id),
                       null, null, null, coalesce(l.count, 0), coalesce(r.count, 0), coalesce(l.country, r.country)
                from tally_by_country l full outer join rebuild_by_country r
                  on (l.campaign_id, l.case_id, l.entity_id, l.country) = (r.campaign_id, r.case_id, r.entity_id, r.country)
                where coalesce(l.count, 0) <> coalesce(r.count, 0) order by 1, 2, 3, 9""";
        String live;
        Map<Integer, Long> setAside = committed(); // before the snapshot (see handled)
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // the pool restores it on return
            try {
                live = liveState(handled(progress(c), setAside), end);
                collect(c, "tally", cells, result);
                collect(c, "tally_summary", summary, result);
                collect(c, "tally_country", countries, result); // the answer's name for them since V7 (see Difference)
            } finally {
                c.rollback(); // it only read
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot compare the tally with the recount", e);
        }
        return new Comparison(live, result);
    }

    private static void collect(Connection c, String table, String sql, List<Difference> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(new Difference(table, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8),
                        rs.getMetaData().getColumnCount() > 8 ? rs.getString(9) : null));
            }
        }
    }

    private void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the recount tables", e);
        }
    }
}

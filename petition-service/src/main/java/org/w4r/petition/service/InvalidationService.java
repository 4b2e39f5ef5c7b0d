package org.w4r.petition.service;

import org.w4r.kit.audit.AuditTrail;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.w4r.kit.messaging.ConsumerSettings;
import org.w4r.kit.outbox.OutboxRelay;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.repository.InvalidationRepository;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Bulk invalidation: a coordinator takes a selection of accepted signatures, online actions and solidarity messages
 * (a bot flood through one site) out of the counts. The preview counts what the selection holds, per case and entity; the invalidation
 * marks exactly those actions, in the statement that counts them, and announces one {@code ActionCorrected} of −1 per
 * action in the same transaction, so the tally (and delivery's ledger) drop exactly what the preview showed. The
 * selection, the reason and who decided stay on record; a reversal puts the same actions back with +1 each (but a
 * message rejected as abuse meanwhile, which that rejection keeps out).
 */
@ApplicationScoped
public class InvalidationService {
    @Inject
    AuditTrail audit;

    @Inject
    InvalidationRepository invalidations;

    @Inject
    SignerHasher hasher;

    @Inject
    ActionPublisher publisher;

    @Inject
    RetentionService retention;

    /** The JSON of the HTTP layer: the stored selection reads back as the coordinator sent it. */
    @Inject
    ObjectMapper json;

    /**
     * The largest invalidation, in actions: one transaction writes a correction per action to the outbox, all of them
     * late rows for the relay if later ones were sent meanwhile. A relay batch that failed after its sends is sent
     * again first, but after PostgreSQL's own crash it may come after such a drain, so a copy lands as far from its
     * first as the drain is long, which must stay within the consumers' dedupe window (docs/reliability.md, "Open
     * defects"; it was 200,000, twice the window).
     */
    @ConfigProperty(name = "w4r.invalidations.max-actions", defaultValue = "40000")
    int maxActions;

    /** Two invalidations committing at once, and two relay batches, must fit in the dedupe window. */
    void check(@Observes StartupEvent started, ConsumerSettings consumers, OutboxRelay.Settings outbox) {
        if (2L * maxActions + 2L * outbox.batchSize() > consumers.dedupeWindow()) {
            throw new IllegalStateException("w4r.invalidations.max-actions (" + maxActions + ") must leave room for two "
                    + "at once and two relay batches (w4r.outbox.batch-size " + outbox.batchSize()
                    + ") in w4r.consumer.dedupe-window (" + consumers.dedupeWindow() + ")");
        }
    }

    /**
     * What a coordinator selects by; every part optional, at least one of case, entity, time, domain or country given.
     * {@code from} inclusive, {@code to} exclusive, on the time an action was accepted. {@code emailDomain} (or
     * {@code emailDomainHash}, its keyed hash as the anomaly view lists it) and {@code country} are the signer's, so
     * with either only signatures are selected. {@code type}: signature, message or an online action's type.
     */
    public record Selection(String campaignId, String caseId, String entityId, Instant from, Instant to,
                            String emailDomain, String emailDomainHash, String country, ActionType type) {
    }

    /** How many actions of one case (null: none) and entity. */
    public record Count(String caseId, String entityId, long actions) {
    }

    public record Preview(long actions, List<Count> byCaseAndEntity, int maxActions) {
    }

    public record Invalidation(UUID invalidationId, Selection selection, String reason, long actions,
                               List<Count> byCaseAndEntity, String createdBy, Instant createdAt, Instant reversedAt,
                               String reversedBy) {
    }

    /** What the selection holds now, among the actions that still count; nothing is written. */
    public Preview preview(Selection selection) throws SQLException {
        List<Count> counts = merge(invalidations.count(criteria(selection)).stream()
                .map(c -> new Count(c.caseId(), c.entityId(), c.actions())).toList());
        return new Preview(counts.stream().mapToLong(Count::actions).sum(), counts, maxActions);
    }

    /**
     * The command that takes the selection out of the counts, if it still holds exactly {@code expectedActions} (what
     * the coordinator saw in the preview): otherwise it is refused (409) and nothing is written. An action already
     * invalidated is never selected, so sending the same invalidation twice cannot subtract twice.
     */
    public Command<Invalidation> invalidate(Selection selection, String reason, long expectedActions, String by) {
        if (expectedActions > maxActions) {
            throw new ProblemException(Problem.of(422, "too-many-actions", "Too many actions",
                    "one invalidation takes at most " + maxActions + " actions; narrow the selection (a shorter time "
                            + "range, one entity) and invalidate it in parts").with("maxActions", maxActions));
        }
        InvalidationRepository.Criteria criteria = criteria(selection);
        // the size and the selection's ids; not the reason, nor the email domain (the invalidation record keeps both)
        AuditTrail.Entry entry = audit.entry("invalidation.created", "invalidation", null, selection.entityId(),
                AuditTrail.detail("caseId", selection.caseId(), "campaignId", selection.campaignId()));
        return work -> {
            oneAtATime();
            UUID id = UUID.randomUUID();
            Instant now = ActionRules.now();
            invalidations.insert(new InvalidationRepository.Row(id, write(selection), reason, (int) expectedActions,
                    "[]", by, now, null, null));
            // one more than expected, so a selection that grew is seen without marking all of it
            List<InvalidationRepository.Marked> marked = invalidations.mark(id, criteria, (int) expectedActions + 1);
            // first: a selection in an anonymised campaign is refused for good, whatever it holds now (previewed
            // again, it would only be refused again)
            retention.requireNotRetired(marked.stream().map(InvalidationRepository.Marked::campaignId));
            if (marked.size() != expectedActions) {
                throw new ProblemException(Problem.of(409, "selection-changed", "Selection changed",
                        "the selection now holds " + (marked.size() > expectedActions ? "more than " + expectedActions
                                : String.valueOf(marked.size())) + " actions that still count, not the "
                                + expectedActions + " previewed; preview it again").with("expectedActions", expectedActions));
            }
            List<Count> breakdown = breakdown(marked);
            invalidations.breakdown(id, write(breakdown));
            for (InvalidationRepository.Marked m : marked) {
                publisher.corrected(work, m.actionId(), m.campaignId(), m.caseId(), m.entityId(), ActionType.of(m.type()),
                        Mode.ONLINE, -1, m.occurredAt(), now, m.signerCountry());
            }
            work.audit(entry.withSubject(id.toString()).with("actions", marked.size()));
            return new Invalidation(id, selection, reason, marked.size(), breakdown, by, now, null, null);
        };
    }

    /** The command that puts an invalidation's actions back into the counts, once. */
    public Command<Invalidation> reverse(UUID invalidationId, String by) {
        AuditTrail.Entry entry = audit.entry("invalidation.reversed", "invalidation", invalidationId.toString(), null, Map.of());
        return work -> {
            oneAtATime();
            InvalidationRepository.Row row = invalidations.lock(invalidationId);
            if (row == null) {
                throw ProblemException.notFound("invalidation", invalidationId.toString());
            }
            if (row.reversedAt() != null) {
                throw new ProblemException(Problem.of(409, "already-reversed", "Already reversed",
                        "invalidation " + invalidationId + " was reversed at " + row.reversedAt())
                        .with("reversedAt", row.reversedAt().toString()));
            }
            if (row.actions() > maxActions) {
                // as large as one made before the bound (200,000 until 6 December 2026) or above a lowered one: its
                // corrections in one transaction would be a drain the consumers' window cannot hold
                throw new ProblemException(Problem.of(422, "too-many-actions", "Too many actions",
                        "invalidation " + invalidationId + " took " + row.actions() + " actions and a reversal puts "
                                + "back at most " + maxActions + " in one transaction; raise w4r.consumer.dedupe-window "
                                + "and w4r.invalidations.max-actions together to reverse it")
                        .with("maxActions", maxActions).with("actions", row.actions()));
            }
            Instant now = ActionRules.now();
            List<InvalidationRepository.Marked> unmarked = invalidations.unmark(invalidationId);
            retention.requireNotRetired(unmarked.stream().map(InvalidationRepository.Marked::campaignId));
            for (InvalidationRepository.Marked m : unmarked) {
                publisher.corrected(work, m.actionId(), m.campaignId(), m.caseId(), m.entityId(), ActionType.of(m.type()),
                        Mode.ONLINE, 1, m.occurredAt(), now, m.signerCountry());
            }
            invalidations.reversed(invalidationId, by, now);
            // fewer than it took when a message was rejected as abuse meanwhile: that rejection keeps it out
            work.audit(entry.with("actions", unmarked.size()));
            return view(new InvalidationRepository.Row(row.invalidationId(), row.selection(), row.reason(),
                    row.actions(), row.breakdown(), row.createdBy(), row.createdAt(), now, by));
        };
    }

    /**
     * One invalidation or reversal commits at a time, in every instance: another is refused at once (409, nothing
     * written), as the startup check assumes at most two in one relay batch's time.
     */
    private void oneAtATime() throws SQLException {
        if (!invalidations.onlyOneAtATime()) {
            throw new ProblemException(Problem.of(409, "invalidation-in-progress", "Another invalidation in progress",
                    "another invalidation or reversal is being committed; nothing was written, send this one again "
                            + "in a few seconds").retryAfter(5));
        }
    }

    public Optional<Invalidation> find(UUID invalidationId) throws SQLException {
        return Optional.ofNullable(invalidations.find(invalidationId)).map(this::view);
    }

    /** Newest first. */
    public List<Invalidation> list(int offset, int limit) throws SQLException {
        return invalidations.list(offset, limit).stream().map(this::view).toList();
    }

    private InvalidationRepository.Criteria criteria(Selection s) {
        // the domain is looked up by its keyed hash only: no signer's row holds it in clear
        return new InvalidationRepository.Criteria(s.campaignId(), s.caseId(), s.entityId(), s.from(), s.to(),
                s.emailDomain() == null ? s.emailDomainHash() : hasher.hashDomain(s.emailDomain()), s.country(),
                s.type() == null ? null : s.type().code());
    }

    private static List<Count> breakdown(List<InvalidationRepository.Marked> marked) {
        return merge(marked.stream().map(m -> new Count(m.caseId(), m.entityId(), 1)).toList());
    }

    /** Summed per case and entity, in that order (actions without a case first). */
    private static List<Count> merge(List<Count> counts) {
        Map<List<String>, Long> sums = new TreeMap<>(Comparator.<List<String>, String>comparing(k -> k.get(0),
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(k -> k.get(1)));
        for (Count c : counts) {
            sums.merge(Arrays.asList(c.caseId(), c.entityId()), c.actions(), Long::sum);
        }
        return sums.entrySet().stream().map(e -> new Count(e.getKey().get(0), e.getKey().get(1), e.getValue())).toList();
    }

    private Invalidation view(InvalidationRepository.Row row) {
        try {
            return new Invalidation(row.invalidationId(), json.readValue(row.selection(), Selection.class), row.reason(),
                    row.actions(), json.readValue(row.breakdown(), new TypeReference<List<Count>>() {
                    }), row.createdBy(), row.createdAt(), row.reversedAt(), row.reversedBy());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an invalidation's stored JSON cannot be read", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}

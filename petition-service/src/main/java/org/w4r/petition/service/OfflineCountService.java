package org.w4r.petition.service;

import org.w4r.kit.audit.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.model.OfflineCorrection;
import org.w4r.petition.model.OfflineCount;
import org.w4r.petition.repository.OfflineCountRepository;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Offline counts as a ledger: entries are never edited; corrections are new entries, and never go below zero. */
@ApplicationScoped
public class OfflineCountService extends ActionRecorder {
    public static final long MAX_COUNT = 1_000_000;
    public static final Set<ActionType> TYPES = EnumSet.complementOf(EnumSet.of(ActionType.MESSAGE));

    @Inject
    AuditTrail audit;

    @Inject
    OfflineCountRepository ledger;

    /** A count reported after an offline event (on a day not in the future); {@code caseId}, {@code campaignId}, {@code eventPlace} may be null. */
    public record NewOfflineCount(String caseId, ActionType type, long count, String eventName, LocalDate eventDate,
                                  String eventPlace, String campaignId) {
    }

    /** A correction of an entry: {@code delta} added (negative to take back), for {@code reason}. */
    public record NewCorrection(UUID offlineCountId, long delta, String reason) {
    }

    public record Corrected(UUID correctionId, UUID offlineCountId, long delta, long net) {
    }

    /** An entry and its corrections, oldest first. */
    public record Entry(OfflineCount count, List<OfflineCorrection> corrections) {
        public long net() {
            return count.count + corrections.stream().mapToLong(c -> c.delta).sum();
        }
    }

    /** Everything that can refuse the count, before anything is written; then the command that records it. */
    public Command<Recorded> check(String entityId, NewOfflineCount c) {
        Instant now = ActionRules.now();
        // dated noon UTC of the event's day (or now, for an event today), so it lands on that day in the tally
        Instant noon = c.eventDate().atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC);
        Instant dated = onItsDayInTheWindow(rules.window(entityId, c.caseId(), c.campaignId()), c.eventDate(),
                noon.isAfter(now) ? now : noon, now);
        return record(entityId, c.caseId(), c.campaignId(), dated, now, c.type(), Mode.OFFLINE,
                c.count(), ledger, () -> {
                    OfflineCount entry = new OfflineCount();
                    entry.type = c.type().code();
                    entry.count = c.count();
                    entry.eventName = c.eventName();
                    entry.eventDate = c.eventDate();
                    entry.eventPlace = c.eventPlace();
                    return entry;
                });
    }

    /**
     * An event on the window's first or last day is dated inside the window, on that day: noon UTC fell outside it
     * whenever the window opens after noon or closes before it on that day (an extension to midnight in Auckland
     * closes at 11:00 UTC), and the count was refused {@code outside-campaign-window}, while the same report made
     * that morning was dated "now" and taken (a read-only review, 8 December 2026). A day wholly outside the window
     * keeps its date, and is refused.
     */
    static Instant onItsDayInTheWindow(ActionRules.Window window, LocalDate day, Instant dated, Instant now) {
        if (window.contains(dated)) {
            return dated;
        }
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant first = dayStart.isAfter(window.opens()) ? dayStart : window.opens();
        Instant last = (dayEnd.isBefore(window.closes()) ? dayEnd : window.closes()).minusNanos(1000);
        if (last.isAfter(now)) {
            last = now;
        }
        if (first.isAfter(last)) {
            return dated;
        }
        return dated.isBefore(first) ? first : last;
    }

    /**
     * Locks the entries {@code offlineCountIds} in one order, their ids sorted, before a batch's items run: each item
     * locks its entry when it runs, in the batch's order, so two batches correcting the same two entries in opposite
     * orders deadlocked (read-only review, 6 December 2026). Another entity's entry is locked too, for this transaction
     * only; its item is refused as before, and nothing of it is read into the answer.
     */
    public void lockInOrder(java.util.Collection<UUID> offlineCountIds) {
        offlineCountIds.stream().distinct().sorted().forEach(ledger::lockForCorrection);
    }

    /**
     * The command that corrects an entry of the entity's own. What refuses it (no such entry, below zero) is found
     * under the entry's lock and thrown before anything is written, so it need not undo a batch it is part of.
     */
    public Command<Corrected> correct(String entityId, NewCorrection c) {
        AuditTrail.Entry corrected = audit.entry("offline-count.corrected", "offline-count", c.offlineCountId().toString(),
                entityId, AuditTrail.detail("delta", c.delta()));
        return work -> {
            OfflineCount entry = ledger.lockForCorrection(c.offlineCountId());
            if (entry == null || !entry.entityId.equals(entityId)) {
                throw ProblemException.notFound("offline count", c.offlineCountId().toString());
            }
            // its counts are final, as a new count's; corrections are rare: asked of the database every time
            retention.requireNotRetired(java.util.stream.Stream.of(entry.campaignId));
            long net = entry.count + ledger.sumOfCorrections(c.offlineCountId()) + c.delta();
            if (net < 0) {
                throw new ProblemException(Problem.of(422, "count-below-zero", "Correction too large",
                        "this correction would bring the count below zero (it would be " + net + ")").with("net", net));
            }
            OfflineCorrection correction = new OfflineCorrection();
            correction.correctionId = UUID.randomUUID();
            correction.actionId = c.offlineCountId();
            correction.delta = c.delta();
            correction.reason = c.reason();
            correction.recordedAt = ActionRules.now();
            ledger.persist(correction);
            announceCorrection(work, entry, ActionType.of(entry.type), Mode.OFFLINE, c.delta(), correction.recordedAt);
            work.audit(corrected.with("caseId", entry.caseId).with("net", net));
            return new Corrected(correction.correctionId, c.offlineCountId(), c.delta(), net);
        };
    }

    /** The entity's own entries, newest first, each with its corrections: another entity's are never among them. */
    public List<Entry> list(String entityId, String campaignId, String caseId, int limit) {
        List<OfflineCount> counts = ledger.listOf(entityId, campaignId, caseId, limit);
        Map<UUID, List<OfflineCorrection>> corrections = ledger.correctionsOf(counts.stream().map(c -> c.actionId).toList())
                .stream().collect(Collectors.groupingBy(c -> c.actionId));
        return counts.stream().map(c -> new Entry(c, corrections.getOrDefault(c.actionId, List.of()))).toList();
    }

    /** The entity's own entry; empty for another entity's, as for none. */
    public Optional<Entry> find(String entityId, UUID offlineCountId) {
        OfflineCount count = ledger.findById(offlineCountId);
        if (count == null || !count.entityId.equals(entityId)) {
            return Optional.empty();
        }
        return Optional.of(new Entry(count, ledger.correctionsOf(offlineCountId)));
    }
}

package org.w4r.kit.reference;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.EntityChanged;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * This service's read model of campaigns, cases and entities, kept in memory and rebuilt at every start from the
 * compacted reference topics by {@link ReferenceStream} (the credentials on the same stream go to the security kit's
 * {@code TokenDirectory}). A hold or any other change takes effect here within a poll of the stream.
 */
@ApplicationScoped
public class ReferenceData {
    @Inject
    ReferenceStream stream;

    @Inject
    Event<CaseChanged> caseChanges;

    @Inject
    MeterRegistry registry;

    private final Map<String, CampaignChanged> campaigns = new ConcurrentHashMap<>();
    private final Map<String, CaseChanged> cases = new ConcurrentHashMap<>();
    private final Map<String, EntityChanged> entities = new ConcurrentHashMap<>();

    /** Bumped after every change applied; see {@link #changes}. */
    private final AtomicLong changes = new AtomicLong();

    /**
     * How many changes this read model has applied: what is derived from it (a list built for every anonymous reader)
     * holds while this has not moved. Read it before reading the model, and keep what was built under the number
     * read: a change counts after it is applied, so a stale copy is never kept under a newer number.
     */
    public long changes() {
        return changes.get();
    }

    /** A null {@code campaign} (a tombstone) removes it. */
    void campaign(String campaignId, CampaignChanged campaign) {
        put(campaigns, campaignId, campaign);
        changes.incrementAndGet();
    }

    void entity(String entityId, EntityChanged entity) {
        put(entities, entityId, entity);
        changes.incrementAndGet();
    }

    /**
     * Keeps a case's copy only if it is not older than the one held: two case-service instances relay their outboxes
     * independently, so an older state of a case (a hold's absence) could otherwise overwrite a newer one (the hold).
     * Observers of {@link CaseChanged} hear of every copy kept, on the stream's thread, before the stream counts the
     * record as applied. {@code live}: read after catching up at start-up, so it happened just now.
     */
    void caseChanged(String caseId, CaseChanged change, boolean live) {
        if (change == null) {
            cases.remove(caseId);
            changes.incrementAndGet();
            return;
        }
        boolean[] kept = {false};
        cases.compute(change.caseId(), (id, held) -> {
            if (held != null && held.version() > change.version()) {
                return held;
            }
            kept[0] = true;
            if (live) {
                holdPropagated(held, change);
            }
            return change;
        });
        if (kept[0]) {
            changes.incrementAndGet();
            caseChanges.fire(change);
        }
    }

    /**
     * How long a hold took to reach this service, from case-service's commit to here: the time during which a signer
     * list could still leave for a case just held. Only for live changes (a restart re-reads months-old holds).
     */
    private void holdPropagated(CaseChanged held, CaseChanged change) {
        Long before = held == null || held.hold() == null ? null : held.hold().holdId();
        Long after = change.hold() == null ? null : change.hold().holdId();
        if (Objects.equals(before, after) || change.changedAt() == null) {
            return;
        }
        Duration took = Duration.between(change.changedAt(), Instant.now());
        registry.timer("w4r.hold.propagation", "change", after == null ? "lifted" : "placed")
                .record(took.isNegative() ? Duration.ZERO : took);
    }

    private static <T> void put(Map<String, T> map, String key, T value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    /**
     * Waits until this read model has applied everything published to the reference topics before the call: a
     * barrier for decisions that must see the latest hold or revocation (recording a handover), not for the hot path.
     */
    public boolean awaitUpToDate(Duration timeout) {
        return stream.awaitUpToDate(timeout);
    }

    public boolean isCaughtUp() {
        return stream.isCaughtUp();
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

    /**
     * The cases this instance's read model has on safety hold. A decision that must not speak of a held case while
     * another copy of the hold (a consumer's own table) lags behind this one treats a case as held if either copy
     * says so.
     */
    public Set<String> heldCaseIds() {
        return cases.values().stream().filter(c -> c.hold() != null).map(CaseChanged::caseId)
                .collect(Collectors.toUnmodifiableSet());
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
}

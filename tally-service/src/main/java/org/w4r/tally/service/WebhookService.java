package org.w4r.tally.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.Events;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.TallyRepository;
import org.w4r.tally.repository.TallyRepository.Dimension;
import org.w4r.tally.repository.WebhookRepository;
import org.w4r.tally.repository.WebhookRepository.CaseState;
import org.w4r.tally.model.WebhookDelivery;
import org.w4r.tally.repository.WebhookRepository.NewDelivery;
import org.w4r.tally.model.Milestone;
import org.w4r.tally.model.Webhook;
import org.w4r.tally.repository.MilestoneRepository;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Webhooks of entity websites: registration (an entity reaches only its own), and what is queued for them: a case held,
 * released, closed or otherwise changed (from the {@code cases} topic) and the entity's own totals on a schedule.
 * Bodies carry ids and counts only: never a hold's reason, never a name. {@link WebhookDispatcher} sends the queue.
 */
@ApplicationScoped
public class WebhookService {
    public static final String CASE_HELD = "case.held";
    public static final String CASE_RELEASED = "case.released";
    public static final String CASE_CLOSED = "case.closed";
    public static final String CASE_CHANGED = "case.changed";
    public static final String TOTALS_ENTITY = "totals.entity";
    public static final String MILESTONE_REACHED = "milestone.reached";
    /** The event types an entity may subscribe to; a Bean Validation pattern of the request too. */
    public static final String EVENT_TYPES =
            "case\\.held|case\\.released|case\\.closed|case\\.changed|totals\\.entity|milestone\\.reached";

    @Inject
    WebhookRepository webhooks;

    @Inject
    TallyRepository tally;

    @Inject
    ReferenceData reference;

    @Inject
    ReceiverAddress receivers;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    AuditTrail audit;

    @Inject
    MilestoneRepository milestones;

    @Inject
    WebhookSettings settings;

    @Inject
    MeterRegistry registry;

    public record Registered(Webhook webhook, String secret) {
    }

    /**
     * Registers a webhook and records it in the audit trail, in one transaction. The trail keeps the receiver's host
     * and the events, never the path or query (a site may put a token there) and never the secret.
     *
     * <p>The cap is decided under a lock: the entity's registrations take turns (an advisory lock per entity, held to
     * the commit) from the count to the insert. Without it, concurrent registrations each counted before the others
     * inserted and together passed {@code max-per-entity}. An entity already at its cap is refused first, before the
     * receiver's host is resolved, so it costs no DNS lookup; that count runs outside the transaction, so no connection
     * is held, nor any lock, while the host resolves. Both found by a read-only audit, 4 December 2026.
     *
     * <p>The host resolves on {@link ReceiverAddress}'s few lookup threads, within {@code w4r.webhooks.lookup-timeout}
     * (400 past it), and a registration that finds them all taken is 503 at once: the cap counts only webhooks
     * registered, so registrations naming hosts whose nameservers never answer are otherwise unlimited, and each held
     * its HTTP worker thread for the resolver's timeout (a read-only review, 6 December 2026).
     */
    @Transactional
    public Registered register(String entityId, String url, List<String> events) {
        if (QuarkusTransaction.suspendingExisting().call(() -> webhooks.countLive(entityId)) >= settings.maxPerEntity()) {
            throw tooManyWebhooks();
        }
        try {
            receivers.check(url);
        } catch (ReceiverAddress.Busy e) {
            refused(entityId, "lookups-busy");
            throw new ProblemException(Problem.of(503, "lookups-busy", "Lookups busy",
                    "every lookup of receivers' hosts on this instance is taken; nothing was registered, send the same "
                            + "request again after Retry-After seconds").retryAfter(LOOKUPS_BUSY_RETRY_AFTER));
        } catch (ReceiverAddress.Refused e) {
            refused(entityId, "url");
            throw ProblemException.invalid("url", e.getMessage());
        }
        webhooks.lockEntity(entityId);
        if (webhooks.countLive(entityId) >= settings.maxPerEntity()) {
            throw tooManyWebhooks();
        }
        String secret = WebhookSigner.newSecret();
        Webhook webhook = new Webhook(UUID.randomUUID(), entityId, url, events.stream().distinct().sorted().toList(),
                secret, Instant.now());
        webhooks.insert(webhook);
        audit.record("webhook.registered", "webhook", webhook.id().toString(), entityId,
                AuditTrail.detail("host", URI.create(url).getHost(), "events", webhook.events()));
        return new Registered(webhook, secret);
    }

    /**
     * A lookup that never answers holds its thread for the resolver's own timeout (glibc's: 5 s a try, two tries), and
     * the JDK keeps the failure 10 s: a place is seldom free sooner when the lookups are full of such names.
     */
    private static final long LOOKUPS_BUSY_RETRY_AFTER = 10;

    /** Refused registrations, counted: the lookups they cost are the only trace of a flood of them. */
    private void refused(String entityId, String reason) {
        registry.counter("w4r.webhooks.registrations.refused", "reason", reason, "entity", entityId).increment();
    }

    private ProblemException tooManyWebhooks() {
        return ProblemException.conflict("too-many-webhooks", "Too many webhooks",
                "an entity may register at most " + settings.maxPerEntity() + " webhooks; delete one first");
    }

    public List<Webhook> list(String entityId) {
        return webhooks.live(entityId);
    }

    /**
     * An entity's webhooks as a coordinator reads them. An entity the platform does not know and that has no webhook
     * is a 404, as the staff read of an entity's totals ({@link TotalsService#entityDetail}): "neither known nor
     * registered", so a webhook registered before the entity reached this instance's reference data is still listed.
     */
    public List<Webhook> listOfEntity(String entityId) {
        List<Webhook> live = webhooks.live(entityId);
        if (live.isEmpty() && reference.findEntity(entityId).isEmpty()) {
            throw ProblemException.notFound("entity", entityId);
        }
        return live;
    }

    /**
     * Deletes the entity's webhook, by the entity's own key or by a coordinator (a receiver a leaked key registered):
     * the same change and the same {@code webhook.deleted} entry either way, the trail's actor being the caller.
     */
    @Transactional
    public void delete(String entityId, UUID id) {
        if (!webhooks.delete(entityId, id)) {
            throw ProblemException.notFound("webhook", id.toString());
        }
        audit.record("webhook.deleted", "webhook", id.toString(), entityId, null);
    }

    public List<WebhookDelivery> deliveries(String entityId, UUID id) {
        own(entityId, id);
        return webhooks.deliveries(id, settings.deliveriesListed());
    }

    /** Queues a dead delivery again, due now, with its attempts counted from zero; the dispatcher is woken after the commit. */
    @Transactional
    public void replay(String entityId, UUID id, UUID deliveryId) {
        own(entityId, id);
        switch (webhooks.replay(id, deliveryId)) {
            case NOT_FOUND -> throw ProblemException.notFound("delivery", deliveryId.toString());
            case NOT_DEAD -> throw ProblemException.conflict("delivery-not-dead", "Delivery not dead",
                    "only a dead delivery can be replayed; this one is pending or delivered");
            case REQUEUED -> {
                audit.record("webhook.delivery.replayed", "webhook", id.toString(), entityId,
                        AuditTrail.detail("deliveryId", deliveryId.toString()));
                dispatcher.wakeAfterCommit();
            }
        }
    }

    private void own(String entityId, UUID id) {
        if (webhooks.find(entityId, id).isEmpty()) {
            throw ProblemException.notFound("webhook", id.toString());
        }
    }

    /** How long a release waits for this instance's read model to have it too (a few polls of the reference stream). */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

    /**
     * Queues what the case events mean for the webhooks, in the consumer's transaction. {@code CaseChanged} is the whole
     * state, so the change is told from the last state told: a hold placed, lifted, the case closed, anything else. A
     * late copy of an older state is dropped. A local case concerns its entity only, a global one every entity.
     */
    public void onCases(List<CaseChanged> events) {
        List<NewDelivery> queued = new ArrayList<>();
        List<String> released = new ArrayList<>();
        for (CaseChanged c : events) {
            CaseState before = webhooks.caseState(c.caseId()).orElse(null);
            if (before != null && c.version() <= before.version()) {
                continue;
            }
            Long holdId = c.hold() == null ? null : c.hold().holdId();
            boolean told = toldToEntities(before, c.status());
            webhooks.saveCaseState(c.caseId(), stateAfter(before, c.version(), holdId, c.status()));
            // the hold itself, told or not: the milestones recorded under it wait for this (MilestoneRepository)
            if (before != null && before.holdId() != null && holdId == null) {
                released.add(c.caseId());
            }
            if (told) {
                queue(c, typeOf(before, holdId, c.status()), c.eventId(), c.changedAt(), Map.of("version", c.version()),
                        queued);
            }
        }
        webhooks.enqueue(queued);
        if (!released.isEmpty()) {
            // reached while held: told now, after the release, once. The hold is also read from this instance's
            // read model (MilestoneRepository), which must have the release this consumer just read: it is on the
            // topic, so the barrier waits for at most that. Past the wait, the sweep tells them.
            reference.awaitUpToDate(RELEASE_WAIT);
            for (String caseId : released) {
                onMilestones(milestones.announce(caseId, reference.heldCaseIds()));
            }
        }
    }

    /**
     * Whether entities hear of this change: never of a draft, nor of a draft closed without ever being active. Case ids
     * are slugs of a person's name, and a draft is a case still being prepared, which the portal, the public counter
     * and the open data keep from entities and the public; every change of a global draft (its creation, a hold on it)
     * went to every entity's webhooks (a read-only audit, 4 December 2026). A case first seen closed (a new tally
     * reading the compacted topic) is not told either: nothing says it was ever active.
     */
    static boolean toldToEntities(CaseState before, String status) {
        if ("draft".equals(status)) {
            return false;
        }
        return !"closed".equals(status) || (before != null && !"draft".equals(before.status()));
    }

    /**
     * Queues {@code milestone.reached} for each milestone, in the caller's transaction: to every subscriber for a global
     * case, to its entity's for a local one. The event id is drawn from the milestone, which is recorded once. Only of
     * a case whose counter the public may see (its switch on, past draft): a milestone is a share of the case's total
     * across every entity, which an entity otherwise never learns for a case whose counter is off. Held cases are
     * not dropped here: their milestones wait for the release (below).
     */
    public void onMilestones(List<Milestone> reached) {
        List<NewDelivery> queued = new ArrayList<>();
        for (Milestone m : reached) {
            CaseChanged c = reference.findCase(m.caseId()).orElse(null);
            if (c == null || !PublicCounterRule.showsOnceReleased(c)) {
                continue;
            }
            // one per percentage, as the milestone (a threshold named it until 6 December 2026; "percent" keeps the
            // two kinds of id apart, so a milestone told before cannot share an id with one told after)
            UUID eventId = UUID.nameUUIDFromBytes((MILESTONE_REACHED + ":" + m.campaignId() + ":" + m.caseId()
                    + ":percent:" + m.percent()).getBytes(StandardCharsets.UTF_8));
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("percent", m.percent());
            fields.put("threshold", m.threshold());
            fields.put("goal", m.goal());
            queue(c, MILESTONE_REACHED, eventId, m.reachedAt(), fields, queued);
        }
        if (webhooks.enqueue(queued) > 0) {
            dispatcher.wakeAfterCommit();
        }
    }

    /**
     * Queues one event about case {@code c} for the subscribers to {@code type} it concerns: every entity for a global
     * case, its own for a local one (none for a local case without an entity). Ids and counts only.
     */
    private void queue(CaseChanged c, String type, UUID eventId, Instant occurredAt, Map<String, Object> fields,
                       List<NewDelivery> queued) {
        boolean local = "local".equals(c.scope());
        if (local && c.localEntityId() == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("type", type);
        body.put("occurredAt", occurredAt);
        body.put("caseId", c.caseId());
        body.put("campaignId", c.campaignId());
        body.putAll(fields);
        String json = Events.toJson(body);
        // a celebration waits out a hold, even one placed after it was queued; the hold and its release never wait
        String holdsBack = MILESTONE_REACHED.equals(type) ? c.caseId() : null;
        for (Webhook w : webhooks.subscribers(type, local ? c.localEntityId() : null)) {
            queued.add(new NewDelivery(w.id(), eventId, type, json, holdsBack));
        }
    }

    /**
     * The status kept of a case until entities have been told of it: a draft's, whatever its status is. What follows
     * such a state is told as if nothing came before it ({@link #typeOf}), and a case closed unseen stays unseen
     * through its later changes ({@link #toldToEntities}).
     */
    static final String UNTOLD = "draft";

    /**
     * What {@code webhook_case_state} keeps after a change: its version and hold as they are (the milestones' hold reads
     * it), its status as entities know it, {@link #UNTOLD} while they know nothing. The status seen was kept until a
     * review of 6 December 2026, so a draft dropped (closed unseen) and then held, released or edited was told as a
     * closed case changing: to every entity.
     */
    static CaseState stateAfter(CaseState before, long version, Long holdId, String status) {
        return new CaseState(version, holdId, toldToEntities(before, status) ? status : UNTOLD);
    }

    /**
     * The type of a change that is told, from what entities were last told. A state they were not told ({@link #UNTOLD}:
     * a draft, or anything before the case was first told) is no "before": its hold was never announced, so the first
     * state told with a hold is {@code case.held}, and lifting a hold they never heard of is no {@code case.released}.
     * A draft held and then activated still held was told {@code case.changed}, and the hold's lifting later
     * {@code case.released} of a hold no site had heard of (found by a review, 6 December 2026).
     */
    static String typeOf(CaseState before, Long holdId, String status) {
        CaseState told = before == null || UNTOLD.equals(before.status()) ? null : before;
        boolean wasClosed = told != null && "closed".equals(told.status());
        Long heldBefore = told == null ? null : told.holdId();
        if ("closed".equals(status) && !wasClosed) {
            return CASE_CLOSED;
        }
        if (holdId != null && !holdId.equals(heldBefore)) {
            return CASE_HELD;
        }
        if (holdId == null && heldBefore != null) {
            return CASE_RELEASED;
        }
        return CASE_CHANGED;
    }

    /**
     * Queues each {@code totals.entity} subscriber its entity's totals in the current campaign. The event id is drawn
     * from the webhook and the period, so instances ticking in the same period queue it once.
     */
    public int queueTotals(Duration every) {
        // the period's totals wait for a read model that holds every hold: read half-way at start-up it may hold a
        // case as a record before its hold left it, and list it
        if (!reference.isCaughtUp()) {
            return 0;
        }
        CampaignChanged campaign = reference.currentCampaign().orElse(null);
        if (campaign == null) {
            return 0;
        }
        long period = Instant.now().toEpochMilli() / every.toMillis();
        Instant periodStart = Instant.ofEpochMilli(period * every.toMillis());
        List<NewDelivery> queued = new ArrayList<>();
        for (Webhook w : webhooks.subscribers(TOTALS_ENTITY, null)) {
            Map<String, Long> byCase = new TreeMap<>(tally.totalsBy(campaign.campaignId(), Dimension.CASE, null,
                    w.entityId()));
            long withoutCase = Objects.requireNonNullElse(byCase.remove(""), 0L);
            long total = withoutCase + byCase.values().stream().mapToLong(Long::longValue).sum();
            // a held case is not listed: its sites were told to take it off at once (case.held), and a site that
            // shows byCase as it comes would put it back every hour (a read-only review, 7 December 2026). Its
            // actions stay in the entity's total, which names no case
            byCase.keySet().removeIf(caseId -> reference.findCase(caseId).map(c -> c.hold() != null).orElse(false));
            UUID eventId = UUID.nameUUIDFromBytes((TOTALS_ENTITY + ":" + w.id() + ":" + every.toMillis() + ":" + period)
                    .getBytes(StandardCharsets.UTF_8));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("eventId", eventId);
            body.put("type", TOTALS_ENTITY);
            body.put("occurredAt", periodStart);
            body.put("entityId", w.entityId());
            body.put("campaignId", campaign.campaignId());
            body.put("total", total);
            body.put("withoutCase", withoutCase);
            body.put("byCase", byCase);
            queued.add(new NewDelivery(w.id(), eventId, TOTALS_ENTITY, Events.toJson(body), null));
        }
        int n = webhooks.enqueue(queued);
        if (n > 0) {
            dispatcher.wake();
        }
        return n;
    }
}

package org.w4r.petition.service;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rate limits of entity websites, checked before a write does anything (so a refusal stores nothing and leaves
 * its Idempotency-Key unused): a token bucket per entity (all its keys share it: a second key must not double the
 * limit), and one per signer email domain within an entity (a flood from one throwaway domain). A write takes a token
 * of the entity's bucket per action it stores (a signature one per case it names, up to 50), a batch the sum of its
 * items'; a signer's domain a token per signature. Every bucket it needs must have them, or none is charged. (Until 5
 * December 2026 a signature took one token whatever its cases, so an entity at its limit could store 50 times what
 * another stored at the same rate.)
 * <p>Buckets live in this instance's memory (bucket4j): no round trip on the hot path. With n instances each takes
 * {@code rate} tokens per n periods and a burst of {@code burst / n}, n counted by {@link LiveInstances}; an entity's
 * burst never goes below the largest batch unless its configured burst does, so a full batch stays possible on any
 * instance. Domains are kept as the domain alone, with the entity; no address is kept, counted or logged.
 */
@ApplicationScoped
public class RateLimits {
    public static final String ENTITY = "entity";
    public static final String EMAIL_DOMAIN = "email-domain";
    public static final String ENTITY_QUEUE = "entity-queue";

    /** An instance's part of a limit. */
    record Share(long capacity, long rate, Duration period) {
        static Share of(LimitSettings.Limit limit, int instances, long floor) {
            long capacity = Math.max(-Math.floorDiv(-limit.burst(), instances), Math.min(limit.burst(), floor));
            return new Share(capacity, limit.rate(), limit.period().multipliedBy(instances));
        }

        Bandwidth bandwidth() {
            return Bandwidth.builder().capacity(capacity).refillGreedy(rate, period).build();
        }

        long nanosToRefill(long tokens) {
            return (long) Math.ceil((double) tokens * period.toNanos() / rate);
        }
    }

    private record Held(Bucket bucket, Share share) {
    }

    private final Map<String, Held> entities = new ConcurrentHashMap<>();
    private final Map<String, Held> domains = new ConcurrentHashMap<>();

    @Inject
    LimitSettings settings;

    @Inject
    LiveInstances instances;

    @Inject
    MeterRegistry registry;

    /*
     * Each take says whether the request came with an Idempotency-Key ("keyed"): the limit is taken before the key is
     * looked up, so a refused retry cannot know whether an earlier attempt under its key was stored, and its 429 must
     * not say "nothing was stored", nor advise splitting it into new requests (new keys), which would count what the
     * earlier attempt stored a second time (a read-only review, 8 December 2026).
     */

    /** One write without a signer's email. */
    public void take(String entityId, boolean keyed) {
        take(entityId, 1, Map.of(), keyed);
    }

    /** One message, with its author's email or null for none. */
    public void take(String entityId, String email, boolean keyed) {
        take(entityId, 1, email == null ? Map.of() : Map.of(domain(email), 1L), keyed);
    }

    /** One signature: a token per case it names, one of its signer's domain. */
    public void take(String entityId, SignatureService.Signature signature, boolean keyed) {
        take(entityId, cost(signature), Map.of(domain(signature.email()), 1L), keyed);
    }

    /** A batch: its items' tokens, refused items included (a token each: they cost their checking). */
    public void take(String entityId, List<BatchService.Item> items, boolean keyed) {
        Map<String, Long> perDomain = new TreeMap<>();
        long tokens = 0;
        for (BatchService.Item item : items) {
            tokens += item.request() instanceof SignatureService.Signature s ? cost(s) : 1;
            String email = item.request() instanceof SignatureService.Signature s ? s.email()
                    : item.request() instanceof MessageService.NewMessage m ? m.authorEmail() : null;
            if (email != null) {
                perDomain.merge(domain(email), 1L, Long::sum);
            }
        }
        take(entityId, tokens, perDomain, keyed);
    }

    /** The actions a signature stores: one per distinct case (a case named twice is one). */
    static long cost(SignatureService.Signature signature) {
        return Math.max(1, signature.caseIds().stream().distinct().count());
    }

    private void take(String entityId, long tokens, Map<String, Long> perDomain, boolean keyed) {
        int n = instances.count();
        LimitSettings.Limit entityLimit = settings.entityLimit(entityId);
        Held entity = held(entities, entityId, Share.of(entityLimit, n, BatchService.MAX_ITEMS));
        ConsumptionProbe probe = entity.bucket().tryConsumeAndReturnRemaining(tokens);
        if (!probe.isConsumed()) {
            throw refused(entityId, ENTITY, entityLimit, entity.share(), probe, tokens, keyed);
        }
        LimitSettings.Limit domainLimit = settings.emailDomainLimit(entityId);
        List<Map.Entry<Bucket, Long>> taken = new ArrayList<>();
        for (Map.Entry<String, Long> domain : perDomain.entrySet()) {
            Held held = held(domains, entityId + '\n' + domain.getKey(), Share.of(domainLimit, n, 0));
            ConsumptionProbe domainProbe = held.bucket().tryConsumeAndReturnRemaining(domain.getValue());
            if (!domainProbe.isConsumed()) {
                // nothing will be stored: what the request took is given back
                entity.bucket().addTokens(tokens);
                taken.forEach(t -> t.getKey().addTokens(t.getValue()));
                throw refused(entityId, EMAIL_DOMAIN, domainLimit, held.share(), domainProbe, domain.getValue(), keyed);
            }
            taken.add(Map.entry(held.bucket(), domain.getValue()));
        }
    }

    /** The bucket under {@code key}, resized (its tokens in proportion) when the number of instances changed. */
    private static Held held(Map<String, Held> buckets, String key, Share share) {
        Held held = buckets.computeIfAbsent(key, k -> new Held(Bucket.builder().addLimit(share.bandwidth()).build(), share));
        if (!held.share().equals(share)) {
            held.bucket().replaceConfiguration(BucketConfiguration.builder().addLimit(share.bandwidth()).build(),
                    TokensInheritanceStrategy.PROPORTIONALLY);
            held = new Held(held.bucket(), share);
            buckets.put(key, held);
        }
        return held;
    }

    private ProblemException refused(String entityId, String scope, LimitSettings.Limit limit, Share share,
                                ConsumptionProbe probe, long tokens, boolean keyed) {
        registry.counter("w4r.petition.rate.limited", "entity", entityId, "scope", scope).increment();
        long available = probe.getRemainingTokens();
        boolean neverFits = tokens > share.capacity();
        long nanos = neverFits ? share.nanosToRefill(share.capacity() - available) : probe.getNanosToWaitForRefill();
        long seconds = Math.max(1, -Math.floorDiv(-nanos, 1_000_000_000L));
        String whose = ENTITY.equals(scope) ? "this entity's limit" : "the limit of one signer email domain in this entity";
        String stored = keyed ? "this attempt stored nothing (an earlier one under the same Idempotency-Key may have been "
                + "stored: send it again with that key, never as new requests)" : "nothing was stored";
        String detail = tokens == 1
                ? "over " + whose + " (" + limit.describe() + "); " + stored + ": send it again after " + seconds + " s"
                : "this request needs " + tokens + " tokens of " + whose + " (" + limit.describe() + "; a token per "
                + "action it stores, a signature's one per case) and " + available + " are left; " + stored + ": "
                + (neverFits ? (keyed ? "as the limit stands it can never fit (" + share.capacity() + " tokens at most): "
                        + "send it again with the same key once the limit is raised"
                        : "it can never fit, send requests of at most " + share.capacity() + " tokens")
                : "send it again after " + seconds + " s" + (keyed ? "" : ", or at most " + available + " tokens' worth now"));
        return new ProblemException(Problem.of(429, "rate-limited", "Rate limited", detail)
                .with("scope", scope).with("limit", limit.describe()).with("requested", tokens)
                .with("available", available).with("retryAfter", seconds).retryAfter(seconds));
    }

    /**
     * A signature refused because its entity already has {@code share} signatures waiting for their commit: one entity
     * must not fill the queue every entity's signatures share (GroupCommit). The entity's to slow down, so a 429 like
     * its rate limit, not the shared 503 of a saturated service.
     */
    ProblemException queueShareFull(String entityId, int share, boolean keyed) {
        registry.counter("w4r.petition.rate.limited", "entity", entityId, "scope", ENTITY_QUEUE).increment();
        return new ProblemException(Problem.of(429, "rate-limited", "Rate limited", "this entity already has " + share
                        + " signatures waiting to be written, its share of petition-service's queue; "
                        + (keyed ? "this attempt stored nothing (an earlier one under the same Idempotency-Key may have "
                        + "been stored): send it again with that key" : "nothing was stored: send it again") + " after 1 s")
                .with("scope", ENTITY_QUEUE).with("limit", share + " waiting").with("requested", 1)
                .with("available", 0).with("retryAfter", 1).retryAfter(1));
    }

    /** A full bucket is a new one: forgetting it loses nothing, and keeps memory to the domains of the last minutes. */
    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetFull() {
        domains.values().removeIf(held -> held.bucket().getAvailableTokens() >= held.share().capacity());
    }

    /** The domain of an address, as the signer's hash reads it ({@link SignerHasher#domainOf}); the address goes no further. */
    static String domain(String email) {
        return SignerHasher.domainOf(email);
    }
}

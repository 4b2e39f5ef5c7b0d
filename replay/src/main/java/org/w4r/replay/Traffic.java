package org.w4r.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replay's requests, made one at a time (thread-safe) and reproducible from the seed: an entity is drawn in
 * proportion to what it still has to report, and it sends either one item on its own endpoint (a supporter signing
 * on the entity's page) or a batch of up to {@code batchSize} items (the entity's back-end syncing). A share of the
 * requests is retried with the same Idempotency-Key.
 */
final class Traffic {
    private final List<EntityTraffic> entities = new ArrayList<>();
    private final SplittableRandom random;
    private final String runId;
    private final int batchSize;
    private final double individualRequests, retryShare;
    private long sequence;

    /**
     * @param individualShare the share of items sent on their own endpoint (a supporter on the entity's page), the
     *                        rest in batches
     * @param retryShare      the share of requests sent twice with the same Idempotency-Key
     */
    record Settings(int batchSize, double individualShare, double retryShare, EntityTraffic.Shares shares) {
        static Settings defaults(int batchSize) {
            return new Settings(batchSize, 0.01, 0.02, new EntityTraffic.Shares(0.15, 0.05, 0.65, 0.15, 0.01));
        }
    }

    /**
     * @param caseIds      the replay campaign's case id for each matrix row (null for "no case")
     * @param rowsIncluded which rows this traffic covers
     */
    Traffic(Matrix matrix, String campaignId, String[] caseIds, boolean[] rowsIncluded, Settings settings,
            Expected expected, String runId, AtomicLong signerSequence, long seed, Timeline timeline) {
        this.random = new SplittableRandom(seed);
        this.runId = runId;
        this.batchSize = settings.batchSize();
        // a share s of the items goes alone: q·1 / (q·1 + (1 − q)·B) = s gives the share q of requests
        double s = settings.individualShare();
        this.individualRequests = s * batchSize / (1 - s + s * batchSize);
        this.retryShare = settings.retryShare();
        EntityTraffic.Signers signers = new EntityTraffic.Signers() {
            @Override
            public long next() {
                return signerSequence.incrementAndGet();
            }

            @Override
            public String email(long signer) {
                return "signer-" + signer + "@" + runId + ".replay.example.org";
            }
        };
        java.util.Map<String, String> countries = Report2020.entityCountries();
        for (int c = 0; c < matrix.columns.size(); c++) {
            EntityTraffic e = new EntityTraffic(matrix, c, campaignId, caseIds, rowsIncluded, settings.shares(), timeline, expected,
                    signers, countries.get(matrix.columns.get(c).id()), random);
            if (e.hasNext()) {
                entities.add(e);
            }
        }
    }

    synchronized long remainingActions() {
        return entities.stream().mapToLong(EntityTraffic::remainingActions).sum();
    }

    /** The next request, or null when everything has been made. */
    synchronized Request next() {
        EntityTraffic entity = pickEntity();
        if (entity == null) {
            return null;
        }
        String key = runId + "-" + (++sequence);
        boolean retry = random.nextDouble() < retryShare;
        if (random.nextDouble() < individualRequests) {
            Item item = entity.next(random);
            return new Request(entity.entityId, item.path(), Json.write(item.body()), key, retry, false,
                    item.accepted(), item.duplicates(), item.actions(), new long[]{item.actions()});
        }
        ObjectNode batch = Json.object();
        ArrayNode items = batch.putArray("items");
        int accepted = 0, duplicates = 0;
        long actions = 0;
        List<Long> itemActions = new ArrayList<>();
        for (int i = 0; i < batchSize && entity.hasNext(); i++) {
            Item item = entity.next(random);
            items.addObject().put("id", "i" + i).put("kind", item.kind()).set("body", item.body());
            accepted += item.accepted();
            duplicates += item.duplicates();
            actions += item.actions();
            itemActions.add(item.actions());
        }
        return new Request(entity.entityId, "/api/v1/batches", Json.write(batch), key, retry, true, accepted, duplicates,
                actions, itemActions.stream().mapToLong(Long::longValue).toArray());
    }

    private EntityTraffic pickEntity() {
        entities.removeIf(e -> !e.hasNext());
        if (entities.isEmpty()) {
            return null;
        }
        long total = 0;
        for (EntityTraffic e : entities) {
            total += Math.max(1, e.remainingActions());
        }
        long pick = random.nextLong(total);
        for (EntityTraffic e : entities) {
            pick -= Math.max(1, e.remainingActions());
            if (pick < 0) {
                return e;
            }
        }
        throw new IllegalStateException("unreachable");
    }
}

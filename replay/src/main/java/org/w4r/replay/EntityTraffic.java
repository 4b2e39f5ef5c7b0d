package org.w4r.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one entity reports over the campaign, made item by item so a full-scale replay needs no memory for millions
 * of requests. Each cell (case, entity) of the matrix is split into offline counts (bulk reports after events),
 * solidarity messages, signatures and other online actions, summing exactly to the cell; signatures are by distinct
 * signers, some "signing for all" (several cases at once), and some signers come back to sign again (duplicates).
 */
final class EntityTraffic {
    private static final String[] ONLINE_TYPES = {"email", "email", "tweet", "tweet", "sms", "letter", "postcard", "drawing", "audio", "other"};
    private static final String[] OFFLINE_TYPES = {"letter", "letter", "letter", "postcard", "drawing", "signature"};
    /** Where a signer from outside an entity's own country lives (supporters abroad, international members). */
    private static final String[] ELSEWHERE = {"US", "GB", "DE", "FR", "BR", "IN", "NG", "MX", "JP", "ZA", "CA", "AU",
            "ES", "IT", "KE", "PH", "AR", "PL", "SE", "NZ"};

    final String entityId;
    /** Named on actions without a case, which would otherwise count for the current campaign. */
    private final String campaignId;
    private final String[] caseIds; // per row; null for "no case"
    private final long[] signatures, messages, actions;
    private final List<ArrayDeque<Long>> offline = new ArrayList<>();
    private final ArrayDeque<Item> pendingDuplicates = new ArrayDeque<>();
    private final Shares shares;
    private final Timeline timeline;
    private final Expected expected;
    private final Signers signers;
    /** The entity's country, where most of its signers live; null for a catch-all or a regional office. */
    private final String homeCountry;
    private long offlineEntries, remainingActions;

    record Shares(double offline, double messages, double signatures, double signForAll, double duplicates) {
    }

    /** The next signer's number, shared by every entity, so signers are distinct across the whole replay. */
    interface Signers {
        long next();

        String email(long signer);
    }

    EntityTraffic(Matrix matrix, int column, String campaignId, String[] caseIds, boolean[] rowsIncluded, Shares shares,
                  Timeline timeline, Expected expected, Signers signers, String homeCountry, SplittableRandom random) {
        this.entityId = matrix.columns.get(column).id();
        this.homeCountry = homeCountry;
        this.campaignId = campaignId;
        this.caseIds = caseIds;
        this.shares = shares;
        this.timeline = timeline;
        this.expected = expected;
        this.signers = signers;
        int rows = matrix.rows.size();
        signatures = new long[rows];
        messages = new long[rows];
        actions = new long[rows];
        for (int r = 0; r < rows; r++) {
            ArrayDeque<Long> events = new ArrayDeque<>();
            offline.add(events);
            if (!rowsIncluded[r]) {
                continue;
            }
            long cell = matrix.cell(r, column);
            remainingActions += cell;
            long off = (long) Math.floor(cell * shares.offline());
            for (long left = off; left > 0; ) { // events of 5 to 1,500 actions, the last one takes the rest
                long n = Math.min(left, 5 + random.nextInt(1_496));
                events.add(n);
                left -= n;
            }
            offlineEntries += events.size();
            long online = cell - off;
            if (caseIds[r] == null) { // signatures and messages are always for a case
                actions[r] = online;
            } else {
                messages[r] = (long) Math.floor(online * shares.messages());
                signatures[r] = (long) Math.floor(online * shares.signatures());
                actions[r] = online - messages[r] - signatures[r];
            }
        }
    }

    long remainingActions() {
        return remainingActions;
    }

    boolean hasNext() {
        return remainingActions > 0 || !pendingDuplicates.isEmpty();
    }

    Item next(SplittableRandom random) {
        if (!pendingDuplicates.isEmpty() && (remainingActions == 0 || random.nextInt(4) == 0)) {
            return pendingDuplicates.poll();
        }
        long sig = sum(signatures), msg = sum(messages), act = sum(actions);
        long pick = random.nextLong(offlineEntries + sig + msg + act);
        if (pick < offlineEntries) {
            return offlineCount(random);
        }
        pick -= offlineEntries;
        if (pick < sig) {
            return signature(random);
        }
        pick -= sig;
        return pick < msg ? message(random) : action(random);
    }

    private Item offlineCount(SplittableRandom random) {
        int r = pickRow(random, offline.stream().mapToLong(ArrayDeque::size).toArray());
        long count = offline.get(r).poll();
        offlineEntries--;
        String type = OFFLINE_TYPES[random.nextInt(OFFLINE_TYPES.length)];
        LocalDate day = timeline.day(random);
        ObjectNode body = Json.object();
        caseOrCampaign(body, r);
        body.put("type", type).put("count", count);
        body.putObject("event").put("name", "Write-a-thon " + (1 + random.nextInt(900))).put("date", day.toString())
                .put("place", "Town hall");
        return counted(new Item(Item.OFFLINE_COUNT, body, 1, 0, count), type, "offline");
    }

    private Item signature(SplittableRandom random) {
        List<Integer> rows = new ArrayList<>();
        rows.add(pickRow(random, signatures));
        if (random.nextDouble() < shares.signForAll()) { // a "sign for all" page: up to three more cases at once
            for (int extra = 1 + random.nextInt(3); extra > 0; extra--) {
                int r = pickRowExcept(random, signatures, rows);
                if (r >= 0) {
                    rows.add(r);
                }
            }
        }
        long signer = signers.next();
        ObjectNode body = Json.object();
        ArrayNode ids = body.putArray("caseIds");
        rows.forEach(r -> {
            ids.add(caseIds[r]);
            signatures[r]--;
        });
        ObjectNode signerNode = body.putObject("signer").put("name", "Signer " + signer).put("email", signers.email(signer));
        String country = signerCountry(random);
        if (country != null) {
            signerNode.put("country", random.nextInt(10) == 0 ? country.toLowerCase(java.util.Locale.ROOT) : country);
        }
        if (country != null) {
            expected.addCountry(country, rows.size());
        }
        body.putObject("consent").put("showName", random.nextBoolean());
        body.put("occurredAt", timeline.instant(random).toString());
        if (random.nextDouble() < shares.duplicates()) {
            // the same person signs again later (another day, e-mail typed in capitals): "duplicate", never counted
            ObjectNode again = body.deepCopy();
            ((ObjectNode) again.get("signer")).put("email", signers.email(signer).toUpperCase(java.util.Locale.ROOT));
            again.put("occurredAt", timeline.instant(random).toString());
            pendingDuplicates.add(new Item(Item.SIGNATURE, again, 0, rows.size(), 0));
        }
        return counted(new Item(Item.SIGNATURE, body, rows.size(), 0, rows.size()), "signature", "online");
    }

    /** Mostly the entity's own country, some from elsewhere, a few given none (unknown); from the seed. */
    private String signerCountry(SplittableRandom random) {
        int pick = random.nextInt(100);
        if (pick < 5) {
            return null;
        }
        return homeCountry != null && pick < 85 ? homeCountry : ELSEWHERE[random.nextInt(ELSEWHERE.length)];
    }

    private Item message(SplittableRandom random) {
        int r = pickRow(random, messages);
        messages[r]--;
        ObjectNode body = Json.object().put("caseId", caseIds[r]);
        body.putObject("author").put("name", "Writer " + random.nextInt(1_000_000));
        body.put("text", "You are not alone. We stand with you.").put("language", "en")
                .put("occurredAt", timeline.instant(random).toString());
        return counted(new Item(Item.MESSAGE, body, 1, 0, 1), "message", "online");
    }

    private Item action(SplittableRandom random) {
        int r = pickRow(random, actions);
        actions[r]--;
        String type = ONLINE_TYPES[random.nextInt(ONLINE_TYPES.length)];
        ObjectNode body = Json.object();
        caseOrCampaign(body, r);
        body.put("type", type).put("occurredAt", timeline.instant(random).toString());
        return counted(new Item(Item.ACTION, body, 1, 0, 1), type, "online");
    }

    private void caseOrCampaign(ObjectNode body, int row) {
        if (caseIds[row] != null) {
            body.put("caseId", caseIds[row]);
        } else {
            body.put("campaignId", campaignId);
        }
    }

    private Item counted(Item item, String type, String mode) {
        remainingActions -= item.actions();
        expected.add(type, mode, item.actions());
        return item;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    private static int pickRow(SplittableRandom random, long[] weights) {
        long pick = random.nextLong(sum(weights));
        for (int r = 0; ; r++) {
            if (pick < weights[r]) {
                return r;
            }
            pick -= weights[r];
        }
    }

    private static int pickRowExcept(SplittableRandom random, long[] weights, List<Integer> taken) {
        long[] others = weights.clone();
        taken.forEach(r -> others[r] = 0);
        return sum(others) == 0 ? -1 : pickRow(random, others);
    }
}

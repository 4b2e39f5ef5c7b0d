package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 2020 campaign re-enacted through the public API into a campaign of its own, then every figure read back from
 * the tally and compared with the expected one. Exit code 0 only when every figure is exact and every answer was
 * what it had to be.
 */
public final class Replay {
    /** {@code calendar}: the 2020 dates ({@code new Timeline()}) or the same shape moved ({@link Timeline#endingOn}). */
    public record Options(double scale, long seed, int threads, int batchSize, String runId, Timeline calendar,
                          Endpoints endpoints, Map<String, String> tokens, Duration tallyStall, PrintStream out) {
    }

    /**
     * What a run did: its campaign (to compare again later), the expected figures, the comparison, and how many actions
     * were acknowledged (all of them when the run is exact).
     */
    public record Result(int exitCode, String campaignId, Expected expected, Comparison comparison,
                         Map<String, String> caseIds, long acknowledged) {
    }

    /** Once the expected total shows, how long it must stay unchanged before the figures are compared. */
    static final Duration TALLY_SETTLE = Duration.ofSeconds(5);

    private Replay() {
    }

    public static Result run(Options o) throws Exception {
        PrintStream out = o.out();
        Matrix matrix = Matrix.of2020(o.scale(), o.seed());
        Expected expected = Expected.of(matrix);
        out.printf("replay: scale %s, seed %d: %,d actions (%,d without a case), %d cases × %d entities, run %s%n",
                o.scale(), o.seed(), matrix.total(), expected.withoutCase, expected.cases.size(), matrix.columns.size(), o.runId());
        Api api = new Api();
        ReplayCampaign campaign = ReplayCampaign.create(o.runId(), o.calendar(), api, o.endpoints(), o.tokens(), out);
        String[] caseIds = new String[matrix.rows.size()];
        boolean[] everyRow = new boolean[caseIds.length];
        Map<String, String> caseIdMap = new java.util.TreeMap<>();
        for (int r = 0; r < caseIds.length; r++) {
            String id = matrix.rows.get(r).id();
            everyRow[r] = true;
            caseIds[r] = Report2020.NO_CASE.equals(id) ? null : campaign.caseId(id);
            if (caseIds[r] != null) {
                caseIdMap.put(id, caseIds[r]);
            }
        }
        Traffic.Settings settings = Traffic.Settings.defaults(o.batchSize());
        AtomicLong signers = new AtomicLong();
        Sender sender = new Sender(api, o.endpoints().petition(), o.tokens());
        long started = System.nanoTime();
        long acknowledged;
        try (Progress progress = new Progress(matrix.total(), out, Duration.ofSeconds(2))) {
            sender.run(new Traffic(matrix, campaign.campaignId, caseIds, everyRow, settings, expected, o.runId(), signers,
                    o.seed() + 1, o.calendar())::next, o.threads(), progress);
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf("replay: sent %,d requests in %.1f s: %,d actions acknowledged (%,.0f actions/s); results %,d accepted "
                            + "(expected %,d), %,d duplicate (expected %,d); %,d retries replayed (expected %,d); %,d answers "
                            + "429 or 503 waited out and sent again; %d errors%n",
                    sender.requests.get(), seconds, progress.done.get(), progress.done.get() / seconds, sender.accepted.get(),
                    sender.expectedAccepted.get(), sender.duplicates.get(), sender.expectedDuplicates.get(),
                    sender.replayed.get(), sender.expectedReplayed.get(), sender.waitedOut.get(), sender.errors.size());
            acknowledged = progress.done.get();
        }
        sender.errors.stream().limit(20).forEach(e -> out.println("replay: error: " + e));
        out.println("replay: " + Bench.machine());
        awaitTally(() -> totals(api, o, campaign.campaignId).path("total").asLong(), expected.total, o.tallyStall(),
                TALLY_SETTLE, Duration.ofSeconds(1), started, out);
        Comparison comparison = compare(api, o, campaign.campaignId, expected, caseIdMap);
        comparison.print(out);
        boolean answersRight = sender.answersRight();
        if (!answersRight) {
            out.println("replay: some answers were not what they had to be (see above)");
        }
        return new Result(comparison.exact() && answersRight ? 0 : 1, campaign.campaignId, expected, comparison, caseIdMap,
                acknowledged);
    }

    /** The replay's campaign compared again (as after more traffic), with the expected figures of a run. */
    public static Comparison compare(Options o, Result run) throws Exception {
        return compare(new Api(), o, run.campaignId(), run.expected(), run.caseIds());
    }

    private static Comparison compare(Api api, Options o, String campaignId, Expected expected, Map<String, String> caseIds)
            throws Exception {
        Map<String, String> reportIds = new java.util.HashMap<>();
        caseIds.forEach((report, replay) -> reportIds.put(replay, report));
        JsonNode countries = api.get(o.endpoints().tally() + "/api/v1/totals/countries?campaign=" + campaignId,
                o.tokens().get("demo-coordinator")).expect(200).json();
        return Comparison.of(expected, totals(api, o, campaignId), countries, id -> reportIds.getOrDefault(id, id));
    }

    private static JsonNode totals(Api api, Options o, String campaignId) throws Exception {
        return api.get(o.endpoints().tally() + "/api/v1/totals?campaign=" + campaignId, o.tokens().get("demo-coordinator"))
                .expect(200).json();
    }

    /** The tally's total for the replay's campaign, read once. */
    interface TallyTotal {
        long read() throws Exception;
    }

    /**
     * Until the tally shows at least the expected total and has then not moved for {@code settle}, or has not moved
     * for {@code stall} below it; returns the last total read. Review of 6 December 2026: this returned the moment
     * the expected total was reached, so an action counted twice that arrived a moment later was never compared.
     */
    static long awaitTally(TallyTotal tally, long expectedTotal, Duration stall, Duration settle, Duration poll,
                           long started, PrintStream out) throws Exception {
        long last = -1, lastChange = System.nanoTime();
        boolean reached = false;
        while (true) {
            long total = tally.read(), now = System.nanoTime();
            if (total != last) {
                last = total;
                lastChange = now;
            }
            if (total >= expectedTotal) {
                if (!reached) {
                    reached = true;
                    out.printf("replay: the tally shows %,d actions, %.1f s after the first request%n", total,
                            (now - started) / 1e9);
                }
                if (now - lastChange >= settle.toNanos()) {
                    out.printf("replay: the tally at %,d actions, unchanged for %.1f s: comparing%n", total,
                            settle.toMillis() / 1e3);
                    return total;
                }
            } else if (now - lastChange > stall.toNanos()) {
                out.printf("replay: the tally stopped at %,d of %,d actions%n", total, expectedTotal);
                return total;
            }
            Thread.sleep(poll.toMillis()); // the full totals are a heavy query on a big tally: polling it must not slow the catch-up
        }
    }
}

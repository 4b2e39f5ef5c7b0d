package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.w4r.events.demo.ReportHandover;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's 2020 edition, so that what the demo shows of past deliveries is true: the 2020 campaign replayed at a
 * small scale through the public API into a closed campaign of its own ({@link Replay}), its solidarity messages
 * approved by the demo moderator, then the report's handovers recorded through delivery-service's API on that
 * campaign's cases at the report's dates. Each handover freezes what the replay put before its cut-off: real counts,
 * the tally's own. Their packs follow the retention schedule: the 2020 edition is long past its due date, so once
 * petition-service's schedule has anonymised it, they answer 410 pack-retired and keep their counts.
 */
public final class DemoEdition {
    /** The run id that names the edition: campaign {@code replay-2020}, cases {@code r2020-<case>}. */
    public static final String RUN_ID = "2020";
    public static final double SCALE = 0.001;

    /** One recorded handover of the edition: its delivery id, the case in the replay, and what it froze. */
    public record Handed(String deliveryId, String reportCaseId, String caseId, String kind, Instant cutoff, long total) {
    }

    private DemoEdition() {
    }

    /**
     * Loads what is missing of the edition: all of it, or, when its campaign is there but not its handovers (a run
     * stopped half-way), the handovers; nothing if both are there (./platform up runs this once, and again if the
     * first run failed). Returns the handovers recorded now.
     */
    public static List<Handed> loadOnce(Endpoints endpoints, String delivery, Map<String, String> tokens, PrintStream out)
            throws Exception {
        Api api = new Api();
        if (api.get(endpoints.cases() + "/api/v1/campaigns/replay-" + RUN_ID, require(tokens, "demo-case-manager")).status() != 200) {
            return load(endpoints, delivery, tokens, out);
        }
        Map<String, String> caseIds = new java.util.HashMap<>();
        Report2020.cases().forEach(row -> caseIds.put(row[0], "r" + RUN_ID + "-" + row[0]));
        JsonNode recorded = api.get(delivery + "/api/v1/deliveries?caseId=" + caseIds.get("el-hiblu-3"),
                require(tokens, "demo-delivery")).expect(200).json();
        if (!recorded.isEmpty()) {
            out.println("the demo's 2020 edition is loaded already");
            return List.of();
        }
        out.println("the 2020 edition's campaign is there but not its handovers: recording them");
        return recordHandovers(api, endpoints, delivery, tokens, caseIds, out);
    }

    /** Replays the edition, then approves its messages and records its handovers. */
    static List<Handed> load(Endpoints endpoints, String delivery, Map<String, String> tokens, PrintStream out)
            throws Exception {
        Replay.Result run = Replay.run(new Replay.Options(SCALE, 2020, 4, 1000, RUN_ID, new Timeline(), endpoints, tokens,
                java.time.Duration.ofSeconds(60), out));
        if (run.exitCode() != 0) {
            out.println("the 2020 edition's replay did not match every figure; its handovers are recorded all the same");
        }
        return recordHandovers(new Api(), endpoints, delivery, tokens, run.caseIds(), out);
    }

    /**
     * Approves the edition's solidarity messages (the moderator's step: only approved ones count in a solidarity
     * handover) and records each delivered row of the report as a plan and its handover at the row's date.
     */
    public static List<Handed> recordHandovers(Api api, Endpoints endpoints, String delivery, Map<String, String> tokens,
                                               Map<String, String> caseIds, PrintStream out) throws Exception {
        String deliveryTeam = require(tokens, "demo-delivery");
        List<Handed> handed = new ArrayList<>();
        for (ReportHandover row : rows().stream().map(ReportHandover::of).toList()) {
            String caseId = caseIds.get(row.caseId());
            if (caseId == null || !row.delivered()) {
                continue;
            }
            Instant date = row.firstDay();
            if ("solidarity".equals(row.kind())) {
                approveMessages(api, endpoints, require(tokens, "demo-moderator"), caseId, date);
            }
            ObjectNode plan = Json.object().put("caseId", caseId).put("kind", row.kind())
                    .put("plannedFor", date.toString());
            plan.putObject("recipient").put("kind", row.recipientKind()).put("name", row.recipient());
            if (row.city() != null || row.country() != null) {
                ObjectNode where = plan.putObject("place");
                if (row.city() != null) {
                    where.put("city", row.city());
                }
                if (row.country() != null) {
                    where.put("country", row.country());
                }
            }
            if (row.entityId() != null) {
                plan.put("entityId", row.entityId());
            }
            String id = api.post(delivery + "/api/v1/deliveries", deliveryTeam, null, Json.write(plan)).expect(201)
                    .json().get("id").asText();
            ObjectNode handover = Json.object().put("deliveredAt", date.toString()).put("cutoff", date.toString())
                    .put("deliveredBy", row.entityId() == null ? "Write for Rights 2020 (campaign report)" : row.entityId());
            if (row.note() != null) {
                handover.put("notes", row.note());
            }
            JsonNode recorded = recordWithRetry(api, delivery + "/api/v1/deliveries/" + id + "/handover", deliveryTeam,
                    Json.write(handover));
            long total = recorded.get("handover").get("total").asLong();
            handed.add(new Handed(id, row.caseId(), caseId, row.kind(), date, total));
            out.printf("2020 edition: %s %s handed over %s: %,d%n", row.caseId(), row.kind(), row.date(), total);
        }
        return handed;
    }

    /**
     * 503 counts-behind or case-stream-behind means "not yet" (delivery-service's ledger or case stream is still
     * catching up with the replay): ask again a second later, ten times at most, then fail with the answer.
     */
    private static JsonNode recordWithRetry(Api api, String url, String token, String body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Api.Answer answer = api.post(url, token, null, body);
            if (answer.status() != 503 || attempt == 10) {
                return answer.expect(200).json();
            }
            Thread.sleep(1000);
        }
    }

    private static void approveMessages(Api api, Endpoints endpoints, String moderator, String caseId, Instant until)
            throws Exception {
        while (true) {
            JsonNode page = api.get(endpoints.petition() + "/api/v1/messages?caseId=" + caseId + "&status=pending&until="
                    + until + "&limit=200", moderator).expect(200).json();
            JsonNode items = page.isArray() ? page : page.path("items");
            if (items.isEmpty()) {
                return;
            }
            for (JsonNode message : items) {
                api.post(endpoints.petition() + "/api/v1/messages/" + message.get("messageId").asText() + "/decision",
                        moderator, null, "{\"decision\":\"approve\"}").expect(200, 409);
            }
        }
    }

    static List<Map<String, String>> rows() {
        try (InputStream in = DemoEdition.class.getResourceAsStream("/w4r2020/handovers.csv")) {
            if (in == null) {
                throw new IllegalStateException("resource w4r2020/handovers.csv is missing");
            }
            MappingIterator<Map<String, String>> rows = new CsvMapper().readerFor(Map.class)
                    .with(CsvSchema.emptySchema().withHeader()).readValues(in);
            return rows.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String require(Map<String, String> tokens, String principal) {
        String token = tokens.get(principal);
        if (token == null) {
            throw new IllegalStateException("no demo credential for " + principal);
        }
        return token;
    }
}

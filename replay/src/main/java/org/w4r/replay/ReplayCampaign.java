package org.w4r.replay;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The replay's own campaign, made through case-service as a case manager would: the 2020 window, the ten cases
 * (ids prefixed with the run id), active. case-service refuses to add or activate cases in a campaign that has
 * already closed, so the campaign is created open until tomorrow and narrowed to the 2020 window once its cases are
 * active. Then it waits until petition-service and tally-service know all of it (reference data travels over Kafka).
 */
final class ReplayCampaign {
    private static final Duration PROPAGATION = Duration.ofSeconds(60);

    final String campaignId;
    private final String prefix;
    private final Api api;
    private final Endpoints endpoints;
    private final String manager, probeEntity;
    private final Instant opensAt, closesAt;
    /** Dated a month before the window: always refused, never stored, whatever window petition-service knows. */
    private final String probeBefore;

    private ReplayCampaign(String campaignId, String casePrefix, Instant opensAt, Instant closesAt, Api api,
                           Endpoints endpoints, Map<String, String> tokens) {
        this.campaignId = campaignId;
        this.prefix = casePrefix;
        this.opensAt = opensAt;
        this.closesAt = closesAt;
        this.probeBefore = opensAt.minus(Duration.ofDays(30)).toString();
        this.api = api;
        this.endpoints = endpoints;
        this.manager = require(tokens, "demo-case-manager");
        this.probeEntity = require(tokens, "ai-france");
    }

    String caseId(String reportId) {
        return prefix + reportId;
    }

    String reportId(String caseId) {
        return caseId.startsWith(prefix) ? caseId.substring(prefix.length()) : caseId;
    }

    /** The 2020 campaign's replay: its window on the calendar given (the 2020 one, or moved). */
    static ReplayCampaign create(String runId, Timeline calendar, Api api, Endpoints endpoints, Map<String, String> tokens,
                                 PrintStream out)
            throws Exception {
        return create("replay-" + runId, "r" + runId + "-", calendar.opensAt(), calendar.closesAt(), api, endpoints, tokens,
                out);
    }

    static ReplayCampaign create(String campaignId, String casePrefix, Instant opensAt, Instant closesAt, Api api,
                                 Endpoints endpoints, Map<String, String> tokens, PrintStream out) throws Exception {
        ReplayCampaign c = new ReplayCampaign(campaignId, casePrefix, opensAt, closesAt, api, endpoints, tokens);
        c.setUp(out);
        return c;
    }

    private void setUp(PrintStream out) throws Exception {
        String campaigns = endpoints.cases() + "/api/v1/campaigns";
        Instant initialClose = later(closesAt);
        api.post(campaigns, manager, null, Json.write(Json.object().put("campaignId", campaignId)
                .put("name", "Write for Rights 2020 (replay " + campaignId + ")")
                .put("opensAt", opensAt.toString())
                .put("closesAt", initialClose.toString()).put("current", false))).expect(201);
        List<String[]> cases = Report2020.cases();
        for (String[] row : cases) {
            String id = caseId(row[0]);
            api.post(endpoints.cases() + "/api/v1/cases", manager, null, Json.write(Json.object().put("caseId", id)
                    .put("campaignId", campaignId).put("name", row[1]).put("country", row[3])
                    .put("targetAuthority", "Authorities of " + row[2]).put("scope", "global")
                    .put("goal", Long.parseLong(row[4])).put("publicCounter", false))).expect(201);
            api.post(endpoints.cases() + "/api/v1/cases/" + id + "/status", manager, null, "{\"status\":\"active\"}").expect(200);
        }
        if (!initialClose.equals(closesAt)) {
            api.patch(campaigns + "/" + campaignId, manager,
                    Json.write(Json.object().put("closesAt", closesAt.toString()))).expect(200);
        }
        for (String[] row : cases) {
            String id = caseId(row[0]);
            Await.until("petition-service to know case " + id + " in its window", PROPAGATION,
                    () -> outsideWindow(id, probeBefore));
        }
        Await.until("petition-service to know campaign " + campaignId + " for actions without a case", PROPAGATION,
                () -> outsideWindow(null, probeBefore));
        Await.until("tally-service to know campaign " + campaignId, PROPAGATION, () -> {
            Api.Answer a = api.get(endpoints.tally() + "/api/v1/totals?campaign=" + campaignId, tokenForTally());
            return a.status() == 200 && a.json().path("cases").size() == cases.size();
        });
        out.println("replay: campaign " + campaignId + " (" + opensAt + " to " + closesAt
                + ") with " + cases.size() + " active cases " + prefix + "…, known to petition- and tally-service");
    }

    /** A window that has closed cannot take new cases: open it until tomorrow first, narrow it afterwards. */
    private static Instant later(Instant closesAt) {
        Instant tomorrow = Instant.now().plus(Duration.ofDays(1));
        return closesAt.isBefore(tomorrow) ? tomorrow.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) : closesAt;
    }

    private String tokenForTally() {
        return manager; // any staff token reads the totals
    }

    /**
     * A probe that stores nothing: an action dated before the window is refused with 422 outside-campaign-window
     * once petition-service knows the case as active in this campaign (404 or case-not-active before), and the
     * refusal names the window's end, so it also shows whether the narrowed window has arrived.
     */
    private boolean outsideWindow(String caseId, String occurredAt) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
        if (caseId != null) {
            body.put("caseId", caseId);
        } else {
            body.put("campaignId", campaignId);
        }
        Api.Answer a = api.post(endpoints.petition() + "/api/v1/actions", probeEntity, null,
                Json.write(body.put("type", "letter").put("occurredAt", occurredAt)));
        if (a.ok()) {
            throw new IllegalStateException("a probe dated " + occurredAt + " was accepted: " + a.body());
        }
        // the refusal names the window petition-service applies: it must already be the narrowed one
        return a.status() == 422 && "outside-campaign-window".equals(a.problemType())
                && campaignId.equals(a.json().path("campaignId").asText())
                && closesAt.equals(instant(a.json().path("closesAt")));
    }

    private static Instant instant(JsonNode value) {
        if (value.isNumber()) { // epoch seconds with nanoseconds as the fraction
            return Instant.ofEpochSecond(value.asLong(), value.decimalValue().remainder(java.math.BigDecimal.ONE)
                    .movePointRight(9).longValue());
        }
        return value.isTextual() ? Instant.parse(value.asText()) : null;
    }

    private static String require(Map<String, String> tokens, String principal) {
        String token = tokens.get(principal);
        if (token == null) {
            throw new IllegalStateException("no credentials for " + principal);
        }
        return token;
    }
}

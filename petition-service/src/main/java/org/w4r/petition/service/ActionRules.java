package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;

import java.time.Duration;
import java.time.Instant;

/** Whether an entity may record an action for a case at a time, from this service's read model of case-service. */
@ApplicationScoped
public class ActionRules {
    /** Clocks of entity back-ends drift; an action stamped a little in the future is still accepted. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    @Inject
    ReferenceData reference;

    @Inject
    CaseHistory history;

    /** The campaign the action counts for: the case's, or the current one for an action without a case. */
    public CampaignChanged check(String entityId, String caseId, Instant occurredAt) {
        return check(entityId, caseId, null, occurredAt);
    }

    /**
     * As above; {@code campaignId}, when given, names the campaign of an action without a case (a late report for
     * last year's edition), and must be the case's campaign when there is a case.
     */
    public CampaignChanged check(String entityId, String caseId, String campaignId, Instant occurredAt) {
        Window window = window(entityId, caseId, campaignId);
        if (!window.contains(occurredAt)) {
            CampaignChanged campaign = window.campaign();
            throw new ProblemException(Problem.of(422, "outside-campaign-window", "Outside the campaign window",
                    "campaign '" + campaign.campaignId() + "' takes actions from " + window.opens() + " until "
                            + window.closes() + "; this action is dated " + occurredAt)
                    .with("campaignId", campaign.campaignId()).with("opensAt", window.opens())
                    .with("closesAt", window.closes()));
        }
        return window.campaign();
    }

    /** The campaign an action of {@code entityId} counts for, and the window it takes actions in for that entity. */
    public record Window(CampaignChanged campaign, Instant opens, Instant closes) {
        public boolean contains(Instant t) {
            return !t.isBefore(opens) && t.isBefore(closes);
        }
    }

    /** What {@link #check} checks an action's date against, with the same refusals of the case or campaign. */
    public Window window(String entityId, String caseId, String campaignId) {
        CampaignChanged campaign;
        if (caseId == null && campaignId != null) {
            campaign = reference.findCampaign(campaignId).orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
        } else if (caseId == null) {
            campaign = reference.currentCampaign().orElseThrow(() -> new ProblemException(Problem.of(422,
                    "no-current-campaign", "No campaign is running", "no campaign is current; actions cannot be taken")));
        } else {
            CaseChanged c = reference.findCase(caseId).filter(known -> visibleTo(entityId, known))
                    .orElseThrow(() -> ProblemException.notFound("case", caseId));
            if (!"active".equals(c.status())) {
                // only a case this entity could see, closed since: it learns nothing it could not read before
                throw new ProblemException(Problem.of(422, "case-not-active", "Case not active",
                        "case '" + caseId + "' is " + c.status() + "; actions are taken only for active cases")
                        .with("caseId", caseId).with("caseStatus", c.status()));
            }
            campaign = reference.findCampaign(c.campaignId()).orElseThrow(() -> new ProblemException(Problem.of(422,
                    "campaign-unknown", "Campaign unknown", "the campaign of case '" + caseId + "' is not known")));
            if (campaignId != null && !campaignId.equals(c.campaignId())) {
                throw new ProblemException(Problem.of(422, "case-of-another-campaign", "Case of another campaign",
                        "case '" + caseId + "' belongs to campaign '" + c.campaignId() + "', not '" + campaignId + "'")
                        .with("caseId", caseId).with("campaignId", c.campaignId()));
            }
        }
        CampaignChanged found = campaign;
        Instant closes = campaign.extensions() == null ? campaign.closesAt() : campaign.extensions().stream()
                .filter(e -> e.entityId().equals(entityId)).map(CampaignChanged.Extension::closesAt)
                .filter(t -> t.isAfter(found.closesAt())).findFirst().orElse(campaign.closesAt());
        return new Window(campaign, campaign.opensAt(), closes);
    }

    /**
     * Whether {@code entityId} may learn that case {@code c} exists: what it is refused for must then be what an
     * unknown id is refused for (404 {@code not-found}, the same detail, no other field). Hidden: another entity's
     * local case, a draft (the entity's own local drafts too: a case manager may put one in its namespace), and a case
     * closed without this read model ever having seen it active (case-service has no delete: a draft dropped, because
     * publicity would endanger the person, is closed). Case ids are slugs of people's names, and until a read-only
     * security review (6 December 2026) any entity key told them from unknown ids by probing, a token a case, a
     * thousand a batch, nothing stored: 422 {@code case-not-active} with {@code caseStatus} draft or closed,
     * {@code case-of-another-entity}, and {@code case-of-another-campaign} naming the case's campaign. case-service
     * hides them on import and tally-service from the public and from entities ({@code PublicCounterRule}): the same
     * cases, told apart here by what {@link CaseHistory} saw, since a {@code CaseChanged} carries a case's state, not
     * its past.
     */
    boolean visibleTo(String entityId, CaseChanged c) {
        if ("local".equals(c.scope()) && !java.util.Objects.equals(entityId, c.localEntityId())) {
            return false;
        }
        return switch (c.status()) {
            case "active" -> true;
            case "closed" -> history.wasActive(c.caseId());
            default -> false; // a draft, or a status this version does not know
        };
    }

    /** Now, at the database's precision, so an instant read back equals the one published. */
    public static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    public Instant occurredAt(Instant requested, Instant now) {
        if (requested == null) {
            return now;
        }
        requested = requested.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (requested.isAfter(now.plus(CLOCK_SKEW))) {
            throw ProblemException.invalid("occurredAt", "occurredAt " + requested + " is in the future");
        }
        // An entity whose clock runs a little ahead (issue 14) reports an action that cannot have happened after it
        // reached us: it is dated now. Kept as sent, it was counted on a day that had not begun (a minute before
        // midnight UTC) and could fall past a campaign's close that the action itself did not pass.
        return requested.isAfter(now) ? now : requested;
    }
}

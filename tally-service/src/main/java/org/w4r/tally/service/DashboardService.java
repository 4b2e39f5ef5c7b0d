package org.w4r.tally.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.model.Handover;
import org.w4r.tally.model.Milestone;
import org.w4r.tally.repository.HandoverRepository;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the dashboard page reads besides the totals, from this service's read model and its copy of the deliveries. */
@ApplicationScoped
public class DashboardService {
    @Inject
    ReferenceData reference;

    @Inject
    CampaignService campaigns;

    @Inject
    HandoverRepository handovers;

    @Inject
    Milestones milestones;

    /** A campaign, the one before it (for "this campaign vs the previous one"), its cases by name, the entities' names. */
    public record Board(CampaignChanged campaign, CampaignChanged previous, List<CaseChanged> cases,
                        Map<String, String> entityNames) {
    }

    public Board board(String campaignId) {
        CampaignChanged campaign = campaigns.resolve(campaignId);
        CampaignChanged previous = reference.campaigns().stream()
                .filter(c -> c.opensAt() != null && campaign.opensAt() != null && c.opensAt().isBefore(campaign.opensAt()))
                .max(Comparator.comparing(CampaignChanged::opensAt)).orElse(null);
        List<CaseChanged> cases = reference.cases().stream().filter(c -> campaign.campaignId().equals(c.campaignId()))
                .sorted(Comparator.comparing(c -> c.name() == null ? c.caseId() : c.name()))
                .toList();
        Map<String, String> names = new TreeMap<>();
        reference.entities().forEach(e -> names.put(e.entityId(), e.name() == null ? e.entityId() : e.name()));
        return new Board(campaign, previous, cases, names);
    }

    /** Every campaign, newest first (a replay of 2020 is a campaign of its own). */
    public List<CampaignChanged> campaigns() {
        return reference.campaigns().stream()
                .sorted(Comparator.comparing(CampaignChanged::opensAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    /** The campaign's milestones, newest first (at most {@code limit}). */
    public List<Milestone> milestones(String campaignId, int limit) {
        return milestones.list(campaigns.resolve(campaignId).campaignId(), limit);
    }

    /** The case's deliveries as delivery-service announced them. */
    public List<Handover> handovers(String campaignId, String caseId) {
        return handovers.forCase(campaigns.resolve(campaignId).campaignId(), caseId);
    }
}

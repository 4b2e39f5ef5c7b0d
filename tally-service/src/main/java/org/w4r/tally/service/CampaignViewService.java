package org.w4r.tally.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.model.Handover;
import org.w4r.tally.repository.HandoverQueries;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the staff UI shows besides the totals: the campaigns, a campaign's cases with their holds, a case's handovers.
 * From this service's read model of the reference topics and its copy of the deliveries topic, so a hold or a
 * handover shows as soon as the stream carries it.
 */
@ApplicationScoped
public class CampaignViewService {
    @Inject
    ReferenceData reference;

    @Inject
    Campaigns campaigns;

    @Inject
    HandoverQueries handovers;

    public record CaseInfo(String caseId, String name, String country, String targetAuthority, String scope,
                           String localEntityId, Long goal, String status, CaseChanged.Hold hold) {
    }

    public record CampaignInfo(String campaignId, String name, Instant opensAt, Instant closesAt, boolean current) {
    }

    /** The campaign shown, the one before it (for "this campaign vs the previous one"), and its cases with holds. */
    public record CampaignCases(CampaignInfo campaign, CampaignInfo previous, List<CaseInfo> cases,
                                Map<String, String> entityNames) {
    }

    public CampaignCases cases(String campaignId) {
        CampaignChanged campaign = campaigns.resolve(campaignId);
        CampaignChanged previous = reference.campaigns().stream()
                .filter(c -> c.opensAt() != null && campaign.opensAt() != null && c.opensAt().isBefore(campaign.opensAt()))
                .max(Comparator.comparing(CampaignChanged::opensAt)).orElse(null);
        List<CaseInfo> cases = reference.cases().stream().filter(c -> campaign.campaignId().equals(c.campaignId()))
                .sorted(Comparator.comparing(c -> c.name() == null ? c.caseId() : c.name()))
                .map(c -> new CaseInfo(c.caseId(), c.name(), c.country(), c.targetAuthority(), c.scope(),
                        c.localEntityId(), c.goal(), c.status(), c.hold()))
                .toList();
        Map<String, String> names = new TreeMap<>();
        reference.entities().forEach(e -> names.put(e.entityId(), e.name() == null ? e.entityId() : e.name()));
        return new CampaignCases(info(campaign), previous == null ? null : info(previous), cases, names);
    }

    /** Every campaign, newest first (a replay of 2020 is a campaign of its own). */
    public List<CampaignInfo> campaigns() {
        return reference.campaigns().stream()
                .sorted(Comparator.comparing(CampaignChanged::opensAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(CampaignViewService::info).toList();
    }

    /** The case's deliveries as delivery-service announced them, in the order they happened. */
    public List<Handover> handovers(String campaignId, String caseId) {
        return handovers.forCase(campaigns.resolve(campaignId).campaignId(), caseId);
    }

    private static CampaignInfo info(CampaignChanged c) {
        return new CampaignInfo(c.campaignId(), c.name(), c.opensAt(), c.closesAt(), c.current());
    }
}

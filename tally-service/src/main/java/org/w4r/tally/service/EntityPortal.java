package org.w4r.tally.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.tally.repository.TallyRepository;
import org.w4r.tally.repository.TallyRepository.Dimension;
import org.w4r.tally.service.Views.EntityDetail;

import java.util.List;
import java.util.Map;

/**
 * What an entity's portal shows of one campaign, for that entity only: its own totals (and the previous campaign's),
 * its rank among the entities, and the cases it may count for. The entity is always the caller's own; nothing here
 * takes it from a request.
 */
@ApplicationScoped
public class EntityPortal {
    @Inject
    DashboardService dashboard;

    @Inject
    TotalsService totals;

    @Inject
    TallyRepository tally;

    /**
     * A place among the entities that counted something in the campaign: 1 + how many counted more. Null when the
     * entity counted nothing, as it is not in the ranking then. Only the position and how many are ranked: never who.
     */
    public record Rank(int position, int of) {
    }

    public record Portal(CampaignChanged campaign, CampaignChanged previous, EntityDetail totals,
                         EntityDetail previousTotals, Rank rank, Rank previousRank, List<CaseChanged> cases) {
    }

    public Portal of(String entityId, String campaignId) {
        DashboardService.Board board = dashboard.board(campaignId);
        CampaignChanged previous = board.previous();
        // the campaign's global cases and this entity's own local ones; another entity's local case is not its business
        // nor a draft, nor a closed case with nothing counted: perhaps a draft dropped (PublicCounterRule)
        Map<String, Long> counted = tally.totalsBy(board.campaign().campaignId(), Dimension.CASE);
        List<CaseChanged> cases = board.cases().stream()
                .filter(c -> !"draft".equals(c.status()))
                .filter(c -> !PublicCounterRule.neverCounted(c, counted.getOrDefault(c.caseId(), 0L)))
                .filter(c -> !"local".equals(c.scope()) || entityId.equals(c.localEntityId()))
                .toList();
        return new Portal(board.campaign(), previous, totals.entityDetail(board.campaign(), entityId),
                previous == null ? null : totals.entityDetail(previous, entityId),
                rank(board.campaign(), entityId), previous == null ? null : rank(previous, entityId), cases);
    }

    private Rank rank(CampaignChanged campaign, String entityId) {
        Map<String, Long> byEntity = tally.totalsBy(campaign.campaignId(), Dimension.ENTITY);
        long own = byEntity.getOrDefault(entityId, 0L);
        if (own <= 0) {
            return null;
        }
        long ranked = byEntity.values().stream().filter(n -> n > 0).count();
        long ahead = byEntity.values().stream().filter(n -> n > own).count();
        return new Rank((int) ahead + 1, (int) ranked);
    }
}

package org.w4r.tally.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.tally.repository.TallyRepository;
import org.w4r.tally.repository.TallyRepository.Dimension;
import org.w4r.tally.service.Views.EntityDetail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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

    @ConfigProperty(name = "w4r.tally.entity-portal.fresh-for", defaultValue = "PT5S")
    Duration freshFor;

    /**
     * What the portal reads from the database, kept {@code freshFor}: a campaign's totals by case and by entity (shared
     * by every entity) and an entity's own detail. Each request read eleven grouped statements, from the pool the
     * counting shares, and an entity key's reads are not rate-limited: a leaked key could hold the counting back by
     * asking again and again (a read-only review, 7 December 2026). Bounded by the campaigns that exist times the
     * entities with a key; the cases and their holds are read from memory at each request, never kept here.
     */
    private RecentReads<List<String>, Object> recent;

    @Inject
    void start(MeterRegistry registry) {
        recent = new RecentReads<>(registry, "w4r.tally.entity_portal.reads",
                "The entity portal's reads of totals from the database (each at most once per fresh-for)", freshFor, 10_000);
    }

    @SuppressWarnings("unchecked")
    private <T> T recent(Supplier<T> read, String... key) {
        return (T) recent.get(List.of(key), k -> read.get());
    }

    public Portal of(String entityId, String campaignId) {
        DashboardService.Board board = dashboard.board(campaignId);
        CampaignChanged previous = board.previous();
        String current = board.campaign().campaignId();
        // the campaign's global cases and this entity's own local ones; another entity's local case is not its business
        // nor a draft, nor a closed case with nothing counted: perhaps a draft dropped (PublicCounterRule)
        Map<String, Long> counted = recent(() -> tally.totalsBy(current, Dimension.CASE), "case", current);
        List<CaseChanged> cases = board.cases().stream()
                .filter(c -> !"draft".equals(c.status()))
                .filter(c -> !PublicCounterRule.neverCounted(c, counted.getOrDefault(c.caseId(), 0L)))
                .filter(c -> !"local".equals(c.scope()) || entityId.equals(c.localEntityId()))
                .toList();
        return new Portal(board.campaign(), previous, detail(board.campaign(), entityId),
                previous == null ? null : detail(previous, entityId),
                rank(board.campaign(), entityId), previous == null ? null : rank(previous, entityId), cases);
    }

    private EntityDetail detail(CampaignChanged campaign, String entityId) {
        return recent(() -> totals.entityDetail(campaign, entityId), "detail", campaign.campaignId(), entityId);
    }

    private Rank rank(CampaignChanged campaign, String entityId) {
        Map<String, Long> byEntity = recent(() -> tally.totalsBy(campaign.campaignId(), Dimension.ENTITY), "entity",
                campaign.campaignId());
        long own = byEntity.getOrDefault(entityId, 0L);
        if (own <= 0) {
            return null;
        }
        long ranked = byEntity.values().stream().filter(n -> n > 0).count();
        long ahead = byEntity.values().stream().filter(n -> n > own).count();
        return new Rank((int) ahead + 1, (int) ranked);
    }
}

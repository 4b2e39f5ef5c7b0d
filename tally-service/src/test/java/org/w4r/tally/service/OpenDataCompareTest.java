package org.w4r.tally.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.TallyRepository;
import org.w4r.tally.repository.TallyRepository.Dimension;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The open-data comparison reads a campaign's sums once. Until a read-only review (6 December 2026) it read them for
 * the campaign's answer and again for its days; the sums are cached for {@code fresh-for} (10 s), so when the entry
 * expired between the two reads one answer mixed two states of the tally. Shown here without waiting for a clock: a
 * fresh-for of zero makes every read of the sums a read of the database, and the tally grows by one action per read.
 */
class OpenDataCompareTest {
    static final String CAMPAIGN = "w4r-compare";
    static final String CASE = "compare-case";
    static final Instant OPENS = Instant.parse("2026-11-20T00:00:00Z");

    /** One open case whose signatures, all on the campaign's third day, grow by one each time the sums are read. */
    static final class GrowingTally extends TallyRepository {
        int reads;

        @Override
        public Map<String, Map<String, Long>> totalsByCase(String campaignId, Dimension dimension) {
            if (dimension == Dimension.TYPE) {
                reads++; // the first of the four statements of one read of the sums (OpenDataService.Sums.READ)
            }
            long n = 3 + reads;
            Map<String, Long> values = switch (dimension) {
                case TYPE -> Map.of("signature", n);
                case MODE -> Map.of("online", n);
                case COUNTRY -> Map.of("FR", n);
                case DAY -> Map.of("2026-11-22", n);
                default -> throw new IllegalArgumentException(dimension.name());
            };
            return Map.of(CASE, values);
        }
    }

    static final class OneCampaign extends ReferenceData {
        final CampaignChanged campaign = new CampaignChanged(UUID.randomUUID(), CAMPAIGN, "Write for Rights", OPENS,
                OPENS.plus(Duration.ofDays(120)), true, List.of(), OPENS);
        final CaseChanged theCase = new CaseChanged(UUID.randomUUID(), CASE, CAMPAIGN, "Name of the case", "MT",
                "Authorities", "global", null, 100L, "active", true, null, 1L, OPENS);

        @Override
        public Optional<CampaignChanged> findCampaign(String campaignId) {
            return Optional.of(campaign).filter(c -> c.campaignId().equals(campaignId));
        }

        @Override
        public Optional<CaseChanged> findCase(String caseId) {
            return Optional.of(theCase).filter(c -> c.caseId().equals(caseId));
        }

        @Override
        public Collection<CaseChanged> cases() {
            return List.of(theCase);
        }
    }

    @Test
    void oneComparisonIsOneReadOfEachCampaignsSums() {
        OpenDataService service = new OpenDataService();
        GrowingTally tally = new GrowingTally();
        service.tally = tally;
        service.reference = new OneCampaign();
        service.freshFor = Duration.ZERO;
        service.start(new SimpleMeterRegistry());

        OpenDataService.Comparison comparison = service.compare(List.of(CAMPAIGN));

        assertEquals(1, tally.reads, "reads of the sums for one campaign's comparison");
        long days = comparison.rows().stream().filter(r -> r.dimension().equals("day-of-campaign"))
                .mapToLong(r -> r.totals().get(0)).sum();
        assertEquals(comparison.totals().get(0), days, "the days add up to the total beside them: " + comparison);
        assertEquals(List.of(new OpenDataService.Row("day-of-campaign", "2", List.of(4L))),
                comparison.rows().stream().filter(r -> r.dimension().equals("day-of-campaign")).toList());
    }
}

package org.w4r.petition.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.w4r.petition.model.OfflineCorrection;
import org.w4r.petition.model.OfflineCount;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Offline counts and their corrections: a ledger, never edited. */
@ApplicationScoped
public class OfflineCountRepository implements PanacheRepositoryBase<OfflineCount, UUID> {
    @Inject
    OfflineCorrectionRepository corrections;

    /** The entry, locked until the transaction ends, so two corrections are summed one after the other. */
    public OfflineCount lockForCorrection(UUID offlineCountId) {
        return findById(offlineCountId, LockModeType.PESSIMISTIC_WRITE);
    }

    public void persist(OfflineCorrection correction) {
        corrections.persist(correction);
    }

    /** The sum of the entry's corrections, those of this transaction included. */
    public long sumOfCorrections(UUID offlineCountId) {
        corrections.flush(); // entities are written at commit: an earlier correction of this transaction must count
        Long sum = corrections.find("select coalesce(sum(delta), 0) from OfflineCorrection where actionId = ?1", offlineCountId)
                .project(Long.class).firstResult();
        return sum == null ? 0 : sum;
    }

    public List<OfflineCorrection> correctionsOf(UUID offlineCountId) {
        return corrections.list("actionId = ?1 order by recordedAt", offlineCountId);
    }

    /** One entity's entries, newest first, optionally of one campaign and/or one case; at most {@code limit}. */
    public List<OfflineCount> listOf(String entityId, String campaignId, String caseId, int limit) {
        StringBuilder query = new StringBuilder("entityId = :entity");
        Map<String, Object> params = new HashMap<>(Map.of("entity", entityId));
        if (campaignId != null) {
            query.append(" and campaignId = :campaign");
            params.put("campaign", campaignId);
        }
        if (caseId != null) {
            query.append(" and caseId = :case");
            params.put("case", caseId);
        }
        return find(query + " order by recordedAt desc, actionId", params).page(0, limit).list();
    }

    /** The corrections of these entries, oldest first, in one query rather than one per entry. */
    public List<OfflineCorrection> correctionsOf(Collection<UUID> offlineCountIds) {
        if (offlineCountIds.isEmpty()) {
            return List.of();
        }
        return corrections.list("actionId in ?1 order by recordedAt", offlineCountIds);
    }

}

package org.w4r.petition.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A correction of an offline count: a new ledger entry. */
@Entity
@Table(name = "offline_correction")
public class OfflineCorrection extends PanacheEntityBase {
    @Id
    @Column(name = "correction_id")
    public UUID correctionId;
    @Column(name = "action_id")
    public UUID actionId;
    public long delta;
    public String reason;
    @Column(name = "recorded_at")
    public Instant recordedAt;

    public static long sumFor(UUID actionId) {
        Long sum = find("select coalesce(sum(delta), 0) from OfflineCorrection where actionId = ?1", actionId)
                .project(Long.class).firstResult();
        return sum == null ? 0 : sum;
    }
}

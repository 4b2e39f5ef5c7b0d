package org.w4r.petition.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A correction of an offline count: a new ledger entry. */
@Entity
@Table(name = "offline_correction")
public class OfflineCorrection {
    @Id
    @Column(name = "correction_id")
    public UUID correctionId;
    @Column(name = "action_id")
    public UUID actionId;
    public long delta;
    public String reason;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}

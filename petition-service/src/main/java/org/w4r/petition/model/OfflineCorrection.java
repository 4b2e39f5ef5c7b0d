package org.w4r.petition.model;

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
    public UUID correctionId;
    public UUID actionId;
    public long delta;
    public String reason;
    public Instant recordedAt;
}

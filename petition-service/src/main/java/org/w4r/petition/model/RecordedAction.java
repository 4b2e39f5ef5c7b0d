package org.w4r.petition.model;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;
import java.util.UUID;

/**
 * What every stored action (a message, an online action, an offline count) has, in the columns of each table: the id of
 * the event it is announced by, where it counts and when. Signatures are written without Hibernate, in batches.
 */
@MappedSuperclass
public abstract class RecordedAction {
    @Id
    @Column(name = "action_id")
    public UUID actionId;
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "case_id")
    public String caseId;
    @Column(name = "entity_id")
    public String entityId;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    @Column(name = "recorded_at")
    public Instant recordedAt;

    /** A new action: a fresh id, where it counts ({@code caseId} null for none) and when. */
    public void record(String campaignId, String caseId, String entityId, Instant occurredAt, Instant recordedAt) {
        this.actionId = UUID.randomUUID();
        this.campaignId = campaignId;
        this.caseId = caseId;
        this.entityId = entityId;
        this.occurredAt = occurredAt;
        this.recordedAt = recordedAt;
    }
}

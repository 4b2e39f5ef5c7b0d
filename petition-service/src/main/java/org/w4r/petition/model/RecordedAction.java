package org.w4r.petition.model;

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
    public UUID actionId;
    public String campaignId;
    public String caseId;
    public String entityId;
    public Instant occurredAt;
    public Instant recordedAt;

    /** A new action: a fresh id, where it counts ({@code caseId} null for none) and when. */
    public void record(String campaignId, String caseId, String entityId, Instant occurredAt, Instant recordedAt) {
        this.actionId = ActionIds.next();
        this.campaignId = campaignId;
        this.caseId = caseId;
        this.entityId = entityId;
        this.occurredAt = occurredAt;
        this.recordedAt = recordedAt;
    }
}

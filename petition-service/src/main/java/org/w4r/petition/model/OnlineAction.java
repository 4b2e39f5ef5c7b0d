package org.w4r.petition.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An accepted online action other than a signature or message. */
@Entity
@Table(name = "online_action")
public class OnlineAction {
    @Id
    @Column(name = "action_id")
    public UUID actionId;
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "case_id")
    public String caseId;
    @Column(name = "entity_id")
    public String entityId;
    public String type;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}

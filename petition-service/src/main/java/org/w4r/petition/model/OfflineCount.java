package org.w4r.petition.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A count reported after an offline event: a ledger entry, never edited. */
@Entity
@Table(name = "offline_count")
public class OfflineCount {
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
    public long count;
    @Column(name = "event_name")
    public String eventName;
    @Column(name = "event_date")
    public LocalDate eventDate;
    @Column(name = "event_place")
    public String eventPlace;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}

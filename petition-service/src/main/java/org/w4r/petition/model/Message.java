package org.w4r.petition.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A solidarity message and where it stands in moderation. */
@Entity
@Table(name = "message")
public class Message {
    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";

    @Id
    @Column(name = "action_id")
    public UUID actionId;
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "case_id")
    public String caseId;
    @Column(name = "entity_id")
    public String entityId;
    @Column(name = "author_name")
    public String authorName;
    @Column(name = "author_country")
    public String authorCountry;
    /** The keyed hash of the author's email, when the entity gave one: what an erasure request finds them by. */
    @Column(name = "author_email_hmac")
    public String authorEmailHmac;
    public String text;
    public String language;
    public String status;
    @Column(name = "reviewed_by")
    public String reviewedBy;
    @Column(name = "reviewed_at")
    public Instant reviewedAt;
    @Column(name = "review_reason")
    public String reviewReason;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    @Column(name = "recorded_at")
    public Instant recordedAt;
    /** Set when its author asked to be forgotten: author and text are gone; it still counts, but is never delivered. */
    @Column(name = "erased_at")
    public Instant erasedAt;
}

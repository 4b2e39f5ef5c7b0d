package org.w4r.petition.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/** A solidarity message and where it stands in moderation. */
@Entity
@Table(name = "message")
public class Message extends RecordedAction {
    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";

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
    /** Set when its author asked to be forgotten: author and text are gone; it still counts, but is never delivered. */
    @Column(name = "erased_at")
    public Instant erasedAt;
}

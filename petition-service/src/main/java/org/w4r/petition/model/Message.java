package org.w4r.petition.model;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A solidarity message and where it stands in moderation. */
@Entity
@Table(name = "message")
public class Message extends RecordedAction {
    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";

    public String authorName;
    public String authorCountry;
    /**
     * The keyed hash of the author's email, when the entity gave one: what an erasure request finds them by. Its 32
     * bytes (V26), as the column holds them, so a native {@code select *} of messages loads it as it is.
     */
    public byte[] authorEmailHmac;
    public String text;
    public String language;
    public String status;
    public String reviewedBy;
    public Instant reviewedAt;
    public String reviewReason;
    /** Set when its author asked to be forgotten: author and text are gone; it still counts, but is never delivered. */
    public Instant erasedAt;
    /**
     * Whether its rejection was for abuse, which took it out of the counts: null while pending, or for a review older
     * than the audit trail (V27), whose rejection may have: a bulk invalidation never selects that one.
     */
    public Boolean abuse;
    /** The bulk invalidation that took it out of the counts; null unless one did (and until its reversal). */
    public UUID invalidationId;
}

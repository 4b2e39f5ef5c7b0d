package org.w4r.cases.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.List;

/** A case: a person or group at risk the campaign acts for ("case" is a Java keyword, hence the name). */
@Entity(name = "CaseFile")
@Table(name = "case_file")
public class CaseFile extends PanacheEntityBase {
    @Id
    public String id;
    public String campaignId;
    public String name;
    public String country;
    public String targetAuthority;
    /** What the campaign asks the target authority for this case, in public wording (the delivery pack's cover). */
    public String demand;
    public String scope;
    public String localEntityId;
    public Long goal;
    /** Percentages of the goal at which a milestone is announced, ascending; null: the platform's default. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<Integer> milestones;
    public String status;
    public boolean publicCounter;
    public String holdReason;
    public String holdPlacedBy;
    public Long holdId;
    public Instant holdPlacedAt;
    public Instant changedAt;
    /** Bumped by every committed change: a concurrent edit of the same case fails instead of overwriting it. */
    @Version
    public long version;
    /** The order readers keep (see V3_1__case_revision.sql); set by {@code ReferencePublisher} on every change. */
    public long revision;

    public boolean onHold() {
        return holdPlacedAt != null;
    }

    /** The case as under {@code hold}, which is already stored (the case keeps its id to lift it by). */
    public void heldBy(CaseHold hold) {
        holdId = hold.id;
        holdReason = hold.reason;
        holdPlacedBy = hold.placedBy;
        holdPlacedAt = hold.placedAt;
        changedAt = hold.placedAt;
    }

    /** The case as no longer held, from {@code at}. */
    public void released(Instant at) {
        holdId = null;
        holdReason = null;
        holdPlacedBy = null;
        holdPlacedAt = null;
        changedAt = at;
    }
}

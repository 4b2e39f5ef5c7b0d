package org.w4r.cases.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** A case: a person or group at risk the campaign acts for ("case" is a Java keyword, hence the name). */
@Entity(name = "CaseFile")
@Table(name = "case_file")
public class CaseFile extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "campaign_id")
    public String campaignId;
    public String name;
    public String country;
    @Column(name = "target_authority")
    public String targetAuthority;
    public String scope;
    @Column(name = "local_entity_id")
    public String localEntityId;
    public Long goal;
    public String status;
    @Column(name = "public_counter")
    public boolean publicCounter;
    @Column(name = "hold_reason")
    public String holdReason;
    @Column(name = "hold_placed_by")
    public String holdPlacedBy;
    @Column(name = "hold_id")
    public Long holdId;
    @Column(name = "hold_placed_at")
    public Instant holdPlacedAt;
    @Column(name = "changed_at")
    public Instant changedAt;
    /** Bumped by every committed change: a concurrent edit of the same case fails instead of overwriting it. */
    @Version
    public long version;
    /** The order readers keep (see V3_1__case_revision.sql); set by {@code ReferencePublisher} on every change. */
    public long revision;

    public boolean onHold() {
        return holdPlacedAt != null;
    }
}

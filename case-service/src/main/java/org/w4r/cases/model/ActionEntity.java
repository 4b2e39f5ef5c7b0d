package org.w4r.cases.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/** A national entity (section, structure, regional office) or the catch-all for supporters with none. */
@Entity(name = "Entity")
@Table(name = "entity")
public class ActionEntity extends PanacheEntityBase {
    public static final String CATCH_ALL_ID = "international-members";

    @Id
    public String id;
    public String name;
    public String country;
    public String kind;
    public Instant changedAt;
    /** Bumped by every committed change of the row: the ETag an edit's If-Match names. */
    @Version
    public long version;
}

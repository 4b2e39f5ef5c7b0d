package org.w4r.cases.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.Optional;

/** An edition of the campaign, with the window in which actions may be taken. */
@Entity
@Table(name = "campaign")
public class Campaign extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    public Instant opensAt;
    public Instant closesAt;
    public boolean current;
    public Instant changedAt;
    /**
     * Bumped by every committed change of the row (an edit, an extension, becoming or ceasing to be current): the
     * ETag an edit's If-Match names.
     */
    @Version
    public long version;

    public static Optional<Campaign> findCurrent() {
        return find("current = true order by changedAt desc").firstResultOptional();
    }
}

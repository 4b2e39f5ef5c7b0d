package org.w4r.cases.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** An edition of the campaign, with the window in which actions may be taken. */
@Entity
@Table(name = "campaign")
public class Campaign extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    @Column(name = "opens_at")
    public Instant opensAt;
    @Column(name = "closes_at")
    public Instant closesAt;
    public boolean current;
    @Column(name = "changed_at")
    public Instant changedAt;

    public static Optional<Campaign> findCurrent() {
        return find("current = true order by changedAt desc").firstResultOptional();
    }
}

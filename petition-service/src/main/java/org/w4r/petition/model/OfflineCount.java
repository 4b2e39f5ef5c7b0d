package org.w4r.petition.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** A count reported after an offline event: a ledger entry, never edited. */
@Entity
@Table(name = "offline_count")
public class OfflineCount extends RecordedAction {
    public String type;
    public long count;
    @Column(name = "event_name")
    public String eventName;
    @Column(name = "event_date")
    public LocalDate eventDate;
    @Column(name = "event_place")
    public String eventPlace;
}

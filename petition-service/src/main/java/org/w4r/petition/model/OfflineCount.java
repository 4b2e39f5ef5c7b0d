package org.w4r.petition.model;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** A count reported after an offline event: a ledger entry, never edited. */
@Entity
@Table(name = "offline_count")
public class OfflineCount extends RecordedAction {
    public String type;
    public long count;
    public String eventName;
    public LocalDate eventDate;
    public String eventPlace;
}

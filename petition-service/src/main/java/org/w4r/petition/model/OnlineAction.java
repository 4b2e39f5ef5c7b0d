package org.w4r.petition.model;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** An accepted online action other than a signature or message. */
@Entity
@Table(name = "online_action")
public class OnlineAction extends RecordedAction {
    public String type;
}

package org.w4r.cases.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/** A later close of a campaign for one entity. */
@Entity
@Table(name = "campaign_extension")
@IdClass(CampaignExtension.Key.class)
public class CampaignExtension extends PanacheEntityBase {
    @Id
    public String campaignId;
    @Id
    public String entityId;
    public Instant closesAt;

    public static List<CampaignExtension> of(String campaignId) {
        return list("campaignId = ?1 order by entityId", campaignId);
    }

    public record Key(String campaignId, String entityId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}

package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.cases.messaging.ReferencePublisher;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CampaignExtension;
import org.w4r.kit.problem.ProblemException;

import java.time.Instant;

/** Campaigns (editions): their window, which one is current, and per-entity extensions. */
@ApplicationScoped
public class CampaignService {
    @Inject
    ReferencePublisher publisher;

    public record CampaignInput(String campaignId, String name, Instant opensAt, Instant closesAt, Boolean current) {
    }

    @Transactional
    public Campaign create(CampaignInput input) {
        Campaign c = new Campaign();
        c.id = Validation.slug("campaignId", input.campaignId());
        if (Campaign.findById(c.id) != null) {
            throw ProblemException.conflict("duplicate-id", "Duplicate campaign", "campaign '" + c.id + "' exists already");
        }
        c.name = Validation.text("name", input.name(), 200);
        window(Validation.instant("opensAt", input.opensAt()), Validation.instant("closesAt", input.closesAt()));
        c.opensAt = input.opensAt();
        c.closesAt = input.closesAt();
        c.changedAt = Instant.now();
        c.persist();
        if (Boolean.TRUE.equals(input.current())) {
            makeCurrent(c);
        }
        publisher.campaign(c);
        return c;
    }

    @Transactional
    public Campaign update(String campaignId, CampaignInput input) {
        Campaign c = find(campaignId);
        if (input.name() != null) {
            c.name = Validation.text("name", input.name(), 200);
        }
        Instant opens = input.opensAt() != null ? Validation.instant("opensAt", input.opensAt()) : c.opensAt;
        Instant closes = input.closesAt() != null ? Validation.instant("closesAt", input.closesAt()) : c.closesAt;
        window(opens, closes);
        c.opensAt = opens;
        c.closesAt = closes;
        c.changedAt = Instant.now();
        if (Boolean.TRUE.equals(input.current())) {
            makeCurrent(c);
        } else if (Boolean.FALSE.equals(input.current())) {
            c.current = false;
        }
        publisher.campaign(c);
        return c;
    }

    @Transactional
    public CampaignExtension extend(String campaignId, String entityId, Instant closesAt) {
        Validation.optionalInstant("closesAt", closesAt);
        Campaign c = find(campaignId);
        EntityService.find(entityId);
        if (closesAt == null || !closesAt.isAfter(c.closesAt)) {
            throw ProblemException.invalid("closesAt", "an extension must close after the campaign (" + c.closesAt + ")");
        }
        CampaignExtension e = CampaignExtension.findById(new CampaignExtension.Key(campaignId, entityId));
        if (e == null) {
            e = new CampaignExtension();
            e.campaignId = campaignId;
            e.entityId = entityId;
        }
        e.closesAt = closesAt;
        e.persist();
        c.changedAt = Instant.now();
        publisher.campaign(c);
        return e;
    }

    @Transactional
    public void removeExtension(String campaignId, String entityId) {
        Campaign c = find(campaignId);
        Validation.existingId("extension", entityId);
        if (!CampaignExtension.deleteById(new CampaignExtension.Key(campaignId, entityId))) {
            throw ProblemException.notFound("extension", campaignId + "/" + entityId);
        }
        c.changedAt = Instant.now();
        publisher.campaign(c);
    }

    public static Campaign find(String campaignId) {
        Campaign c = Campaign.findById(Validation.existingId("campaign", campaignId));
        if (c == null) {
            throw ProblemException.notFound("campaign", campaignId);
        }
        return c;
    }

    /** Only one campaign is current: the previous one stops being so, and says so on the stream. */
    private void makeCurrent(Campaign c) {
        for (Campaign other : Campaign.<Campaign>list("current = true and id <> ?1", c.id)) {
            other.current = false;
            other.changedAt = Instant.now();
            publisher.campaign(other);
        }
        c.current = true;
    }

    private static void window(Instant opens, Instant closes) {
        if (opens == null || closes == null) {
            throw ProblemException.invalid("opensAt", "'opensAt' and 'closesAt' are required (ISO-8601 instants)");
        }
        if (!closes.isAfter(opens)) {
            throw ProblemException.invalid("closesAt", "'closesAt' must be after 'opensAt'");
        }
    }
}

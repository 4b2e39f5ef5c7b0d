package org.w4r.tally.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CampaignChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;

/** Resolves the campaign a query is about: the named one, or the current one. */
@ApplicationScoped
public class CampaignService {
    @Inject
    ReferenceData reference;

    public CampaignChanged resolve(String campaignId) {
        if (campaignId == null || campaignId.isBlank()) {
            return reference.currentCampaign().orElseThrow(() -> new ProblemException(Problem.of(404,
                    "no-current-campaign", "No current campaign", "no campaign is current; name one with ?campaign=")));
        }
        return reference.findCampaign(campaignId).orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
    }
}

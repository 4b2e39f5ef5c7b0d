package org.w4r.petition.rest;

import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.service.Inputs;
import org.w4r.petition.service.OfflineCountService;
import org.w4r.petition.service.OnlineActionService;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A count reported after an offline event (1,250 letters written at a school): a ledger entry, never edited.
 * {@code campaignId} is optional: the case's campaign, or the current one for a count without a case.
 */
public record OfflineCountRequest(String caseId, String type, Long count,
                                  Event event, String campaignId) {

    public record Event(String name, LocalDate date, String place) {
    }

    /** The count, once every field is checked (texts trimmed). */
    OfflineCountService.NewOfflineCount toOfflineCount() {
        var actionType = OnlineActionService.type(type, OfflineCountService.TYPES);
        long n = Inputs.count("count", count, OfflineCountService.MAX_COUNT, false);
        if (event == null) {
            throw ProblemException.invalid("event", "'event' with 'name' and 'date' is required");
        }
        String name = Inputs.text("event.name", event.name(), 300);
        String place = Inputs.optionalText("event.place", event.place(), 300);
        if (event.date() == null) {
            throw ProblemException.invalid("event.date", "'event.date' is required (YYYY-MM-DD)");
        }
        Inputs.date("event.date", event.date());
        String id = Inputs.caseId(caseId);
        String campaign = Inputs.optionalId("campaignId", campaignId);
        if (event.date().isAfter(Instant.now().atZone(ZoneOffset.UTC).toLocalDate())) {
            throw ProblemException.invalid("event.date", "'event.date' is in the future");
        }
        return new OfflineCountService.NewOfflineCount(id, actionType, n, name, event.date(), place, campaign);
    }
}

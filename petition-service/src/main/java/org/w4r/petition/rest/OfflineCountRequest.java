package org.w4r.petition.rest;


import java.time.LocalDate;

/**
 * A count reported after an offline event (1,250 letters written at a school): a ledger entry, never edited.
 * {@code campaignId} is optional: the case's campaign, or the current one for a count without a case.
 */
public record OfflineCountRequest(String caseId, String type, Long count,
                                  Event event, String campaignId) {

    public record Event(String name, LocalDate date, String place) {
    }
}

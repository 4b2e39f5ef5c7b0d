package org.w4r.petition.rest;

import java.time.LocalDate;

/** A count reported after an offline event (1,250 letters written at a school): a ledger entry, never edited. */
public record OfflineCountRequest(String caseId, String type, Long count, Event event) {

    public record Event(String name, LocalDate date, String place) {
    }
}

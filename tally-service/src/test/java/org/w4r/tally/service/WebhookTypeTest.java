package org.w4r.tally.service;

import org.junit.jupiter.api.Test;
import org.w4r.tally.repository.WebhookRepository.CaseState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.tally.service.WebhookService.CASE_CHANGED;
import static org.w4r.tally.service.WebhookService.CASE_CLOSED;
import static org.w4r.tally.service.WebhookService.CASE_HELD;
import static org.w4r.tally.service.WebhookService.CASE_RELEASED;
import static org.w4r.tally.service.WebhookService.stateAfter;
import static org.w4r.tally.service.WebhookService.toldToEntities;
import static org.w4r.tally.service.WebhookService.typeOf;

/**
 * Which webhook a change of a case is, from what its sites were last told (no Quarkus). A draft's hold is not
 * something a site heard of: a draft activated while held was {@code case.changed} and its release later
 * {@code case.released} of a hold no site knew (a review, 6 December 2026).
 */
class WebhookTypeTest {
    @Test
    void aStateTheSitesWereNotToldIsNoBefore() {
        CaseState heldDraft = new CaseState(2, 11L, "draft");
        assertEquals(CASE_HELD, typeOf(heldDraft, 11L, "active"), "activated still held");
        assertEquals(CASE_CHANGED, typeOf(heldDraft, null, "active"), "activated as its hold is lifted: no release");
        assertEquals(CASE_CHANGED, typeOf(new CaseState(2, null, "draft"), null, "active"));
        assertEquals(CASE_HELD, typeOf(new CaseState(2, 11L, "draft"), 12L, "active"));
    }

    @Test
    void aStateTheSitesWereToldIsTheBefore() {
        assertEquals(CASE_HELD, typeOf(null, 11L, "active"), "first seen held");
        assertEquals(CASE_CHANGED, typeOf(null, null, "active"));
        assertEquals(CASE_HELD, typeOf(new CaseState(2, null, "active"), 11L, "active"));
        assertEquals(CASE_CHANGED, typeOf(new CaseState(2, 11L, "active"), 11L, "active"), "still held, edited");
        assertEquals(CASE_HELD, typeOf(new CaseState(2, 11L, "active"), 12L, "active"), "another hold");
        assertEquals(CASE_RELEASED, typeOf(new CaseState(2, 11L, "active"), null, "active"));
        assertEquals(CASE_CLOSED, typeOf(new CaseState(2, 11L, "active"), 11L, "closed"));
        assertEquals(CASE_HELD, typeOf(new CaseState(2, null, "closed"), 11L, "closed"), "a closed case held");
        assertEquals(CASE_RELEASED, typeOf(new CaseState(2, 11L, "closed"), null, "closed"));
    }

    /** A case entities never heard of stays unheard of: a draft dropped, then held, released or edited. */
    @Test
    void aCaseNeverToldKeepsNoStatusTheSitesDoNotKnow() {
        CaseState dropped = stateAfter(stateAfter(null, 1, null, "draft"), 2, null, "closed");
        assertFalse(toldToEntities(dropped, "closed"), "a hold placed on a dropped draft");
        CaseState held = stateAfter(dropped, 3, 12L, "closed");
        assertEquals(12L, held.holdId(), "the hold as it is: the milestones wait for it");
        assertFalse(toldToEntities(held, "closed"), "its release");
        assertFalse(toldToEntities(stateAfter(null, 1, null, "closed"), "closed"), "first seen closed, then edited");

        // once told, a state is what the next one is told from
        CaseState active = stateAfter(stateAfter(null, 1, 11L, "draft"), 2, 11L, "active");
        assertEquals("active", active.status());
        assertTrue(toldToEntities(active, "closed"));
        assertEquals(CASE_RELEASED, typeOf(active, null, "active"));
    }
}

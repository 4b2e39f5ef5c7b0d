package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.w4r.events.CaseChanged;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cases this instance's read model has seen active, at any version: what tells a case closed after it took
 * actions (entities saw it, and may be told it is closed) from a draft closed without ever being active (a draft
 * dropped, which no entity may learn of; {@link ActionRules#visibleTo}). A {@code CaseChanged} is a case's whole
 * current state and carries nothing of its past, so the past is what this read model saw go by.
 *
 * <p>Heard on the reference stream's thread, before the stream counts the record as applied, as every kept copy is
 * announced ({@code ReferenceData.caseChanged}): once a read of the model sees a case closed, the active state that
 * came before it on the stream has been heard. In memory, like the read model: rebuilt at every start from the
 * compacted {@code cases} topic, so a case whose active state was compacted away before a start (it stays at least
 * {@code min.compaction.lag.ms}, one minute) is then answered as unknown: the side that tells nothing. A read-only
 * security review, 6 December 2026.
 */
@ApplicationScoped
public class CaseHistory {
    private final Set<String> seenActive = ConcurrentHashMap.newKeySet();

    void onCaseChanged(@Observes CaseChanged change) {
        if ("active".equals(change.status())) {
            seenActive.add(change.caseId());
        }
    }

    /** Whether the case was seen active by this read model. */
    public boolean wasActive(String caseId) {
        return seenActive.contains(caseId);
    }
}

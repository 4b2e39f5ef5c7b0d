package org.w4r.delivery;

import io.agroal.api.AgroalDataSource;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.w4r.events.CaseChanged;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only: the moment a watched case's hold is applied here (after HoldMirror has committed it, on the same reader
 * thread), what the database already holds for the case. A handover or pack accepted after that moment would be
 * missing from this picture, however the requests and the hold interleaved.
 */
@ApplicationScoped
public class HoldWatch {
    /** Deliveries recorded as handed over, and every issued pack (one delivery id per issue). */
    record Applied(Set<String> delivered, List<String> packsIssued) {
    }

    static final Set<String> WATCHED = ConcurrentHashMap.newKeySet();
    static final Map<String, Applied> APPLIED = new ConcurrentHashMap<>();

    @Inject
    AgroalDataSource db;

    static void watch(String caseId) {
        WATCHED.add(caseId);
    }

    /** After HoldMirror (default priority, APPLICATION + 500): it has committed by the time this runs. */
    void onCaseChanged(@Observes @Priority(Interceptor.Priority.APPLICATION + 900) CaseChanged change) {
        if (change.hold() != null && WATCHED.remove(change.caseId())) {
            APPLIED.put(change.caseId(), new Applied(
                    Set.copyOf(Rows.strings(db, "select id::text from delivery where case_id = ? and status = 'delivered'",
                            change.caseId())),
                    Rows.strings(db, """
                            select p.delivery_id::text from pack_issue p join delivery d on d.id = p.delivery_id
                            where d.case_id = ? order by p.id""", change.caseId())));
        }
    }
}

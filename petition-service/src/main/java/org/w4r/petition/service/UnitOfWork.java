package org.w4r.petition.service;

import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.outbox.Outbox;
import org.w4r.kit.tracing.TraceContext;

import java.util.ArrayList;
import java.util.List;

/**
 * What the commands of one transaction announce, and what they leave in the audit trail. The {@link Committer} writes
 * it all to the outbox (and the trail) in one round trip each before the commit: a batch of a thousand actions once
 * paid a round trip per event.
 */
public final class UnitOfWork {
    private final List<Outbox.Row> events = new ArrayList<>();
    private final List<AuditTrail.Entry> audits = new ArrayList<>();

    /** An event in the calling thread's trace (a request's thread). */
    public void announce(String topic, String key, Object event) {
        events.add(new Outbox.Row(topic, key, event));
    }

    /** An event in the trace of the request that asked for it, taken on its thread (a group commit's writer has none). */
    public void announce(String topic, String key, Object event, TraceContext trace) {
        events.add(new Outbox.Row(topic, key, event, trace));
    }

    /** A staff or entity-key write for the audit trail; made on the request's thread ({@link AuditTrail#entry}). */
    public void audit(AuditTrail.Entry entry) {
        audits.add(entry);
    }

    List<Outbox.Row> events() {
        return events;
    }

    List<AuditTrail.Entry> audits() {
        return audits;
    }
}

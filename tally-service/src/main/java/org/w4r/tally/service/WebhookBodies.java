package org.w4r.tally.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CaseChanged;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.WebhookRepository;
import org.w4r.tally.repository.WebhookRepository.Due;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a queued delivery says when it is sent, read again right before each attempt: a delivery may wait an hour and
 * more in retries, and an entity may replay a dead one at any time, so what was true when it was queued is not enough
 * (a read-only review, 8 December 2026). Until then a {@code totals.entity} queued before a hold and retried after the
 * {@code case.held} put the held case and its count back on the site, and a {@code milestone.reached} retried after
 * its case's public counter was switched off told the entity the case's share of every entity's total; such a milestone
 * now waits, as one of a held case waits, for the counter to be public again.
 */
@ApplicationScoped
public class WebhookBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ReferenceData reference;

    @Inject
    WebhookRepository webhooks;

    /** The body to send now, or empty when the event may not be told now (the attempt is then held back). */
    public Optional<String> asOfNow(Due d) {
        return switch (d.eventType()) {
            case WebhookService.TOTALS_ENTITY -> Optional.of(withoutHeldCases(d.body()));
            case WebhookService.MILESTONE_REACHED -> stillPublic(d.body()) ? Optional.of(d.body()) : Optional.empty();
            default -> Optional.of(d.body());
        };
    }

    /**
     * The totals without a case on hold now, by this instance's read model or by what entities were told
     * ({@code webhook_case_state}, which another instance may have written first). Its actions stay in {@code total}.
     */
    private String withoutHeldCases(String body) {
        ObjectNode totals = parse(body);
        if (!(totals.get("byCase") instanceof ObjectNode byCase) || byCase.isEmpty()) {
            return body;
        }
        List<String> listed = new ArrayList<>();
        byCase.fieldNames().forEachRemaining(listed::add);
        Set<String> held = new HashSet<>(webhooks.heldAmong(listed));
        listed.stream().filter(caseId -> reference.findCase(caseId).map(c -> c.hold() != null).orElse(false))
                .forEach(held::add);
        if (held.isEmpty()) {
            return body;
        }
        byCase.remove(held);
        return totals.toString();
    }

    /** A milestone is told only of a case whose counter the public may see (as when it was queued). */
    private boolean stillPublic(String body) {
        String caseId = parse(body).path("caseId").asText(null);
        CaseChanged c = caseId == null ? null : reference.findCase(caseId).orElse(null);
        return c != null && PublicCounterRule.showsOnceReleased(c);
    }

    private static ObjectNode parse(String body) {
        try {
            return (ObjectNode) JSON.readTree(body);
        } catch (JsonProcessingException | ClassCastException e) {
            // written by this service (WebhookService), so never: the attempt fails and is retried, visibly
            throw new IllegalStateException("webhooks: a queued body is not a JSON object", e);
        }
    }
}

package org.w4r.cases.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.model.Credential;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.KeyHash;
import org.w4r.events.StaffChanged;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.EventPublisher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the full current state of changed reference data to its compacted topic, and a snapshot of
 * everything at start-up, so that a change lost between commit and publish is repaired on the next start.
 */
@ApplicationScoped
public class ReferencePublisher {
    private static final Duration ACK_WAIT = Duration.ofSeconds(30);

    @Inject
    EventPublisher publisher;

    public void campaign(Campaign c) {
        await(List.of(publisher.publish(Topics.CAMPAIGNS, c.id, new CampaignChanged(UUID.randomUUID(), c.id, c.name,
                c.opensAt, c.closesAt, c.current, List.of(), c.changedAt))));
    }

    public void caseFile(CaseFile c) {
        await(List.of(send(c)));
    }

    public void entity(ActionEntity e) {
        await(List.of(send(e)));
    }

    public void staff(String principal) {
        await(List.of(sendStaff(principal)));
    }

    /** Everything, at start-up. */
    @Transactional
    public void snapshot() {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (Campaign c : Campaign.<Campaign>listAll()) {
            acks.add(publisher.publish(Topics.CAMPAIGNS, c.id, new CampaignChanged(UUID.randomUUID(), c.id, c.name,
                    c.opensAt, c.closesAt, c.current, List.of(), c.changedAt)));
        }
        for (ActionEntity e : ActionEntity.<ActionEntity>listAll()) {
            acks.add(send(e));
        }
        for (CaseFile c : CaseFile.<CaseFile>listAll()) {
            acks.add(send(c));
        }
        List<String> principals = Credential.find("select distinct principal from Credential where entityId is null")
                .project(String.class).list();
        for (String principal : principals) {
            acks.add(sendStaff(principal));
        }
        await(acks);
    }

    private CompletableFuture<?> send(CaseFile c) {
        CaseChanged.Hold hold = c.onHold() ? new CaseChanged.Hold(c.holdReason, c.holdPlacedBy, c.holdPlacedAt) : null;
        return publisher.publish(Topics.CASES, c.id, new CaseChanged(UUID.randomUUID(), c.id, c.campaignId, c.name,
                c.country, c.targetAuthority, c.scope, c.localEntityId, c.goal, c.status, c.publicCounter, hold,
                c.changedAt));
    }

    private CompletableFuture<?> send(ActionEntity e) {
        List<KeyHash> keys = Credential.activeForEntity(e.id).stream()
                .map(k -> new KeyHash(k.keyId, k.sha256)).toList();
        return publisher.publish(Topics.ENTITIES, e.id, new EntityChanged(UUID.randomUUID(), e.id, e.name, e.country,
                e.kind, keys, e.changedAt));
    }

    private CompletableFuture<?> sendStaff(String principal) {
        List<Credential> tokens = Credential.activeForPrincipal(principal);
        String role = tokens.isEmpty()
                ? Credential.<Credential>find("principal", principal).firstResultOptional().map(k -> k.role).orElse("coordinator")
                : tokens.get(0).role;
        return publisher.publish(Topics.STAFF, principal, new StaffChanged(UUID.randomUUID(), principal, role,
                tokens.stream().map(k -> new KeyHash(k.keyId, k.sha256)).toList(), Instant.now()));
    }

    private static void await(List<CompletableFuture<?>> acks) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not acknowledge reference data", e);
        }
    }
}

package org.w4r.tally.service;

import org.junit.jupiter.api.Test;
import org.w4r.events.CaseChanged;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.MilestoneRepository.CaseKey;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An instance that has not yet read the case list to its end sends no webhook and records no milestone: its held set
 * is empty or half-read, and while it joins the webhook consumers' group the other copy of the holds stops moving,
 * so a milestone of a case held meanwhile went out (a read-only review, 8 December 2026). The state cannot be reached
 * in a Quarkus test, whose instance has read the list before its first test; so the components are built by hand
 * around a read model that has not, and none of their repositories: any claim or record would fail on them.
 */
class BeforeTheCaseListTest {
    /** Knows a case with a goal, unheld, and has not read to the end of the reference topics. */
    static final class HalfRead extends ReferenceData {
        final CaseChanged known = new CaseChanged(UUID.randomUUID(), "held-later", "c", "Name", "MT", "Authorities",
                "global", null, 10L, "active", true, null, 1, Instant.now());

        @Override
        public boolean isCaughtUp() {
            return false;
        }

        @Override
        public Optional<CaseChanged> findCase(String caseId) {
            return Optional.of(known);
        }

        @Override
        public Set<String> heldCaseIds() {
            return Set.of();
        }

        @Override
        public Collection<CaseChanged> cases() {
            return List.of(known);
        }
    }

    @Test
    void theDispatcherClaimsNothing() {
        WebhookDispatcher dispatcher = new WebhookDispatcher();
        dispatcher.reference = new HalfRead();
        assertEquals(0, dispatcher.dispatchOnce());
    }

    @Test
    void milestonesAreNeitherRecordedNorAnnounced() {
        Milestones milestones = new Milestones();
        milestones.reference = new HalfRead();
        milestones.check(Set.of(new CaseKey("c", "held-later")));
        milestones.sweep("c");
    }
}

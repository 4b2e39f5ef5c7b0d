package org.w4r.deploy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What docs/operations.md says about the services, held to what their code does. */
class OperationsGuideTest {
    static final String GUIDE = Repo.read(Repo.ROOT.resolve("docs/operations.md"));

    /**
     * case-service announces every campaign, entity, case and credential in force at every start (its
     * ReferencePublisher's start-up snapshot), so a lost reference topic is refilled by restarting it; the guide said
     * it "cannot republish its state yet" (a read-only review of the deployment files), which sent an operator to
     * back up topics as the only way back.
     */
    @Test
    void theGuideSaysCaseServiceRepublishesItsReferenceDataAtEveryStart() {
        String publisher = Repo.read(Repo.ROOT.resolve(
                "case-service/src/main/java/org/w4r/cases/messaging/ReferencePublisher.java"));
        assertTrue(publisher.contains("@Observes StartupEvent") && publisher.contains("announceAll()"),
                "case-service's ReferencePublisher still announces everything at start: check the guide's Kafka paragraph");
        assertFalse(GUIDE.replaceAll("\\s+", " ").contains("cannot republish"),
                "docs/operations.md says case-service cannot republish its state");
        assertTrue(GUIDE.replaceAll("\\s+", " ").contains("at every start case-service announces every campaign, entity "
                + "and case and every credential in force"), "docs/operations.md says what case-service's start republishes");
    }
}

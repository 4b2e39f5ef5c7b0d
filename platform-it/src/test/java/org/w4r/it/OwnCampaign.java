package org.w4r.it;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.events.EntityChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A campaign, its cases and one entity with its key, published on the reference topics as case-service would, for a
 * test whose totals must be exactly its own: nothing any other test posts lands in this campaign.
 */
record OwnCampaign(String campaignId, List<String> cases, String entityId, String entityKey) {

    static OwnCampaign publish(String kafka, String prefix) {
        String run = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        OwnCampaign campaign = new OwnCampaign(run, List.of(run + "-a", run + "-b"), run + "-entity",
                "key-" + UUID.randomUUID());
        Instant now = Instant.now();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka, "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            // not current: the demo campaign stays the one every other test posts to
            ReferenceFixtures.send(producer, Topics.CAMPAIGNS, run, new CampaignChanged(UUID.randomUUID(), run, run,
                    now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false, List.of(), now));
            for (String caseId : campaign.cases()) {
                ReferenceFixtures.send(producer, Topics.CASES, caseId, new CaseChanged(UUID.randomUUID(), caseId, run,
                        caseId, "MT", "Authorities", "global", null, 1000L, "active", false, null,
                        ReferenceFixtures.version(), now));
            }
            ReferenceFixtures.send(producer, Topics.ENTITIES, campaign.entityId(), new EntityChanged(UUID.randomUUID(),
                    campaign.entityId(), campaign.entityId(), null, "section", now));
            ReferenceFixtures.send(producer, Topics.CREDENTIALS, "key_" + run, ReferenceFixtures.entityCredential(
                    "key_" + run, campaign.entityId(), campaign.entityKey()));
        }
        return campaign;
    }
}

package org.w4r.events;

/** Topic names. Reference topics are compacted and keyed by id; {@link #ACTIONS} is keyed by case. */
public final class Topics {
    /** ActionRecorded and ActionCorrected, keyed by caseId (entityId when the action has no case). */
    public static final String ACTIONS = "actions";
    /** DeliveryPlanned, HandoverRecorded and DeliveryCancelled, keyed by caseId. */
    public static final String DELIVERIES = "deliveries";
    /** MessageReviewed, keyed by caseId: which solidarity messages were approved for delivery. */
    public static final String MODERATION = "moderation";
    /** CampaignChanged, compacted, keyed by campaignId. */
    public static final String CAMPAIGNS = "campaigns";
    /** CaseChanged, compacted, keyed by caseId. */
    public static final String CASES = "cases";
    /** EntityChanged, compacted, keyed by entityId. */
    public static final String ENTITIES = "entities";
    /** CredentialChanged, compacted, keyed by keyId; a tombstone revokes. */
    public static final String CREDENTIALS = "credentials";
    /** SignerErased, keyed by erasureId. */
    public static final String ERASURES = "erasures";

    public static final String[] REFERENCE = {CAMPAIGNS, CASES, ENTITIES, CREDENTIALS};

    private Topics() {
    }

    /** How long a reference topic keeps a tombstone: 30 days (not a topic: every public String here is one). */
    private static final String DELETE_RETENTION_MS = "2592000000";

    /** How a topic is created: reference topics compacted with one partition, actions spread over several. */
    public record Spec(String name, int partitions, java.util.Map<String, String> configs) {
    }

    public static java.util.List<Spec> specs(int actionPartitions) {
        java.util.List<Spec> specs = new java.util.ArrayList<>();
        for (String name : REFERENCE) {
            // a tombstone (a revoked key, a deleted record) stays 30 days, not the broker's 24 h: a reader cut off from
            // Kafka for longer than that would read past a revocation compacted away and keep the key for good
            // (read-only audit, 4 December 2026); its staleness is alerted on long before (W4RReferenceDataStale)
            specs.add(new Spec(name, 1, java.util.Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000",
                    "delete.retention.ms", DELETE_RETENTION_MS)));
        }
        // kept for good, whatever the broker's default (7 days): a consumer whose partition waited longer (a failure
        // retried as transient, every instance stopped) found its offset gone, started again at the log's new start
        // and skipped what was deleted unread, acknowledged actions included (a read-only review, 7 December 2026:
        // only the local broker's own settings kept them; compose's and Kubernetes' brokers took the default)
        java.util.Map<String, String> kept = java.util.Map.of("retention.ms", "-1");
        specs.add(new Spec(ACTIONS, actionPartitions, kept));
        specs.add(new Spec(DELIVERIES, 1, kept));
        specs.add(new Spec(MODERATION, 1, kept));
        specs.add(new Spec(ERASURES, 1, kept));
        for (String name : new String[]{ACTIONS, DELIVERIES, MODERATION, ERASURES, CASES}) {
            specs.add(new Spec(deadLetter(name), 1, java.util.Map.of("retention.ms", String.valueOf(90L * 24 * 3600 * 1000))));
        }
        return specs;
    }

    /**
     * Where a consumer puts an event of {@code topic} it can never apply (unreadable, or refused by the database
     * however often it is retried), so the partition goes on; kept 90 days for a person to look at and replay.
     */
    public static String deadLetter(String topic) {
        return topic + ".dead-letter";
    }

    /** The partition key of an action event: its case, or its entity when it has none. */
    public static String actionKey(String caseId, String entityId) {
        return caseId != null ? caseId : "entity:" + entityId;
    }
}

package org.w4r.events;

/** Topic names. Reference topics are compacted and keyed by id; {@link #ACTIONS} is keyed by case. */
public final class Topics {
    /** ActionRecorded and ActionCorrected, keyed by caseId (entityId when the action has no case). */
    public static final String ACTIONS = "actions";
    /** CampaignChanged, compacted, keyed by campaignId. */
    public static final String CAMPAIGNS = "campaigns";
    /** CaseChanged, compacted, keyed by caseId. */
    public static final String CASES = "cases";
    /** EntityChanged, compacted, keyed by entityId. */
    public static final String ENTITIES = "entities";
    /** StaffChanged, compacted, keyed by principal. */
    public static final String STAFF = "staff";

    public static final String[] REFERENCE = {CAMPAIGNS, CASES, ENTITIES, STAFF};

    private Topics() {
    }

    /** The partition key of an action event: its case, or its entity when it has none. */
    public static String actionKey(String caseId, String entityId) {
        return caseId != null ? caseId : "entity:" + entityId;
    }
}

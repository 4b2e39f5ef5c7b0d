package org.w4r.delivery.model;

import java.util.Set;

/** The vocabularies of a delivery, as the event contract's schemas spell them. */
public final class DeliveryKinds {
    public static final String PETITION = "petition";
    public static final String SOLIDARITY = "solidarity";
    public static final Set<String> KINDS = Set.of(PETITION, SOLIDARITY);
    public static final Set<String> RECIPIENT_KINDS = Set.of("target-authority", "embassy", "rights-holder", "family", "other");

    public static final String PLANNED = "planned";
    public static final String DELIVERED = "delivered";
    public static final String CANCELLED = "cancelled";
    public static final Set<String> STATUSES = Set.of(PLANNED, DELIVERED, CANCELLED);

    private DeliveryKinds() {
    }
}

package org.w4r.delivery.model;

/**
 * The vocabularies of a delivery, as the event contract's schemas spell them; the patterns are what requests are
 * checked against (and what the OpenAPI document says).
 */
public final class DeliveryKinds {
    public static final String PETITION = "petition";
    public static final String SOLIDARITY = "solidarity";
    public static final String KIND_PATTERN = "^(petition|solidarity)$";
    public static final String RECIPIENT_KIND_PATTERN = "^(target-authority|embassy|rights-holder|family|other)$";

    public static final String PLANNED = "planned";
    public static final String DELIVERED = "delivered";
    public static final String CANCELLED = "cancelled";
    public static final String STATUS_PATTERN = "^(planned|delivered|cancelled)$";

    private DeliveryKinds() {
    }
}

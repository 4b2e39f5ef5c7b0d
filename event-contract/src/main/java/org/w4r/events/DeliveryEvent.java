package org.w4r.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.UUID;

/**
 * An event on the {@link Topics#DELIVERIES} topic, keyed by caseId. Carries ids, kinds and counts only: never a
 * recipient's or signer's name.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "eventType")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DeliveryPlanned.class, name = "DeliveryPlanned"),
        @JsonSubTypes.Type(value = HandoverRecorded.class, name = "HandoverRecorded"),
        @JsonSubTypes.Type(value = DeliveryCancelled.class, name = "DeliveryCancelled")})
public sealed interface DeliveryEvent permits DeliveryPlanned, HandoverRecorded, DeliveryCancelled {
    UUID eventId();

    UUID deliveryId();

    String caseId();
}

package org.w4r.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;
import java.util.UUID;

/**
 * An event on the {@link Topics#ACTIONS} topic. Carries ids and counts only, never a signer's name or email.
 * {@link #countChange()} is what the event adds to every count it touches.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "eventType")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ActionRecorded.class, name = "ActionRecorded"),
        @JsonSubTypes.Type(value = ActionCorrected.class, name = "ActionCorrected")})
public sealed interface ActionEvent permits ActionRecorded, ActionCorrected {
    UUID eventId();

    UUID actionId();

    String campaignId();

    /** Null for an action not taken for a specific case. */
    String caseId();

    String entityId();

    ActionType type();

    Mode mode();

    /** When the action was taken; a correction carries the corrected action's time. */
    Instant occurredAt();

    /** When petition-service stored it: how fresh the tally is, measured from here. */
    Instant recordedAt();

    long countChange();

    /**
     * The signer's country (ISO 3166-1 alpha-2, upper case) the action counts under; null when unknown: an offline
     * count, an action other than a signature, a signature given without one, an event written before countries.
     * A country alone, never with a name or email: counts by country only.
     */
    String signerCountry();

    default String key() {
        return Topics.actionKey(caseId(), entityId());
    }
}

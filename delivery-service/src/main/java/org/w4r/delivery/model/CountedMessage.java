package org.w4r.delivery.model;

/** A solidarity message a solidarity handover counts (approved, written by its cut-off, still counted), and its entity. */
public record CountedMessage(java.util.UUID actionId, String entityId) {
}

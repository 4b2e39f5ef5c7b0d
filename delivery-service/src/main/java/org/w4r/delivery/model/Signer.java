package org.w4r.delivery.model;

/** A signer who consented to be named to the recipient, as petition-service exports them. */
public record Signer(String name, String country) {
}

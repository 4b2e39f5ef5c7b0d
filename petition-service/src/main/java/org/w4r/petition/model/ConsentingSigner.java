package org.w4r.petition.model;

/** A signer who consented to have their name handed to the authority: the name, and the country (empty if none). */
public record ConsentingSigner(String name, String country) {
}

package org.w4r.petition.rest;

/** Forget the person who gave this email. */
public record ErasureRequest(String email) {
}

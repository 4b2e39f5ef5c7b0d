package org.w4r.petition.rest;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Forget the person who gave this email. */
@Schema(description = "Forget the person who gave this email: their names, countries and messages; counts stay")
public record ErasureRequest(@Schema(example = "ada@example.org") @NotNull @EmailAddress String email) {
}

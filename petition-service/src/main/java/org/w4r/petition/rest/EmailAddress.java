package org.w4r.petition.rest;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An email address, kept only as its keyed hash (it makes a signature count once per person, and finds a person to
 * erase): something@somewhere.tld of at most 254 characters, spaces around it ignored, no control character.
 * Stricter checks would refuse real addresses; looser ones let typos in. Null passes.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = EmailAddress.REGEXP)
@Size(max = 254)
@ReportAsSingleViolation
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface EmailAddress {
    // control characters as ranges, not \\p{Cc}: the pattern is in the OpenAPI document, for every client's regex engine
    String REGEXP = "^ *[^@\\s\\u0000-\\u001f\\u007f-\\u009f]{1,64}@[^@\\s\\u0000-\\u001f\\u007f-\\u009f]+"
            + "\\.[^@\\s\\u0000-\\u001f\\u007f-\\u009f]+ *$";

    String message() default "must be an email address";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}

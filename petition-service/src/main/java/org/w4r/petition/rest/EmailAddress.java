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
    // (so no possessive quantifier or atomic group either)
    /** A character of an address: no '@', space or control character. */
    String CHARACTER = "[^@\\s\\u0000-\\u001f\\u007f-\\u009f]";
    /**
     * The domain: characters with a dot after the first and before the last (somewhere.tld, but also a..b). Written as
     * one character, then characters other than a dot up to the first dot, then at least one character: the same
     * domains as {@code CHARACTER+\.CHARACTER+}, which it was until a read-only audit (4 December 2026) found that a
     * run of dots could be split at any of its dots, and a backtracking matcher tried every split against every end:
     * "a@", 250,000 dots and "@" on POST /api/v1/erasures held a worker thread for minutes, because Hibernate
     * Validator runs this @Pattern before the @Size that would have refused it. Now every input has one way at most to
     * match, and a refusal takes steps linear in its length (EmailAddressPatternTest counts them).
     */
    String DOMAIN = CHARACTER + "[^.@\\s\\u0000-\\u001f\\u007f-\\u009f]*\\." + CHARACTER + "+";
    String REGEXP = "^ *" + CHARACTER + "{1,64}@" + DOMAIN + " *$";

    String message() default "must be an email address";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}

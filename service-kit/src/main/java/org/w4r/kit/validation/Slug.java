package org.w4r.kit.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An id as case-service makes them (campaigns, cases, entities): 1 to 64 lower-case letters, digits or '-', starting
 * with a letter or digit. Anything else names nothing and never reaches a query. Null passes. Composed of
 * {@code @Pattern}, so the pattern reaches the OpenAPI document.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = Slug.REGEXP)
@ReportAsSingleViolation
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Slug {
    String REGEXP = "^[a-z0-9][a-z0-9-]{0,63}$";

    String message() default "must be an id: 1 to 64 lower-case letters, digits or '-', starting with a letter or digit";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}

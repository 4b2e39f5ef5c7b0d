package org.w4r.kit.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;
import java.util.Set;

/**
 * An ISO 3166-1 alpha-2 country code that exists (two letters is not enough: 'XX' is refused), in either case; the
 * record that holds it upper-cases it ({@link Codes#normalise}). Null passes. The pattern reaches the OpenAPI document.
 */
@Documented
@Constraint(validatedBy = CountryCode.Validator.class)
@Pattern(regexp = "^[A-Za-z]{2}$")
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface CountryCode {
    String message() default "must be an ISO 3166-1 alpha-2 country code such as 'MM'";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The stored form: upper case, or null for none; the one normalisation of a country code. */
    final class Codes {
        private static final Set<String> ISO = Set.of(Locale.getISOCountries());

        private Codes() {
        }

        public static String normalise(String value) {
            return value == null || value.isBlank() ? null : value.trim().toUpperCase(Locale.ROOT);
        }

        public static boolean exists(String value) {
            return value != null && ISO.contains(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    class Validator implements ConstraintValidator<CountryCode, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || Codes.exists(value);
        }
    }
}

package org.w4r.kit.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A one-line text of at most {@link #max()} characters with no control character (a name, a place, a reason). Null
 * passes: combine with {@code @NotBlank} where the text is required. The length also reaches the OpenAPI document,
 * because the constraint is composed with {@code @Size}.
 */
@Documented
@Constraint(validatedBy = OneLine.Validator.class)
@jakarta.validation.constraints.Size(message = "must be at most {max} characters")
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface OneLine {
    @jakarta.validation.OverridesAttribute(constraint = jakarta.validation.constraints.Size.class, name = "max")
    int max();

    String message() default "must be one line of at most {max} characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<OneLine, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            String unfit = Texts.unfit(value, false);
            if (unfit == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(unfit).addConstraintViolation();
            return false;
        }
    }
}

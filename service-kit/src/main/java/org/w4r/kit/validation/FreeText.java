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
 * Text written by a person (a solidarity message): tabs and line breaks are part of it (a CRLF from a web form), any
 * other control character is refused. Null passes; combine with {@code @NotBlank} where required.
 */
@Documented
@Constraint(validatedBy = FreeText.Validator.class)
@jakarta.validation.constraints.Size(message = "must be at most {max} characters")
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface FreeText {
    @jakarta.validation.OverridesAttribute(constraint = jakarta.validation.constraints.Size.class, name = "max")
    int max();

    String message() default "must be a text of at most {max} characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<FreeText, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            String unfit = Texts.unfit(value, true);
            if (unfit == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(unfit).addConstraintViolation();
            return false;
        }
    }
}

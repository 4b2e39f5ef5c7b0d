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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * An instant (or a day) inside the campaign era: not before 2000 (Write for Rights began in 2001; PostgreSQL cannot
 * store every instant Java parses, so an absurd one must be a 400, never a SQL error) and at most
 * {@link #daysAhead()} days after now (an action is never stamped a day ahead; a cut-off may be planned within a year;
 * a campaign is planned within decades). Null passes.
 */
@Documented
@Constraint(validatedBy = {CampaignEra.InstantValidator.class, CampaignEra.DayValidator.class})
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface CampaignEra {
    Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    /** How far ahead of now the value may lie. */
    int daysAhead();

    String message() default "must be between 2000-01-01T00:00:00Z and {daysAhead} day(s) from now";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The era's check, for any type that names an instant. */
    abstract class EraValidator<T> implements ConstraintValidator<CampaignEra, T> {
        private Duration ahead;

        @Override
        public void initialize(CampaignEra era) {
            ahead = Duration.ofDays(era.daysAhead());
        }

        @Override
        public boolean isValid(T value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            Instant instant = instant(value);
            return !instant.isBefore(EARLIEST) && !instant.isAfter(Instant.now().plus(ahead));
        }

        abstract Instant instant(T value);
    }

    class InstantValidator extends EraValidator<Instant> {
        @Override
        Instant instant(Instant value) {
            return value;
        }
    }

    /** A day is in the era when its start (UTC) is. */
    class DayValidator extends EraValidator<LocalDate> {
        @Override
        Instant instant(LocalDate value) {
            return value.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
    }
}

package io.teachtrack.api.school;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

/**
 * An instant a MySQL {@code TIMESTAMP} column can hold (1970-01-01T00:00:01Z to 2038-01-19T03:14:07Z): checked with
 * the rest of the body, so a time the database would refuse is a 422, never a failed statement.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = StorableTime.Validator.class)
public @interface StorableTime {

    Instant MIN = Instant.parse("1970-01-01T00:00:01Z");
    Instant MAX = Instant.parse("2038-01-19T03:14:07Z");

    String message() default "must be between 1970-01-01T00:00:01Z and 2038-01-19T03:14:07Z";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<StorableTime, Instant> {
        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            return value == null || (!value.isBefore(MIN) && !value.isAfter(MAX));
        }
    }
}

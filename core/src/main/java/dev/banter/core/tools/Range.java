package dev.banter.core.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds a number, inclusive at both ends; {@link JsonSchemas} writes {@code minimum} and
 * {@code maximum} (an unset end is left out) and {@link StructuredChat} checks them.
 *
 * <pre>{@code
 * record Forecast(String city, @Range(min = 1, max = 14) int days) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Range {
  /** The smallest value allowed; unbounded when left at negative infinity. */
  double min() default Double.NEGATIVE_INFINITY;

  /** The largest value allowed; unbounded when left at positive infinity. */
  double max() default Double.POSITIVE_INFINITY;
}

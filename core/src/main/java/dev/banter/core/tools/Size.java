package dev.banter.core.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds the length of a string ({@code minLength}/{@code maxLength}) or the number of items of
 * a list, set or array ({@code minItems}/{@code maxItems}), inclusive.
 *
 * <pre>{@code
 * record Summary(@Size(max = 280) String text, @Size(min = 1, max = 5) List<String> tags) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Size {
  /** The smallest length allowed. */
  int min() default 0;

  /** The largest length allowed; unbounded when left at {@link Integer#MAX_VALUE}. */
  int max() default Integer.MAX_VALUE;
}

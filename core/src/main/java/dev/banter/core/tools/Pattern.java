package dev.banter.core.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A regular expression a string must match somewhere (JSON Schema's {@code pattern}; anchor it
 * with {@code ^…$} to match the whole string). Keep to the syntax that JavaScript and Java share.
 *
 * <pre>{@code
 * record Flight(@Pattern("^[A-Z]{2}[0-9]{1,4}$") String number) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Pattern {
  /** The regular expression. */
  String value();
}

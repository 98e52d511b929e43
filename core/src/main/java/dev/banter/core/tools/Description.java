package dev.banter.core.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tells the model what a type, a record component or a property means; {@link JsonSchemas}
 * writes it as the schema's {@code description}. Carries no behaviour.
 *
 * <pre>{@code
 * @Description("A city to look up the weather for")
 * record WeatherQuery(@Description("City name, e.g. Oslo") String city,
 *                     @Description("Temperature unit") Unit unit) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Description {
  /** The description, one or two sentences for the model. */
  String value();
}

package dev.banter.core.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.banter.api.ToolSpec;
import java.util.Objects;

/**
 * Tool specifications from Java types. Stateless and thread-safe.
 *
 * <pre>{@code
 * record WeatherQuery(@Description("City name, e.g. Oslo") String city) {}
 * ToolSpec weather = Tools.spec("get_weather", "Current weather for a city", WeatherQuery.class);
 * ChatRequest r = ChatRequest.builder().user("Weather in Oslo?").tools(weather).build();
 * }</pre>
 *
 * <p>To answer the calls too, register the function with a {@link ToolLoop} instead.
 */
public final class Tools {
  private Tools() {}

  /**
   * A tool whose parameters are the properties of {@code parameters} (a record or class), as
   * {@link JsonSchemas#of} describes them.
   *
   * @throws IllegalArgumentException if the name is no valid function name, or the type is not a
   *     record or class with properties
   */
  public static ToolSpec spec(String name, String description, Class<?> parameters) {
    Objects.requireNonNull(parameters, "parameters");
    String schema = JsonSchemas.of(parameters);
    requireObject(name, parameters, JsonSchemas.tree(schema));
    return ToolSpec.of(name, description, schema);
  }

  static void requireObject(String name, Class<?> type, ObjectNode schema) {
    if (!SchemaGenerator.describesObject(schema)) {
      throw new IllegalArgumentException("Tool '" + name + "': parameters must be a record or class with properties,"
          + " since a model passes arguments as a JSON object; got " + type.getName()
          + ". Wrap the value in a record, e.g. record Args(" + type.getSimpleName() + " value) {}.");
    }
  }
}
